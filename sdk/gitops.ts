// GitOps: presets and webhooks kept as YAML files, one object per file, in the
// API's own snake_case shape (what `GET /presets/{id}` returns), so a file can
// be pasted from the API and a pull request diff reads like the API object.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import type { z } from "zod";
import { convertKeys, defOf, objectShape, PresetCreate, unwrap, WebhookCreate } from "../provider/schema";
import { Preset } from "./preset";
import type { CamelKeys } from "./types";
import { Webhook } from "./webhook";

export interface LoadedFile<Args> {
  /** File name without extension: the Pulumi resource name. */
  name: string;
  /** Path of the file, as found under the directory given. */
  file: string;
  /** The object's fields in camelCase, ready to spread into the resource's arguments. */
  args: Args;
}
export type PresetFile = LoadedFile<CamelKeys<PresetCreate>>;
export type WebhookFile = LoadedFile<CamelKeys<WebhookCreate>>;

/** Fields the server sets; a pasted API object may carry them, and they are ignored. */
const SERVER_FIELDS = ["id", "created_at", "updated_at"];

/** Loads and validates every `*.yaml`/`*.yml` preset in `dir`. Throws one Error listing every problem of every file. */
export const loadPresets = (dir: string) => loadDir(dir, PresetCreate) as PresetFile[];

/** Loads and validates every `*.yaml`/`*.yml` webhook in `dir`. Throws one Error listing every problem of every file. */
export const loadWebhooks = (dir: string) => loadDir(dir, WebhookCreate) as WebhookFile[];

/** One Preset per file in `dir`, named after the file; returns them by name. */
export function presetsFromDir(dir: string, appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
  return Object.fromEntries(loadPresets(dir).map((f) => [f.name, new Preset(f.name, { appId, ...f.args }, opts)]));
}

/** One Webhook per file in `dir`, named after the file; returns them by name. */
export function webhooksFromDir(dir: string, appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
  return Object.fromEntries(loadWebhooks(dir).map((f) => [f.name, new Webhook(f.name, { appId, ...f.args }, opts)]));
}

function loadDir(dir: string, schema: z.ZodType): LoadedFile<unknown>[] {
  const names = fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  const problems: string[] = [];
  const loaded: LoadedFile<unknown>[] = [];
  for (const fileName of names) {
    const file = path.join(dir, fileName);
    // Resource names end up in URNs: keep them to plain characters.
    const name = fileName.replace(/\.ya?ml$/, "").replace(/[^A-Za-z0-9._-]/g, "-");
    if (loaded.some((l) => l.name === name)) {
      problems.push(`${file}: another file already defines "${name}"`);
      continue;
    }
    let doc: unknown;
    try {
      doc = YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
      problems.push(`${file}: expected a mapping of the API's fields`);
      continue;
    }
    const body = Object.fromEntries(Object.entries(doc).filter(([k]) => !SERVER_FIELDS.includes(k)));
    const result = schema.safeParse(body);
    if (result.success) loaded.push({ name, file, args: convertKeys(schema, result.data, "camel") });
    else problems.push(...result.error.issues.flatMap((issue) => describe(schema, body, issue).map((p) => `${file}: ${p}`)));
  }
  if (problems.length) throw new Error(problems.join("\n"));
  return loaded;
}

/** Path as written in the file: snake_case names, list indexes in brackets. */
const fieldPath = (p: readonly PropertyKey[]) =>
  p.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${String(k)}`)).join("");

/** `path: what is wrong and what is allowed`, one line per field. */
function describe(schema: z.ZodType, body: unknown, issue: z.core.$ZodIssue): string[] {
  const at = (p: readonly PropertyKey[], reason: string) => (p.length ? `${fieldPath(p)}: ${reason}` : reason);
  if (issue.code === "unrecognized_keys") {
    const allowed = fieldsAt(schema, issue.path);
    const hint = allowed.length ? `; allowed: ${allowed.join(", ")}` : "";
    return issue.keys.map((k) => at([...issue.path, k], `unknown field${hint}`));
  }
  if (valueAt(body, issue.path) === undefined) {
    return [at(issue.path, issue.code === "invalid_type" ? `required (${issue.expected})` : `required: ${issue.message}`)];
  }
  return [at(issue.path, issue.message)];
}

function valueAt(v: unknown, p: readonly PropertyKey[]): unknown {
  return p.reduce<unknown>((cur, k) => (cur !== null && typeof cur === "object" ? (cur as Record<PropertyKey, unknown>)[k] : undefined), v);
}

/** Field names of the object at `p` in the schema (none below a union: its branches differ). */
function fieldsAt(schema: z.ZodType, p: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (const k of p) {
    if (!s) break;
    const def = defOf(unwrap(s));
    s = def.type === "object" ? def.shape![String(k)] : def.type === "array" ? def.element : def.type === "record" ? def.valueType : undefined;
  }
  return Object.keys((s && objectShape(s)) ?? {});
}
