// Every optional argument of a resource kind, read off its zod schema: the
// leaves (values that are not objects) of its arguments, each with its kind
// (provider/schema/defaults.ts) and a valid value that differs from what the
// program gets when it leaves the field out. test/whole-object.test.ts sets them
// all, removes them and drifts them, through both doors.
import * as path from "node:path";
import { nodeRequire, root } from "./stack";

type Schema = import("zod").ZodType;
const schema: typeof import("../../provider/schema") = nodeRequire(path.join(root, "dist/provider/schema"));
const { setPath }: typeof import("../../provider/values") = nodeRequire(path.join(root, "dist/provider/values"));
const { camel, defaultOf, defOf, fieldKind, isOptional, metaOf, objectShape, unwrap } = schema;

export interface Leaf {
  /** Path in the API's object (snake_case) and in the arguments (camelCase). */
  snake: string[];
  camel: string[];
  /** The field's own kind; server-filled below a server-filled object. */
  kind: ReturnType<typeof fieldKind>;
  /** The API accepts it and never returns it. */
  writeOnly: boolean;
  /** A value (snake_case keys) other than the one the program gets without the field. */
  value: unknown;
  /** The field's default (snake_case), if it has one. */
  default: unknown;
}

/**
 * The leaves of `args` (an arguments schema, snake_case) below its optional fields; `baseline` is the
 * desired object (snake_case) of arguments that leave them all out, to pick values that differ from it.
 */
export function leaves(args: Schema, baseline: Record<string, unknown>, skip: string[] = []): Leaf[] {
  const shape = objectShape(args)!;
  return Object.entries(shape)
    .filter(([k, f]) => isOptional(f) && !skip.includes(k))
    .flatMap(([k, f]) => walk(f, baseline[k], [k], fieldKind(f), !!metaOf(f).writeOnly));
}

function walk(f: Schema, base: unknown, at: string[], kind: Leaf["kind"], writeOnly: boolean): Leaf[] {
  const shape = objectShape(f);
  // Where the desired object has no value (below an object it leaves out), the field's default is what a value must differ from.
  if (!shape) return [{ snake: at, camel: at.map(camel), kind, writeOnly, value: differentFrom(f, base ?? defaultOf(f), at), default: defaultOf(f) }];
  return Object.entries(shape).flatMap(([k, sub]) => {
    const leafKind = kind === "serverFilled" ? kind : fieldKind(sub);
    const below = base !== null && typeof base === "object" ? (base as Record<string, unknown>)[k] : undefined;
    return walk(sub, below, [...at, k], leafKind, writeOnly || !!metaOf(sub).writeOnly);
  });
}

/** A valid value of `f` other than `base`. */
function differentFrom(f: Schema, base: unknown, at: string[]): unknown {
  const d = defOf(unwrap(f)) as ReturnType<typeof defOf> & { checks?: { _zod: { def: { check: string; value: number; inclusive: boolean } } }[]; format?: string };
  switch (d.type) {
    case "enum":
      return Object.values(d.entries!).find((v) => v !== base);
    case "boolean":
      return base === undefined ? true : !base;
    case "number": {
      const bounds = (d.checks ?? []).map((c) => c._zod.def);
      const min = bounds.find((c) => c.check === "greater_than")?.value;
      const max = bounds.find((c) => c.check === "less_than")?.value;
      return [min, max, 1, 2].find((v) => v !== undefined && v !== base && (min === undefined || v >= min) && (max === undefined || v <= max));
    }
    case "string":
      return d.format === "url" ? `https://example.com/${at.join("/")}` : `whole-${at.join("-")}`;
    case "array": {
      const element = defOf(unwrap(d.element!));
      if (element.type === "enum") return [Object.values(element.entries!)[0]];
      return [element.type === "number" ? 360 : "whole"];
    }
    case "record":
      return { whole: differentFrom(d.valueType!, undefined, [...at, "whole"]) };
    case "union": {
      // A map from plugin id to its access setting (the branch the role templates do not use).
      const record = d.options!.map(unwrap).find((o) => defOf(o).type === "record")!;
      const setting = objectShape(defOf(record).valueType!)!;
      const value = Object.fromEntries(Object.entries(setting).map(([k, s]) => [k, differentFrom(s, undefined, [...at, k])]));
      return { "b8d3c6a1-52f3-4d4e-8a0e-1f0f3f8a9c11": value };
    }
    default:
      return true;
  }
}

/** `leaves`' values laid into one object (snake_case). */
export function objectOf(ls: Leaf[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const l of ls) setPath(out, l.snake, structuredClone(l.value));
  return out;
}
