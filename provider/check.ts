// `check`: validates a resource's arguments with the same zod schema the API
// requests are built from, before anything is sent. Each failure names the
// argument's path (as the user wrote it, in camelCase) and what is allowed.
import type { z } from "zod";
import { camel, convertKeys, isPathSegment, loneSurrogate } from "./schema";
import { getPath, hasUnknown, isObject, type Props } from "./values";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Path as the user wrote it: camelCase names, list indexes in brackets, and keys that are not names (`""`, `"a.b"`) quoted in brackets. */
export const argPath = (path: readonly PropertyKey[]) =>
  path
    .map((k, i) => {
      if (typeof k === "number") return `[${k}]`;
      const key = String(k);
      return /^[\w$-]+$/.test(key) ? `${i ? "." : ""}${camel(key)}` : `[${JSON.stringify(key)}]`;
    })
    .join("");

function reasonOf(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === "invalid_type" && value === undefined) return `required (${issue.expected})`;
  return issue.message;
}

/** A failure of the argument at `path`, its reason naming it. */
export const failure = (path: readonly PropertyKey[], reason: string): CheckFailure => {
  const property = argPath(path);
  return { property, reason: property ? `${property}: ${reason}` : reason };
};

/** Validates `args` (camelCase) against `schema` (the API's snake_case body), and that its text is well-formed. */
export function validate(schema: z.ZodType, args: Props): CheckFailure[] {
  const malformed = malformedText(args);
  const body = convertKeys(schema, args, "snake");
  const result = schema.safeParse(body);
  if (result.success) return malformed;
  const issues = result.error.issues
    .filter((issue) => !hasUnknown(getPath(body, issue.path))) // decided once the value is known
    .flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => failure([...issue.path, k], "unknown argument: not an argument of this resource"))
        : [failure(issue.path, reasonOf(issue, getPath(body, issue.path)))],
    );
  // Malformed text is said once: what the schema says of it (not one URL path segment, not an enum value) follows from it.
  const said = new Set(malformed.map((f) => f.property));
  return [...malformed, ...issues.filter((f) => !said.has(f.property))];
}

const MALFORMED = "malformed text: a lone UTF-16 surrogate (half of a pair)";

/** A failure for every string (value or key) with a lone surrogate, naming its path and never quoting it. */
function malformedText(v: unknown, path: PropertyKey[] = []): CheckFailure[] {
  if (typeof v === "string") return loneSurrogate(v) < 0 ? [] : [failure(path, `${MALFORMED} at index ${loneSurrogate(v)}`)];
  if (Array.isArray(v)) return v.flatMap((x, i) => malformedText(x, [...path, i]));
  if (!isObject(v)) return [];
  return Object.entries(v).flatMap(([k, x]) =>
    loneSurrogate(k) < 0 ? malformedText(x, [...path, k]) : [failure([...path, k], `a key of ${MALFORMED} at index ${loneSurrogate(k)}`)],
  );
}

/** A failure when `value` (known) is not a string id that is one URL path segment. */
export function idFailure(property: string, value: unknown, what: string): CheckFailure | undefined {
  if (hasUnknown(value)) return undefined; // decided once known
  if (value === undefined || value === "") return { property, reason: `${property}: required (${what})` };
  if (typeof value !== "string") return { property, reason: `${property}: must be a string (${what}), got ${JSON.stringify(value)}` };
  if (loneSurrogate(value) >= 0) return { property, reason: `${property}: ${MALFORMED} at index ${loneSurrogate(value)} (${what}, one URL path segment)` };
  if (!isPathSegment(value)) {
    return { property, reason: `${property}: must be one URL path segment (no "/", not "." or ".."), got ${JSON.stringify(value)}` };
  }
  return undefined;
}
