// A small interpreter of Pulumi YAML programs, as far as examples/yaml and the
// registry examples use the language: `resources:` with `type` and `properties`,
// `variables:` that are `fn::invoke` of a function (`function`, `arguments`),
// `${name.id}`, `${name.urn}` and `${name.<output>}` interpolation (a whole value,
// or inside a string), and `outputs:`. It mimics Pulumi YAML (pulumi/pulumi-yaml),
// it is not it: like Pulumi YAML it refuses, before anything runs, a type or
// function the package does not have, a property the type does not have (at any
// depth), a required input left out, a value no enum member has, a reference to
// nothing or to no output, and a cycle; it has no config, other variables,
// other functions (fn::) or resource options, and refuses programs that use
// them. Each resource is registered with the class a generated SDK has for its
// type (test/support/generated-sdk.ts), and each invoke sent to the provider,
// those it references first, as the Pulumi engine would.
import * as fs from "node:fs";
import YAML from "yaml";
import type { Plugin, Program } from "../harness";
import type { GeneratedSdk } from "./generated-sdk";
import { argumentProblems, EXPRESSION, functionArgumentProblems, type PackageSchema } from "./schema-args";

type Pulumi = typeof import("@pulumi/pulumi");

interface YamlResource {
  type: string;
  properties?: Record<string, unknown>;
}
interface YamlInvoke {
  "fn::invoke": { function: string; arguments?: Record<string, unknown> };
}
export interface YamlProgram {
  name: string;
  runtime: string;
  variables?: Record<string, YamlInvoke>;
  resources: Record<string, YamlResource>;
  outputs?: Record<string, unknown>;
}
/** The provider's answer to an invoke (a lookup) of `token` with `args`. */
export type Invoke = (token: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The plugin's answer to an invoke; its failures thrown, naming each, so the program fails as under Pulumi. */
export const pluginInvoke =
  (plugin: Plugin): Invoke =>
  async (token, args) => {
    const { result, failures } = await plugin.invoke(token, args);
    if (failures.length) throw new Error(`${token}: ${failures.map((f) => f.reason).join("; ")}`);
    return result!;
  };

const PROGRAM_KEYS = ["name", "runtime", "description", "packages", "variables", "resources", "outputs"];
const INVOKE_KEYS = ["function", "arguments"];
const RESOURCE_KEYS = ["type", "properties"];
const REFERENCE = /\$\{([^}]*)\}/g;
const HAS_REFERENCE = /\$\{[^}]*\}/;

