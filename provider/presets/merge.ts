// How a preset's sections combine with a template, and back: `deepMerge` lays
// the user's keys over a role's full sections; `overlay` finds the fewest keys
// that, laid over a template, give a live object (what the export writes).
import { copy, isObject, satisfies, setOwn, type Props } from "../values";
import type { DeepPartial } from "../schema";

/**
 * `over` laid on `base`: objects merge key by key; anything else (lists,
 * scalars, null, an unknown) replaces. The result shares nothing with either,
 * and each value is copied once: check runs this for every preset, and a
 * structuredClone per level cost more than validating the preset.
 */
export function deepMerge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return copy(base);
  if (!isObject(base) || !isObject(over)) return copy(over) as T;
  const out: Props = {};
  for (const [k, v] of Object.entries(base)) {
    const o = Object.hasOwn(over, k) ? over[k] : undefined;
    setOwn(out, k, o === undefined ? copy(v) : deepMerge(v, o));
  }
  for (const [k, v] of Object.entries(over)) if (v !== undefined && !Object.hasOwn(base, k)) setOwn(out, k, copy(v));
  return out as T;
}

/**
 * The smallest value `o` with `deepMerge(base, o)` equal to `live` as the
 * provider compares (`satisfies` both ways), or undefined when they are equal
 * already. Merging can add keys but never take one away: keys `base` sets and
 * `live` lacks are left out here and listed by `lacking`.
 */
export function overlay(base: unknown, live: unknown): unknown {
  if (satisfies(base, live) && satisfies(live, base)) return undefined;
  if (!isObject(base) || !isObject(live)) return live;
  const out: Props = {};
  for (const [k, v] of Object.entries(live)) {
    const o = overlay(Object.hasOwn(base, k) ? base[k] : undefined, v);
    if (o !== undefined) setOwn(out, k, o);
  }
  return Object.keys(out).length ? out : undefined;
}

/** Dotted paths of the keys `base` sets and `live` lacks, where both are objects down to them. */
export function lacking(base: unknown, live: unknown, at = ""): string[] {
  if (!isObject(base) || !isObject(live)) return [];
  return Object.entries(base).flatMap(([k, v]) =>
    k in live ? lacking(v, live[k], `${at}${k}.`) : satisfies(v, undefined) ? [] : [`${at}${k}`],
  );
}

/** How many values an overlay sets: what a reviewer reads. */
export function size(o: unknown): number {
  if (!isObject(o) || !Object.keys(o).length) return o === undefined ? 0 : 1;
  return Object.values(o).reduce((n: number, v) => n + size(v), 0);
}
