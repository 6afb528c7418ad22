// A Python program's calls of pulumi_realtimekit (python-calls.ts) checked against
// the package schema as Pulumi's Python codegen names it (scripts/pulumi-names.js):
// classes are resources, snake_case functions (`get_app`, `get_app_output`) are the
// lookups, keyword arguments and dict keys are inputs in snake_case, enum members
// are `<Enum>.<MEMBER>` as makeSafeEnumName names them.
import * as path from "node:path";
import type { PythonCall } from "./python-calls";
import { argumentProblems, functionArgumentProblems, type PackageSchema } from "./schema-args";
import { nodeRequire, root } from "./stack";

const { pyName, pythonEnumMember } = nodeRequire(path.join(root, "scripts/pulumi-names.js")) as {
  pyName(name: string): string;
  pythonEnumMember(name: string, typeName: string): string;
};

/** What is wrong with the calls, one line each. */
export function pythonProblems(schema: PackageSchema, calls: PythonCall[]): string[] {
  const naming = { shown: pyName, member: pythonEnumMember };
  const functions = new Map(
    Object.keys(schema.functions).flatMap((t) => {
      const name = pyName(t.split(":")[2]);
      return [[name, t] as const, [`${name}_output`, t] as const];
    }),
  );
  return calls.flatMap((call) => {
    const { opts: _opts, ...kwargs } = call.kwargs; // the resource or invoke options, as in every generated class and function
    const fn = functions.get(call.cls);
    if (fn) return functionArgumentProblems(schema, fn, kwargs, naming).map((p) => `line ${call.line}: ${p}`);
    const type = `${schema.name}:index:${call.cls}`;
    if (!schema.resources[type]) return [`line ${call.line}: ${call.cls} is no resource or function of the package`];
    const named = typeof call.positional[0] === "string" ? [] : [`line ${call.line}: the resource name is not a literal string`];
    return [...named, ...argumentProblems(schema, type, kwargs, naming).map((p) => `line ${call.line}: ${p}`)];
  });
}
