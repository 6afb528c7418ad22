// Argument and output shapes of the resource classes, read off the zod schemas.
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { camel, fieldPaths, objectShape } from "../provider/schema";
import type { CamelKeys, DeepInput } from "./types";

/** Arguments: the API's create body in camelCase, every value a pulumi.Input. */
export type ArgsOf<S extends z.ZodType> = { [K in keyof CamelKeys<z.input<S>>]: DeepInput<CamelKeys<z.input<S>>[K]> };

/** Outputs: every field of the API's object, camelCase, as pulumi.Output. */
export type OutputsOf<S extends z.ZodType> = { readonly [K in keyof CamelKeys<z.output<S>>]-?: pulumi.Output<CamelKeys<z.output<S>>[K]> };

export const outputNames = (s: z.ZodType) => Object.keys(objectShape(s) ?? {}).filter((k) => k !== "id").map(camel);

/** Top-level outputs that hold a secret somewhere inside. */
export const secretOutputs = (s: z.ZodType) => [...new Set(fieldPaths(s, (m) => !!m.secret).map((p) => camel(p[0])))];
