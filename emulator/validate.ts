// Request validation with the provider's own zod schemas: what the emulator
// accepts is exactly what the provider is allowed to send.
import type { z } from "zod";
import { defOf, objectShape, unwrap } from "../provider/schema";
import { HttpError } from "./http";

/** Parses or throws a 400 whose message names each failing field, e.g. `config.media.video.quality: Invalid option: ...`. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
  throw new HttpError(400, message);
}

/** Query strings carry only text: fields the schema types as numbers are converted first. */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.infer<S> {
  const shape = objectShape(schema) ?? {};
  const isNumber = (key: string) => key in shape && defOf(unwrap(shape[key])).type === "number";
  const raw = Object.fromEntries([...params].map(([k, v]) => [k, isNumber(k) ? Number(v) : v]));
  return parse(schema, raw);
}
