// Reading the API's `{ success, data, paging }` envelope, leniently: a newer
// API with more fields or enum values must not break a read.
import type { z } from "zod";
import { loose, type Paging } from "../schema";

export interface Envelope<T> {
  success?: boolean;
  data?: T;
  paging?: Paging;
}

const lenient = new WeakMap<z.ZodType, z.ZodType>();

/** Parses with the loose form of the schema; on mismatch keeps the raw value rather than failing. */
export function parseLenient<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  if (!lenient.has(schema)) lenient.set(schema, loose(schema));
  const r = lenient.get(schema)!.safeParse(value);
  return (r.success ? r.data : value) as z.infer<S>;
}

export function dataOf<S extends z.ZodType>(schema: S, body: Envelope<unknown> | undefined): z.infer<S> {
  if (!body || body.data === undefined || body.data === null) throw new Error("RealtimeKit API answered without data");
  return parseLenient(schema, body.data);
}
