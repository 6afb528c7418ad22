// Plain-value helpers for what travels between the engine and the provider.

/** What the engine sends for a value not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };
export type Props = Record<string, any>;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Sets `out[key]` as an own property. Parsed data (JSON, YAML) may hold a
 * `__proto__` key as an own property; a plain assignment of it would replace
 * `out`'s prototype instead, so its fields would read as `out`'s own.
 */
export function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** A deep copy of plain data (what the engine and the API send): lists and objects are new, nothing else is kept. */
export function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k, copy(x));
  return out as T;
}

/** Drops `undefined` everywhere: the host's protobuf Struct encoding cannot carry it. */
export function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(clean) as T;
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => [k, clean(x)]),
  ) as T;
}

/** True when the value, or anything inside it, is not known yet. */
export function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  return isObject(v) && Object.values(v).some(hasUnknown);
}

export function getPath(v: unknown, path: readonly PropertyKey[]): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = target;
  path.slice(0, -1).forEach((k) => {
    if (!isObject(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  });
  cur[path[path.length - 1]] = value;
}

/** A list of plain values (no object or list in it). */
export const plainValues = (list: unknown[]): boolean => list.every((x) => !isObject(x) && !Array.isArray(x));

/**
 * Two lists of plain values as sets of the same size: the API does not promise
 * to keep the order of `events` or `keywords`.
 */
export function sameSet(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = b.map(String).sort();
  return a.map(String).sort().every((x, i) => x === sorted[i]);
}

/**
 * Whether `actual` has every value `wanted` sets (fields `wanted` leaves out are
 * not compared; both ways, it is equality), key order aside, with lists of plain
 * values compared as sets. For schema-free data: a resource's fields compare by
 * their schema (compare.ts).
 */
export function satisfies(wanted: unknown, actual: unknown): boolean {
  if (wanted === undefined) return true;
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual) || actual.length !== wanted.length) return false;
    if (plainValues(wanted)) return sameSet(wanted, actual);
    return wanted.every((x, i) => satisfies(x, actual[i]) && satisfies(actual[i], x));
  }
  if (isObject(wanted)) {
    // An empty object asks for nothing: an API that leaves an empty map out (`config_diff: {}`) satisfies it.
    if (actual === undefined) return Object.keys(wanted).length === 0;
    return isObject(actual) && Object.entries(wanted).every(([k, v]) => satisfies(v, actual[k]));
  }
  return wanted === actual;
}

/**
 * A path as Pulumi writes property paths (pkg/resource's ParsePropertyPath):
 * names joined by ".", keys that are not names (`"600"`, `"a.b"`) quoted in brackets.
 */
export const propertyPath = (path: readonly string[]): string =>
  path.map((k, i) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${i ? "." : ""}${k}` : `[${JSON.stringify(k)}]`)).join("");
