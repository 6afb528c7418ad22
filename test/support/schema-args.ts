// A resource's arguments checked against the package schema (schema.json) as a
// program in another language meets it: each argument is an input property of the
// resource's type, each required input is given, and a literal value of an
// enum-typed input is one of the enum's values. Pulumi YAML checks this before it
// runs; an SDK generated from the schema takes exactly these inputs.
import * as fs from "node:fs";
import * as path from "node:path";

interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertySpec;
}
interface TypeSpec {
  enum?: { value: unknown }[];
  properties?: Record<string, PropertySpec>;
}
interface ResourceSpec {
  properties: Record<string, PropertySpec>;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
}
export interface PackageSchema {
  name: string;
  resources: Record<string, ResourceSpec>;
  types: Record<string, TypeSpec>;
}

export const packageSchema = (file = path.resolve(__dirname, "../../schema.json")): PackageSchema => JSON.parse(fs.readFileSync(file, "utf8"));

/** A value that is not a literal (a reference to another resource's output, an expression): not checked against enums. */
export const EXPRESSION = Symbol("expression");

/** The enum values of a property (or of its items, for a list), if its type is an enum of the schema. */
function enumOf(schema: PackageSchema, spec: PropertySpec): unknown[] | undefined {
  const ref = spec.$ref ?? spec.items?.$ref;
  const type = ref?.startsWith("#/types/") ? schema.types[ref.slice("#/types/".length)] : undefined;
  return type?.enum?.map((e) => e.value);
}

/**
 * What is wrong with `args` (keyed by input property name) for the resource `type`, one line each, naming
 * the argument; `shown` gives each property's name as the program writes it (e.g. snake_case in Python).
 */
export function argumentProblems(schema: PackageSchema, type: string, args: Record<string, unknown>, shown: (property: string) => string = (p) => p): string[] {
  const resource = schema.resources[type];
  if (!resource) return [`${type}: not a resource of the package; it has ${Object.keys(schema.resources).join(", ")}`];
  const inputs = resource.inputProperties;
  const problems: string[] = [];
  for (const [name, value] of Object.entries(args)) {
    const spec = inputs[name];
    if (!spec) {
      problems.push(`${type}: ${shown(name)} is not an input of the resource; its inputs are ${Object.keys(inputs).map(shown).join(", ")}`);
      continue;
    }
    const allowed = enumOf(schema, spec);
    const literals = (Array.isArray(value) ? value : [value]).filter((v) => v !== EXPRESSION);
    for (const v of allowed ? literals : []) {
      if (!allowed!.includes(v)) problems.push(`${type}: ${shown(name)}: ${JSON.stringify(v)} is not one of ${allowed!.map((a) => JSON.stringify(a)).join(", ")}`);
    }
  }
  for (const required of resource.requiredInputs ?? []) {
    if (!(required in args)) problems.push(`${type}: the required input ${shown(required)} is not given`);
  }
  return problems;
}