/** Every `${...}` in a value, at any depth. */
function references(value: unknown): string[] {
  if (typeof value === "string") return [...value.matchAll(REFERENCE)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(references);
  if (value && typeof value === "object") return Object.values(value).flatMap(references);
  return [];
}

/** A value with each string that holds a reference made an expression (not checked against enums). */
const literal = (value: unknown): unknown =>
  typeof value === "string" ? (HAS_REFERENCE.test(value) ? EXPRESSION : value) : Array.isArray(value) ? value.map(literal) : value;

/** Reads a Pulumi YAML program and checks it against the package schema; throws naming every problem. */
export function loadYamlProgram(file: string, schema: PackageSchema): { program: YamlProgram; order: string[] } {
  return checkYamlProgram(YAML.parse(fs.readFileSync(file, "utf8")) as YamlProgram, schema, file);
}

/** Checks a parsed program against the package schema; throws naming every problem (`where`: the file). */
export function checkYamlProgram(program: YamlProgram, schema: PackageSchema, where = "program"): { program: YamlProgram; order: string[] } {
  const problems: string[] = [];
  for (const key of Object.keys(program)) if (!PROGRAM_KEYS.includes(key)) problems.push(`${key}: not supported by this interpreter`);
  if (program.runtime !== undefined && program.runtime !== "yaml") problems.push(`runtime: ${JSON.stringify(program.runtime)}, not yaml`);
  const resources = program.resources ?? {};
  const variables = program.variables ?? {};
  // What each name's value is made of, for references and the order.
  const bodies: Record<string, unknown> = {};
  for (const [name, r] of Object.entries(resources)) {
    for (const key of Object.keys(r)) if (!RESOURCE_KEYS.includes(key)) problems.push(`resources.${name}.${key}: not supported by this interpreter`);
    const properties = r.properties ?? {};
    problems.push(...argumentProblems(schema, r.type, literal(properties) as Record<string, unknown>).map((p) => `resources.${name}: ${p}`));
    bodies[name] = properties;
  }
  for (const [name, v] of Object.entries(variables)) {
    if (name in resources) problems.push(`variables.${name}: a resource has that name`);
    const invoke = v?.["fn::invoke"];
    if (!invoke || Object.keys(v).length !== 1) {
      problems.push(`variables.${name}: only fn::invoke is supported by this interpreter`);
      continue;
    }
    for (const key of Object.keys(invoke)) if (!INVOKE_KEYS.includes(key)) problems.push(`variables.${name}.fn::invoke.${key}: not supported by this interpreter`);
    problems.push(...functionArgumentProblems(schema, invoke.function, literal(invoke.arguments ?? {}) as Record<string, unknown>).map((p) => `variables.${name}: ${p}`));
    bodies[name] = invoke.arguments ?? {};
  }
  const outputsOf = (name: string) =>
    resources[name]
      ? ["id", "urn", ...Object.keys(schema.resources[resources[name].type]?.properties ?? {})]
      : Object.keys(schema.functions[variables[name]["fn::invoke"]?.function]?.outputs.properties ?? {});
  const checkReference = (at: string, expression: string) => {
    const [name, property, ...rest] = expression.split(".");
    if (!(name in bodies)) return problems.push(`${at}: \${${expression}} names no resource or variable`);
    const outputs = outputsOf(name);
    const what = resources[name]?.type ?? variables[name]["fn::invoke"]?.function;
    if (!property || rest.length || !outputs.includes(property)) problems.push(`${at}: \${${expression}}: ${what} has the outputs ${outputs.join(", ")}`);
  };
  for (const [name, body] of Object.entries(bodies)) for (const e of references(body)) checkReference(`${name in resources ? "resources" : "variables"}.${name}`, e);
  for (const [name, v] of Object.entries(program.outputs ?? {})) for (const e of references(v)) checkReference(`outputs.${name}`, e);

  // Referenced names first; a cycle is an error.
  const order: string[] = [];
  const state: Record<string, "visiting" | "done"> = {};
  const visit = (name: string, path: string[]) => {
    if (state[name] === "done" || !(name in bodies)) return;
    if (state[name] === "visiting") return void problems.push(`a cycle: ${[...path, name].join(" -> ")}`);
    state[name] = "visiting";
    for (const e of references(bodies[name])) visit(e.split(".")[0], [...path, name]);
    state[name] = "done";
    order.push(name);
  };
  for (const name of Object.keys(bodies)) visit(name, []);
  if (problems.length) throw new Error(`${where}:\n${problems.join("\n")}`);
  return { program, order };
}

/** The program for runProgram: each resource registered with its generated class, each invoke sent with `invoke`; `outputs:` are the stack outputs. */
export function yamlProgram(loaded: { program: YamlProgram; order: string[] }, pulumi: Pulumi, sdk: () => GeneratedSdk, invoke?: Invoke): Program {
  return () => {
    const classes = sdk();
    type Output = import("@pulumi/pulumi").Output<unknown>;
    const made: Record<string, (property: string) => Output> = {};
    const resolve = (value: unknown): unknown => {
      if (typeof value === "string") {
        const refs = [...value.matchAll(REFERENCE)];
        if (!refs.length) return value;
        const outputs = refs.map((m) => {
          const [name, property] = m[1].split(".");
          return made[name](property);
        });
        if (refs.length === 1 && refs[0][0] === value) return outputs[0];
        return pulumi.all(outputs).apply((values) => {
          let i = 0;
          return value.replace(REFERENCE, () => String(values[i++]));
        });
      }
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      return value;
    };
    const { resources = {}, variables = {} } = loaded.program;
    for (const name of loaded.order) {
      const r = resources[name];
      if (r) {
        const kind = r.type.split(":")[2] as keyof GeneratedSdk;
        const resource = new classes[kind](name, resolve(r.properties ?? {}) as Record<string, unknown>);
        made[name] = (property) => resource[property] as Output;
        continue;
      }
      const { function: token, arguments: args = {} } = variables[name]["fn::invoke"];
      if (!invoke) throw new Error(`variables.${name}: this run has no provider to invoke ${token}`);
      const plainArgs = pulumi.output(resolve(args) as Record<string, unknown>) as unknown as import("@pulumi/pulumi").Output<Record<string, unknown>>;
      const result = plainArgs.apply((plain) => invoke(token, plain));
      made[name] = (property) => result.apply((found) => found[property]);
    }
    return Object.fromEntries(Object.entries(loaded.program.outputs ?? {}).map(([k, v]) => [k, resolve(v)]));
  };
}
