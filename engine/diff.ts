// Which properties differ, as dotted paths ("config.media.video.frameRate"): what
// the CLI's `--diff` shows for a planned update, and the fields a refresh found
// changed. For reporting only: whether something changes is the provider's Diff.
import { UNKNOWN } from "./host";

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Paths at which `before` and `after` differ (a value not known yet counts as a change; a removed one too). */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k));
    }
    return after === UNKNOWN || !sameJson(before, after) ? [prefix] : [];
}

/** Paths of the values set in `wanted` that `live` does not have (what an update would change back). */
export function driftedPaths(wanted: unknown, live: unknown, prefix = ""): string[] {
    if (isPlainObject(wanted) && isPlainObject(live)) {
        return Object.keys(wanted)
            .sort()
            .flatMap((k) => driftedPaths(wanted[k], live[k], prefix ? `${prefix}.${k}` : k));
    }
    return sameJson(wanted, live) ? [] : [prefix];
}

/** Order-insensitive (for object keys) deep equality for JSON data. */
export function sameJson(a: unknown, b: unknown): boolean {
    return canonical(a) === canonical(b);
}
function canonical(v: unknown): string {
    return JSON.stringify(v, (_k, x) =>
        isPlainObject(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x,
    );
}
