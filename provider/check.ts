// `check`: validates a resource's arguments with the same zod schema the API
// requests are built from, before anything is sent. Each failure names the
// argument's path (as the user wrote it, in camelCase) and what is allowed.
import type { z } from "zod";
import { camel, convertKeys, isPathSegment } from "./schema";
import { getPath, hasUnknown, type Props } from "./values";

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

/** Validates `args` (camelCase) against `schema` (the API's snake_case body). */
export function validate(schema: z.ZodType, args: Props): CheckFailure[] {
  const body = convertKeys(schema, args, "snake");
  const result = schema.safeParse(body);
  if (result.success) return [];
  const failure = (path: readonly PropertyKey[], reason: string) => {
    const property = argPath(path);
    return { property, reason: property ? `${property}: ${reason}` : reason };
  };
  return result.error.issues
    .filter((issue) => !hasUnknown(getPath(body, issue.path))) // decided once the value is known
    .flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => failure([...issue.path, k], "unknown argument: not an argument of this resource"))
        : [failure(issue.path, reasonOf(issue, getPath(body, issue.path)))],
    );
}

/** A failure when `value` (known) is not a string id that is one URL path segment. */
export function idFailure(property: string, value: unknown, what: string): CheckFailure | undefined {
  if (hasUnknown(value)) return undefined; // decided once known
  if (value === undefined || value === "") return { property, reason: `${property}: required (${what})` };
  if (typeof value !== "string") return { property, reason: `${property}: must be a string (${what}), got ${JSON.stringify(value)}` };
  if (!isPathSegment(value)) {
    return { property, reason: `${property}: must be one URL path segment (no "/", not "." or ".."), got ${JSON.stringify(value)}` };
  }
  return undefined;
}
