// Generic walks over zod schemas. Everything that needs to know a resource's
// fields (casing, write-only handling, lenient response parsing, docs) asks the
// schema through these helpers, so the field list is written only once.
import { z } from "zod";

export type Schema = z.ZodType;

export type DeepPartial<T> = T extends (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** The API's object with camelCase keys (keys like "1000" stay as they are): the type of what `convertKeys(..., "camel")` returns. */
export type CamelKeys<T> = T extends readonly (infer U)[]
  ? CamelKeys<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? Camel<K> : K]: CamelKeys<T[K]> }
    : T;

/** What we attach to fields with `.meta()`. */
export interface FieldMeta {
  description?: string;
  /** The API accepts the field but never returns it. */
  writeOnly?: boolean;
  /** The value is a credential: kept out of logs and marked as a secret output. */
  secret?: boolean;
}

// zod keeps its definition on `_zod.def`; these are the only kinds we use.
interface Def {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  options?: Schema[];
  valueType?: Schema;
  entries?: Record<string, string>;
  values?: unknown[];
  in?: Schema;
}

export const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(["optional", "nullable", "default", "readonly", "nonoptional", "prefault", "catch"]);

/** Peels optional/nullable/default wrappers. */
export function unwrap(s: Schema): Schema {
  let cur = s;
  for (let def = defOf(cur); WRAPPERS.has(def.type) && def.innerType; def = defOf(cur)) cur = def.innerType;
  return cur;
}

export function isOptional(s: Schema): boolean {
  return (s as unknown as { _zod: { optin?: string } })._zod.optin === "optional";
}

/** Field metadata, looked up on the field and on each wrapper inside it. */
export function metaOf(s: Schema): FieldMeta {
  const out: FieldMeta = {};
  let cur: Schema | undefined = s;
  while (cur) {
    Object.assign(out, { ...(z.globalRegistry.get(cur) as FieldMeta | undefined), ...out });
    const def = defOf(cur);
    cur = WRAPPERS.has(def.type) ? def.innerType : undefined;
  }
  return out;
}

export function objectShape(s: Schema): Record<string, Schema> | undefined {
  const def = defOf(unwrap(s));
  return def.type === "object" ? def.shape : undefined;
}

/** snake_case → camelCase; keys that are not snake words ("1000") stay as they are. */
export const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The branches of a union that are objects with a fixed shape, or records. */
function unionBranches(s: Schema) {
  const options = (defOf(s).options ?? []).map(unwrap);
  return {
    objects: options.filter((o) => defOf(o).type === "object"),
    record: options.find((o) => defOf(o).type === "record"),
  };
}

/** Chooses the schema a value should be read with, looking through unions. */
function pick(s: Schema, value: unknown, keyOf: (k: string) => string): Schema | undefined {
  const inner = unwrap(s);
  if (defOf(inner).type !== "union") return inner;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const { objects, record } = unionBranches(inner);
  const keys = Object.keys(value);
  const fits = objects.find((o) => {
    const known = new Set(Object.keys(defOf(o).shape!).map(keyOf));
    return keys.every((k) => known.has(k));
  });
  return fits ?? record;
}

/**
 * Converts an object's keys between the API's snake_case and our camelCase,
 * following the schema: declared fields are renamed, free-form maps (records,
 * `config_diff`) keep their keys, unknown keys pass through untouched.
 */
export function convertKeys(s: Schema, value: unknown, to: "camel" | "snake"): unknown {
  if (value === null || value === undefined || typeof value !== "object") return value;
  const keyOf = (k: string) => (to === "camel" ? k : camel(k));
  const target = pick(s, value, keyOf);
  if (!target) return value;
  const def = defOf(target);
  if (Array.isArray(value)) return def.type === "array" ? value.map((v) => convertKeys(def.element!, v, to)) : value;
  const obj = value as Record<string, unknown>;
  if (def.type === "record") {
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, convertKeys(def.valueType!, v, to)]));
  }
  if (def.type !== "object") return value;
  const byKey = fieldsByKey(def.shape!, to);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const f = byKey.get(k);
    if (!f) out[k] = v;
    else out[f.name] = convertKeys(f.field, v, to);
  }
  return out;
}

// convertKeys runs on every value the provider sends or receives: each shape's key map is built once.
const keyMaps = { camel: new WeakMap<object, KeyMap>(), snake: new WeakMap<object, KeyMap>() };
type KeyMap = Map<string, { name: string; field: Schema }>;

/** The fields of an object shape by the key they have in the source form, with their name in the target form. */
function fieldsByKey(shape: Record<string, Schema>, to: "camel" | "snake"): KeyMap {
  let map = keyMaps[to].get(shape);
  if (!map) {
    map = new Map(Object.entries(shape).map(([snake, field]) => (to === "camel" ? [snake, { name: camel(snake), field }] : [camel(snake), { name: snake, field }])));
    keyMaps[to].set(shape, map);
  }
  return map;
}

/** Every path (snake_case segments) to a field whose meta matches. */
export function fieldPaths(s: Schema, test: (m: FieldMeta) => boolean, prefix: string[] = []): string[][] {
  const shape = objectShape(s);
  if (!shape) return [];
  return Object.entries(shape).flatMap(([k, field]) => [
    ...(test(metaOf(field)) ? [[...prefix, k]] : []),
    ...fieldPaths(field, test, [...prefix, k]),
  ]);
}

/** Every field at every depth optional: merge-style PATCH bodies, and arguments merged over defaults. */
export const deepPartial = (s: Schema): Schema => {
  const def = defOf(s);
  let out: Schema;
  switch (def.type) {
    case "optional":
      out = deepPartial(def.innerType!).optional();
      break;
    case "nullable":
      out = deepPartial(def.innerType!).nullable();
      break;
    case "array":
      out = z.array(deepPartial(def.element!));
      break;
    case "record":
      out = z.record(z.string(), deepPartial(def.valueType!));
      break;
    case "object":
      out = z.strictObject(Object.fromEntries(Object.entries(def.shape!).map(([k, f]) => [k, deepPartial(f).optional()])));
      break;
    default:
      // Unions stay whole: their branches are alternatives, and a partial branch would match anything.
      return s;
  }
  // Keep the field's description and flags on the rebuilt schema.
  const meta = z.globalRegistry.get(s);
  return meta ? out.meta(meta) : out;
};
