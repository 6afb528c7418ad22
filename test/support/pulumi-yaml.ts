// A small interpreter of Pulumi YAML programs, as far as examples/yaml uses the
// language: `resources:` with `type` and `properties`, `${name.id}`,
// `${name.urn}` and `${name.<output>}` interpolation (a whole value, or inside a
// string), and `outputs:`. It mimics Pulumi YAML (pulumi/pulumi-yaml), it is not
// it: like Pulumi YAML it refuses, before anything runs, a type the package does
// not have, a property the type does not have, a required input left out, a
// reference to no resource or to no output, and a cycle; it has no config,
// variables, functions (fn::) or resource options, and refuses programs that
// use them. Each resource is registered with the class a generated SDK has for
// its type (test/support/generated-sdk.ts), those it references first, so the
// offline engine sends it to the plugin as the Pulumi engine would.
import * as fs from "node:fs";
import YAML from "yaml";
import type { Program } from "../harness";
import type { GeneratedSdk } from "./generated-sdk";
import { argumentProblems, EXPRESSION, type PackageSchema } from "./schema-args";

type Pulumi = typeof import("@pulumi/pulumi");

interface YamlResource {
  type: string;
  properties?: Record<string, unknown>;
}
export interface YamlProgram {
  name: string;
  runtime: string;
  resources: Record<string, YamlResource>;
  outputs?: Record<string, unknown>;
}

const PROGRAM_KEYS = ["name", "runtime", "description", "packages", "resources", "outputs"];
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
  const program = YAML.parse(fs.readFileSync(file, "utf8")) as YamlProgram;
  const problems: string[] = [];
  for (const key of Object.keys(program)) if (!PROGRAM_KEYS.includes(key)) problems.push(`${key}: not supported by this interpreter`);
  if (program.runtime !== "yaml") problems.push(`runtime: ${JSON.stringify(program.runtime)}, not yaml`);
  const resources = program.resources ?? {};
  for (const [name, r] of Object.entries(resources)) {
    for (const key of Object.keys(r)) if (!RESOURCE_KEYS.includes(key)) problems.push(`resources.${name}.${key}: not supported by this interpreter`);
    const properties = r.properties ?? {};
    problems.push(...argumentProblems(schema, r.type, Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, literal(v)]))).map((p) => `resources.${name}: ${p}`));
  }
  const checkReference = (where: string, expression: string) => {
    const [name, property, ...rest] = expression.split(".");
    const target = resources[name];
    if (!target) return problems.push(`${where}: \${${expression}} names no resource`);
    const outputs = ["id", "urn", ...Object.keys(schema.resources[target.type]?.properties ?? {})];
    if (!property || rest.length || !outputs.includes(property)) problems.push(`${where}: \${${expression}}: ${target.type} has the outputs ${outputs.join(", ")}`);
  };
  for (const [name, r] of Object.entries(resources)) for (const e of references(r.properties)) checkReference(`resources.${name}`, e);
  for (const [name, v] of Object.entries(program.outputs ?? {})) for (const e of references(v)) checkReference(`outputs.${name}`, e);

  // Referenced resources first; a cycle is an error.
  const order: string[] = [];
  const state: Record<string, "visiting" | "done"> = {};
  const visit = (name: string, path: string[]) => {
    if (state[name] === "done" || !resources[name]) return;
    if (state[name] === "visiting") return void problems.push(`resources: a cycle: ${[...path, name].join(" -> ")}`);
    state[name] = "visiting";
    for (const e of references(resources[name].properties)) visit(e.split(".")[0], [...path, name]);
    state[name] = "done";
    order.push(name);
  };
  for (const name of Object.keys(resources)) visit(name, []);
  if (problems.length) throw new Error(`${file}:\n${problems.join("\n")}`);
  return { program, order };
}

/** The program for runProgram: each resource registered with its generated class; `outputs:` are the stack outputs. */
export function yamlProgram(loaded: { program: YamlProgram; order: string[] }, pulumi: Pulumi, sdk: () => GeneratedSdk): Program {
  return () => {
    const classes = sdk();
    const made: Record<string, Record<string, unknown>> = {};
    const resolve = (value: unknown): unknown => {
      if (typeof value === "string") {
        const refs = [...value.matchAll(REFERENCE)];
        if (!refs.length) return value;
        const outputs = refs.map((m) => {
          const [name, property] = m[1].split(".");
          return made[name][property] as import("@pulumi/pulumi").Output<unknown>;
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
    for (const name of loaded.order) {
      const r = loaded.program.resources[name];
      const kind = r.type.split(":")[2] as keyof GeneratedSdk;
      made[name] = new classes[kind](name, resolve(r.properties ?? {}) as Record<string, unknown>);
    }
    return Object.fromEntries(Object.entries(loaded.program.outputs ?? {}).map(([k, v]) => [k, resolve(v)]));
  };
}
