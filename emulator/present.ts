// Turns a stored record into what the API returns for a given response schema:
// only the schema's top-level fields, and never a write-only field.
import type { z } from "zod";
import { fieldPaths } from "../provider/schema";

type ObjectSchema = z.ZodType & { shape: Record<string, unknown> };

export function presenter(schema: ObjectSchema): (record: object) => Record<string, unknown> {
  const keys = Object.keys(schema.shape);
  const hidden = fieldPaths(schema, (meta) => !!meta.writeOnly);
  return (record) => {
    const source = record as Record<string, unknown>;
    const out = structuredClone(Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]])));
    for (const path of hidden) removePath(out, path);
    return out;
  };
}

function removePath(obj: Record<string, unknown>, path: string[]): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    delete obj[head];
    return;
  }
  const child = obj[head];
  if (typeof child === "object" && child !== null) removePath(child as Record<string, unknown>, rest);
}
