// Output names of the resource classes, read off the zod schemas at run time.
// (Their types are generated: sdk/generated.ts.)
import type { z } from "zod";
import { camel, fieldPaths, objectShape } from "../provider/schema";

export const outputNames = (s: z.ZodType) => Object.keys(objectShape(s) ?? {}).filter((k) => k !== "id").map(camel);

/** Top-level outputs that hold a secret somewhere inside. */
export const secretOutputs = (s: z.ZodType) => [...new Set(fieldPaths(s, (m) => !!m.secret).map((p) => camel(p[0])))];
