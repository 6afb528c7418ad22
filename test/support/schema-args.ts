// A resource's or a function's arguments checked against the package schema
// (schema.json) as a program in another language meets it: each argument is an
// input property (at any depth: an object's keys are its type's properties), each
// required input is given, a literal value of an enum-typed input is one of the
// enum's values, and an enum member (Python's `realtimekit.PresetRole.GROUP_CALL_HOST`)
// is a member of the property's own enum type. Pulumi YAML checks this before it
// runs; an SDK generated from the schema takes exactly these inputs.
import * as fs from "node:fs";
import * as path from "node:path";

interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
}
interface TypeSpec {
  enum?: { name?: string; value: unknown }[];
  properties?: Record<string, PropertySpec>;
  required?: string[];
}
interface ResourceSpec {
  properties: Record<string, PropertySpec>;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
}
interface FunctionSpec {
  inputs: { properties: Record<string, PropertySpec>; required?: string[] };
  outputs: { properties: Record<string, PropertySpec> };
}
export interface PackageSchema {
  name: string;
  resources: Record<string, ResourceSpec>;
  functions: Record<string, FunctionSpec>;
  types: Record<string, TypeSpec>;
}

export const packageSchema = (file = path.resolve(__dirname, "../../schema.json")): PackageSchema => JSON.parse(fs.readFileSync(file, "utf8"));

/** A value that is not a literal (a reference to another resource's output, an expression): not checked against enums. */
export const EXPRESSION = Symbol("expression");

/** A member of an enum type, as a program names it (`realtimekit.<type>.<member>`). */
export class EnumMember {
  constructor(
    readonly type: string,
    readonly member: string,
  ) {}
}

export interface Naming {
  /** A property's name as the program writes it (e.g. snake_case in Python). */
  shown?: (property: string) => string;
  /** An enum value's member name as the program writes it, from the schema's `name`. */
  member?: (name: string, typeName: string) => string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v) && !(v instanceof EnumMember);

/** What is wrong with a value of `spec` at `at` (a dotted path as the program names it), one line each. */
function valueProblems(schema: PackageSchema, what: string, spec: PropertySpec, value: unknown, at: string, naming: Naming): string[] {
  if (value === EXPRESSION) return [];
  if (spec.type === "array" && spec.items) return Array.isArray(value) ? value.flatMap((v, i) => valueProblems(schema, what, spec.items!, v, `${at}[${i}]`, naming)) : [];
  if (spec.type === "object" && spec.additionalProperties) {
    return isPlainObject(value) ? Object.entries(value).flatMap(([k, v]) => valueProblems(schema, what, spec.additionalProperties!, v, `${at}.${k}`, naming)) : [];
  }
  const typeName = spec.$ref?.startsWith("#/types/") ? spec.$ref.slice("#/types/".length) : undefined;
  const type = typeName ? schema.types[typeName] : undefined;
  if (type?.enum) {
    const short = typeName!.split(":")[2];
    if (value instanceof EnumMember) {
      if (value.type !== short) return [`${what}: ${at}: ${value.type}.${value.member} is a member of ${value.type}, not of ${short}`];
      const members = type.enum.map((e) => (naming.member ?? ((n) => n))(e.name ?? String(e.value), short));
      return members.includes(value.member) ? [] : [`${what}: ${at}: ${short}.${value.member} is not a member of ${short}; its members are ${members.join(", ")}`];
    }
    const allowed = type.enum.map((e) => e.value);
    return allowed.includes(value) ? [] : [`${what}: ${at}: ${JSON.stringify(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`];
  }
  if (value instanceof EnumMember) return [`${what}: ${at}: ${value.type}.${value.member} is an enum member, but ${typeName ?? spec.type} is no enum`];
  if (type?.properties && isPlainObject(value)) return objectProblems(schema, what, type.properties, type.required ?? [], value, naming, at);
  return [];
}

/** What is wrong with `args` (keyed as the program names them) for an object of `properties` at `at` ("": the arguments themselves). */
function objectProblems(
  schema: PackageSchema,
  what: string,
  properties: Record<string, PropertySpec>,
  required: string[],
  args: Record<string, unknown>,
  naming: Naming,
  at = "",
): string[] {
  const shown = naming.shown ?? ((p: string) => p);
  const byName = new Map(Object.keys(properties).map((p) => [shown(p), p]));
  const path = (name: string) => (at ? `${at}.${name}` : name);
  const owner = at ? `${at}` : what.includes(":get") ? "the function" : "the resource";
  const problems: string[] = [];
  for (const [name, value] of Object.entries(args)) {
    const property = byName.get(name);
    if (property) problems.push(...valueProblems(schema, what, properties[property], value, path(name), naming));
    else problems.push(`${what}: ${path(name)} is not an input of ${owner}; its inputs are ${[...byName.keys()].join(", ")}`);
  }
  for (const r of required) if (!(shown(r) in args)) problems.push(`${what}: the required input ${path(shown(r))} is not given`);
  return problems;
}

/** What is wrong with `args` (keyed as the program names them) for the resource `type`, one line each, naming the argument. */
export function argumentProblems(schema: PackageSchema, type: string, args: Record<string, unknown>, naming: Naming = {}): string[] {
  const resource = schema.resources[type];
  if (!resource) return [`${type}: not a resource of the package; it has ${Object.keys(schema.resources).join(", ")}`];
  return objectProblems(schema, type, resource.inputProperties, resource.requiredInputs ?? [], args, naming);
}

/** The same for the arguments of the function (a lookup) `token`. */
export function functionArgumentProblems(schema: PackageSchema, token: string, args: Record<string, unknown>, naming: Naming = {}): string[] {
  const fn = schema.functions[token];
  if (!fn) return [`${token}: not a function of the package; it has ${Object.keys(schema.functions).join(", ")}`];
  return objectProblems(schema, token, fn.inputs.properties, fn.inputs.required ?? [], args, naming);
}
