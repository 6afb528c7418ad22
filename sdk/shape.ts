// Output names of the resource classes, read off the zod schemas at run time.
// (Their types are generated: sdk/generated.ts.)
import type { z } from "zod";
import { camel, objectShape } from "../provider/schema";

export const outputNames = (s: z.ZodType) => Object.keys(objectShape(s) ?? {}).filter((k) => k !== "id").map(camel);
