// What a field the arguments leave out stands for, as its schema says. The
// program is the whole object, so every field is one of:
//   - default: left out, it is the value the API gives an object created
//     without it (`default` in the field's meta; an optional object whose every
//     field has a default has the object of those defaults);
//   - inherit: left out, the object has none (a meeting's `recording_config`,
//     which the app-level configuration fills; a design token's `logo`). A value
//     made out of band is drift, and removing the argument clears it;
//   - server-filled: the server fills it with no documented value (`simulcast`):
//     it is managed only where the arguments set it;
//   - required.
// Check fills the defaults into the desired state (provider/resource.ts), the
// emulator into the objects it makes, and the export leaves them out of its files.
import { copy, isObject, satisfies, setOwn } from "../values";
import { camel, defOf, isOptional, metaOf, objectShape, unwrap, type Schema } from "./walk";

export type FieldKind = "required" | "default" | "inherit" | "serverFilled";
export type Form = "camel" | "snake";

const defaults = { camel: new WeakMap<Schema, { value: unknown }>(), snake: new WeakMap<Schema, { value: unknown }>() };

/** The field's default (keys in `form`), or undefined when it has none. */
export function defaultOf(s: Schema, form: Form = "snake"): unknown {
  let found = defaults[form].get(s);
  if (!found) defaults[form].set(s, (found = { value: derive(s, form) }));
  return found.value;
}

function derive(s: Schema, form: Form): unknown {
  const meta = metaOf(s);
  if (meta.default !== undefined) return meta.default;
  const shape = objectShape(s);
  if (!shape || !isOptional(s) || !Object.keys(shape).length) return undefined;
  const entries = Object.entries(shape).map(([k, f]) => [form === "camel" ? camel(k) : k, defaultOf(f, form)] as const);
  return entries.every(([, v]) => v !== undefined) ? Object.fromEntries(entries) : undefined;
}

export function fieldKind(s: Schema): FieldKind {
  if (defaultOf(s) !== undefined) return "default";
  if (metaOf(s).serverFilled) return "serverFilled";
  return isOptional(s) ? "inherit" : "required";
}

/** `value` with every default it leaves out filled in, at every depth its objects reach. A value not an object (one not known yet) stays. */
export function fillDefaults<T>(s: Schema, value: T, form: Form): T {
  const d = defOf(unwrap(s));
  if (Array.isArray(value) && d.type === "array") return value.map((x) => fillDefaults(d.element!, x, form)) as T;
  if (!isObject(value)) return value;
  if (d.type === "record") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) setOwn(out, k, fillDefaults(d.valueType!, x, form));
    return out as T;
  }
  const shape = d.type === "object" ? d.shape! : undefined;
  if (!shape) return value;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(value)) setOwn(out, k, x);
  for (const [snake, field] of Object.entries(shape)) {
    const key = form === "camel" ? camel(snake) : snake;
    const x = Object.hasOwn(value, key) ? value[key] : undefined;
    if (x !== undefined) out[key] = fillDefaults(field, x, form);
    else if (defaultOf(field, form) !== undefined) out[key] = copy(defaultOf(field, form));
  }
  return out as T;
}

/** `value` without the fields that equal their default (an object left empty goes too): what a file has to say. */
export function withoutDefaults<T>(s: Schema, value: T, form: Form): T {
  const shape = objectShape(s);
  if (!shape || !isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(value)) setOwn(out, k, x);
  for (const [snake, field] of Object.entries(shape)) {
    const key = form === "camel" ? camel(snake) : snake;
    if (!Object.hasOwn(out, key)) continue;
    const dv = defaultOf(field, form);
    const x = withoutDefaults(field, out[key], form);
    // An object with a default left empty is its default; an inherit one stays, even empty: left out, it would be none.
    const empty = dv !== undefined && isObject(x) && !Object.keys(x).length;
    if ((dv !== undefined && satisfies(dv, x) && satisfies(x, dv)) || empty) delete out[key];
    else out[key] = x;
  }
  return out as T;
}

/** Every field of a schema at every depth with its kind and default: dotted snake_case paths (`*` any key of a map). */
export function fieldKinds(s: Schema, prefix = ""): { path: string; kind: FieldKind; default?: unknown; schema: Schema }[] {
  const d = defOf(unwrap(s));
  if (d.type === "record") return fieldKinds(d.valueType!, `${prefix}*.`);
  if (d.type === "array") return fieldKinds(d.element!, prefix);
  const shape = d.type === "object" ? d.shape! : undefined;
  if (!shape) return [];
  return Object.entries(shape).flatMap(([k, f]) => [
    { path: prefix + k, kind: fieldKind(f), ...(defaultOf(f) !== undefined ? { default: defaultOf(f) } : {}), schema: f },
    ...fieldKinds(f, `${prefix}${k}.`),
  ]);
}
