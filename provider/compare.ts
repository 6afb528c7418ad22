// How the desired object and the current one differ, field by field as the
// schema sees them (schema/defaults.ts): a field with a default that either side
// leaves out is its default (the live API may or may not echo defaults); an
// inherit field the desired object leaves out must be absent or empty; a
// server-filled one is compared only where the desired object sets it. Lists of
// plain values compare as sets (the API does not promise to keep the order of
// `events` or `keywords`); `null`, "", [] and {} are all "none". Values are in
// camelCase, as the engine and the state have them.
import { camel, defaultOf, defOf, metaOf, unwrap, type Schema } from "./schema";
import { hasUnknown, isObject, plainValues, sameSet, UNKNOWN } from "./values";

export interface Difference {
  /** camelCase names and map keys, down to the value that differs. */
  path: string[];
  /** add: the current object has none; delete: the desired one has none (clearing it needs a whole replace); update: both have one. */
  kind: "add" | "update" | "delete";
}

/** Where `current` is not what `desired` asks for, as deep as both sides are objects. */
export function differences(s: Schema, desired: unknown, current: unknown): Difference[] {
  const out: Difference[] = [];
  walk(s, desired, current, [], out);
  return out;
}

const none = (v: unknown): boolean =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

const own = (v: unknown, k: string): unknown => (isObject(v) && Object.hasOwn(v, k) ? v[k] : undefined);

function differ(d: unknown, c: unknown, path: string[], out: Difference[]) {
  out.push({ path, kind: none(c) ? "add" : none(d) && d !== UNKNOWN ? "delete" : "update" });
}

/** A field of an object: its default stands in for a side that has none; a server-filled one the desired side leaves out is not compared. */
function field(s: Schema, d: unknown, c: unknown, path: string[], out: Difference[]) {
  if ((d === undefined || d === null) && metaOf(s).serverFilled) return;
  const dv = defaultOf(s, "camel");
  if (dv !== undefined) {
    if (d === undefined || d === null) d = dv;
    if (c === undefined || c === null) c = dv;
  }
  walk(s, d, c, path, out);
}

function walk(s: Schema, d: unknown, c: unknown, path: string[], out: Difference[]) {
  if (d === UNKNOWN) return differ(d, c, path, out);
  const def = defOf(unwrap(s));
  const objects = (isObject(d) || none(d)) && (isObject(c) || none(c));
  if (def.type === "object" && objects) {
    const shape = def.shape!;
    const names = new Set<string>();
    for (const [snake, f] of Object.entries(shape)) {
      const k = camel(snake);
      names.add(k);
      field(f, own(d, k), own(c, k), [...path, k], out);
    }
    // Keys the schema does not declare: the current object's are the server's; the desired object's (none, once checked) compare as they are.
    for (const k of Object.keys(isObject(d) ? d : {})) if (!names.has(k)) free(own(d, k), own(c, k), [...path, k], out);
    return;
  }
  if (def.type === "record" && objects) {
    for (const k of keys(d, c)) walk(def.valueType!, own(d, k), own(c, k), [...path, k], out);
    return;
  }
  if (def.type === "array" && Array.isArray(d) && Array.isArray(c) && !hasUnknown(d)) {
    if (!sameList(d, c, def.element!)) differ(d, c, path, out);
    return;
  }
  free(d, c, path, out);
}

/** Free-form values (a union's, `unknown`): objects key by key, anything else as it is. */
function free(d: unknown, c: unknown, path: string[], out: Difference[]) {
  if (hasUnknown(d) && !isObject(d)) return differ(d, c, path, out);
  if ((isObject(d) || none(d)) && (isObject(c) || none(c)) && (isObject(d) || isObject(c))) {
    for (const k of keys(d, c)) free(own(d, k), own(c, k), [...path, k], out);
    return;
  }
  if (none(d) && none(c)) return;
  if (Array.isArray(d) && Array.isArray(c) ? !sameList(d, c) : d !== c) differ(d, c, path, out);
}

const keys = (d: unknown, c: unknown) => [...new Set([...Object.keys(isObject(d) ? d : {}), ...Object.keys(isObject(c) ? c : {})])];

/** Lists of plain values as sets; lists of objects element by element. */
function sameList(d: unknown[], c: unknown[], element?: Schema): boolean {
  if (d.length !== c.length) return false;
  if (plainValues(d)) return sameSet(d, c);
  return d.every((x, i) => (element ? differences(element, x, c[i]) : freeDifferences(x, c[i])).length === 0);
}

function freeDifferences(d: unknown, c: unknown): Difference[] {
  const out: Difference[] = [];
  free(d, c, [], out);
  return out;
}
