// Generic walks over zod schemas. Everything that needs to know a resource's
// fields (casing, write-only handling, lenient response parsing, docs) asks the
// schema through these helpers, so the field list is written only once.
import { z } from "zod";
import { isObject, setOwn } from "../values";
import type { SourceId } from "./sources";

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
  /** A provider config key's environment variable, read when the stack config does not set the key. */
  environment?: string;
  /** The value the API gives an object created without the field: what arguments that leave it out ask for (defaults.ts). */
  default?: unknown;
  /** The server fills the field with no documented value: it is compared only where the arguments set it. */
  serverFilled?: boolean;
  /** Where `default` or `serverFilled` comes from: a key of SOURCES (sources.ts). */
  source?: SourceId;
  /** An enum's type name in the package schema, where several fields share the enum (see `oneOf`). */
  enumType?: string;
  /** What an enum's values mean, where the API says so; and a member name where the value's own reads badly. */
  values?: Record<string, { description?: string; name?: string }>;
  /** A union: the index of the one member that typed SDKs show (see `alsoAccepting`). */
  typedAs?: number;
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

// A schema's meta is fixed when `.meta()` makes it (a new instance each time): read once per schema.
// check, diff and refresh ask for it on every field of every resource, and each read walks the wrappers.
const metas = new WeakMap<Schema, Readonly<FieldMeta>>();

/** Field metadata, looked up on the field and on each wrapper inside it. */
export function metaOf(s: Schema): Readonly<FieldMeta> {
  let out = metas.get(s);
  if (out) return out;
  const found: FieldMeta = {};
  let cur: Schema | undefined = s;
  while (cur) {
    Object.assign(found, { ...(z.globalRegistry.get(cur) as FieldMeta | undefined), ...found });
    const def = defOf(cur);
    cur = WRAPPERS.has(def.type) ? def.innerType : undefined;
  }
  metas.set(s, (out = Object.freeze(found)));
  return out;
}

export function objectShape(s: Schema): Record<string, Schema> | undefined {
  const def = defOf(unwrap(s));
  return def.type === "object" ? def.shape : undefined;
}

/** snake_case → camelCase; keys that are not snake words ("1000") stay as they are. */
// Field names are few and asked for on every field of every resource: each is converted once (a
// bounded cache: an error path may also name a key the program made up).
const camels = new Map<string, string>();
export const camel = (key: string): string => {
  let out = camels.get(key);
  if (out !== undefined) return out;
  out = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  if (camels.size < 4096) camels.set(key, out);
  return out;
};

/**
 * Converts an object's keys between the API's snake_case and our camelCase,
 * following the schema: declared fields are renamed, free-form maps (records,
 * `config_diff`) keep their keys, unknown keys pass through untouched. A
 * union's value is read with the first object branch that declares all its
 * keys, else its record branch, else left as it is.
 */
export function convertKeys(s: Schema, value: unknown, to: "camel" | "snake"): unknown {
  return converterOf(s, to)(value);
}

type Convert = (value: unknown) => unknown;

// convertKeys runs on every value the provider sends or receives: what it
// derives from a schema (unwrapped type, key maps, union branches) is worked
// out once per schema and direction, not on every call.
const converters = { camel: new WeakMap<Schema, Convert>(), snake: new WeakMap<Schema, Convert>() };

function converterOf(s: Schema, to: "camel" | "snake"): Convert {
  let convert = converters[to].get(s);
  if (!convert) {
    convert = build(unwrap(s), to);
    converters[to].set(s, convert);
  }
  return convert;
}

function build(s: Schema, to: "camel" | "snake"): Convert {
  const def = defOf(s);
  switch (def.type) {
    case "array": {
      const element = def.element!;
      return (v) => (Array.isArray(v) ? v.map((x) => converterOf(element, to)(x)) : v);
    }
    case "record": {
      const valueType = def.valueType!;
      return (v) => {
        if (!isObject(v)) return v;
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) setOwn(out, k, converterOf(valueType, to)(x));
        return out;
      };
    }
    case "object": {
      // The fields by the key they have in the source form, with their name in the target form.
      const byKey = new Map<string, { name: string; field: Schema; convert?: Convert }>(
        Object.entries(def.shape!).map(([snake, field]) =>
          to === "camel" ? [snake, { name: camel(snake), field }] : [camel(snake), { name: snake, field }],
        ),
      );
      return (v) => {
        if (!isObject(v)) return v;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
          const f = byKey.get(k);
          if (!f) setOwn(out, k, v[k]);
          else out[f.name] = (f.convert ??= converterOf(f.field, to))(v[k]);
        }
        return out;
      };
    }
    case "union": {
      const options = (def.options ?? []).map(unwrap);
      const objects = options
        .filter((o) => defOf(o).type === "object")
        .map((o) => ({ o, known: new Set(Object.keys(defOf(o).shape!).map((k) => (to === "camel" ? k : camel(k)))) }));
      const record = options.find((o) => defOf(o).type === "record");
      return (v) => {
        if (!isObject(v)) return v;
        const keys = Object.keys(v);
        const target = objects.find(({ known }) => keys.every((k) => known.has(k)))?.o ?? record;
        return target ? converterOf(target, to)(v) : v;
      };
    }
    default:
      return (v) => v;
  }
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
