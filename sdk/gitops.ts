// GitOps: presets, webhooks and meetings kept as YAML files in the API's own
// snake_case shape (what `GET /presets/{id}` returns), so a file can be pasted
// from the API and a pull request diff reads like the API object. An object with
// an `id` adopts that live object (`importId`) on the first `pulumi up`; one
// without is created. `realtimekit-export` writes this layout from a live account.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import type { z } from "zod";
import { AppCreate, convertKeys, defOf, MeetingCreate, objectShape, PresetCreate, unwrap, WebhookCreate } from "../provider/schema";
import { getPath, isObject, setPath } from "../provider/values";
import { App } from "./app";
import { Meeting } from "./meeting";
import { Preset } from "./preset";
import type { CamelKeys } from "./types";
import { Webhook } from "./webhook";

export interface LoadedFile<Args> {
  /** File name without extension (meetings: the key in meetings.yaml): the Pulumi resource name. */
  name: string;
  /** Path of the file, as found under the directory given. */
  file: string;
  /** The live object's id, when the file names one: the resource adopts that object instead of creating one. */
  id?: string;
  /** The object's fields in camelCase, ready to spread into the resource's arguments; `!secret` fields left out. */
  args: Args;
  /** Fields written `!secret <config key>`: read from Pulumi config by the `*FromDir`/`*FromFile` functions. */
  secrets: ConfigSecret[];
}
export interface ConfigSecret {
  /** Path of the field in `args` (camelCase). */
  path: string[];
  /** The Pulumi config key (of the program's project) that holds the value. */
  key: string;
}
export type AppFile = LoadedFile<CamelKeys<AppCreate>>;
export type PresetFile = LoadedFile<CamelKeys<PresetCreate>>;
export type WebhookFile = LoadedFile<CamelKeys<WebhookCreate>>;
export type MeetingFile = LoadedFile<CamelKeys<MeetingCreate>>;

/** A value kept out of the files: `secret: !secret my-config-key` reads it from Pulumi config. */
export class SecretRef {
  constructor(readonly key: string) {}
}
export const secretTag: YAML.ScalarTag = {
  tag: "!secret",
  identify: (v) => v instanceof SecretRef,
  resolve(key, onError) {
    if (!key) onError("!secret needs the name of a Pulumi config key");
    return new SecretRef(key);
  },
  stringify: (item) => (item.value as SecretRef).key,
};
// Stands in for a `!secret` value while the object is validated and its keys converted.
const SECRET_MARK = "\u0000secret:";

/** Timestamps the server sets; a pasted API object may carry them, and they are ignored. */
const TIMESTAMPS = ["created_at", "updated_at"];

/** Loads and validates every `*.yaml`/`*.yml` preset in `dir`. Throws one Error listing every problem of every file. */
export const loadPresets = (dir: string) => loadDir(dir, PresetCreate) as PresetFile[];

/** Loads and validates every `*.yaml`/`*.yml` webhook in `dir`. Throws one Error listing every problem of every file. */
export const loadWebhooks = (dir: string) => loadDir(dir, WebhookCreate) as WebhookFile[];

/** Loads and validates `file`: a mapping of meeting names (the resource names) to meetings. A missing or empty file has none. */
export function loadMeetings(file: string): MeetingFile[] {
  const problems: string[] = [];
  const loaded: LoadedFile<unknown>[] = [];
  const doc = fs.existsSync(file) ? parseFile(file, problems) : undefined;
  if (doc != null && !isObject(doc)) problems.push(`${file}: expected a mapping of meeting names to meetings`);
  for (const [key, meeting] of Object.entries(isObject(doc) ? doc : {})) {
    const name = safeName(key);
    if (loaded.some((l) => l.name === name)) problems.push(`${file}: ${key}: another meeting is already named "${name}"`);
    else addObject(loaded, problems, meeting, MeetingCreate, file, name, [key]);
  }
  return done(loaded, problems) as MeetingFile[];
}

/** Loads an app folder (see appFromDir): `app.yaml`, and `presets/`, `webhooks/` and `meetings.yaml` where present. Throws one Error listing every problem. */
export function loadAppDir(dir: string) {
  const problems: string[] = [];
  const at = (sub: string) => path.join(dir, sub);
  const app: LoadedFile<unknown>[] = [];
  const doc = parseFile(at("app.yaml"), problems);
  if (doc !== undefined) addObject(app, problems, doc, AppCreate, at("app.yaml"), safeName(path.basename(path.resolve(dir))));
  const part = <T>(load: () => T[]): T[] => {
    try {
      return load();
    } catch (e) {
      problems.push((e as Error).message);
      return [];
    }
  };
  const content = {
    presets: part(() => (fs.existsSync(at("presets")) ? loadPresets(at("presets")) : [])),
    webhooks: part(() => (fs.existsSync(at("webhooks")) ? loadWebhooks(at("webhooks")) : [])),
    meetings: part(() => loadMeetings(at("meetings.yaml"))),
  };
  done(app, problems);
  return { app: app[0] as AppFile, ...content };
}

/** One Preset per file in `dir`, named after the file; returns them by name. */
export function presetsFromDir(dir: string, appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
  return declare(Preset, loadPresets(dir), appId, opts);
}

/** One Webhook per file in `dir`, named after the file; returns them by name. */
export function webhooksFromDir(dir: string, appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
  return declare(Webhook, loadWebhooks(dir), appId, opts);
}

/** One Meeting per entry of `file` (see loadMeetings), named after its key; returns them by name. */
export function meetingsFromFile(file: string, appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
  return declare(Meeting, loadMeetings(file), appId, opts);
}

/**
 * An app kept as a folder, the layout `realtimekit-export` writes: `app.yaml`
 * (the app's `name`, and its `id` to adopt it), `presets/` and `webhooks/` (a
 * file per object) and `meetings.yaml`. Resources are named `<folder>/<name>`
 * (the app: `<folder>`), so several apps fit in one stack.
 */
export function appFromDir(dir: string, opts?: pulumi.CustomResourceOptions) {
  const loaded = loadAppDir(dir);
  const { name, id, args } = loaded.app;
  const app = new App(name, { ...args, ...(id !== undefined && { importId: id }) }, opts);
  const prefix = `${name}/`;
  return {
    app,
    presets: declare(Preset, loaded.presets, app.id, opts, prefix),
    webhooks: declare(Webhook, loaded.webhooks, app.id, opts, prefix),
    meetings: declare(Meeting, loaded.meetings, app.id, opts, prefix),
  };
}

type ResourceClass<R> = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => R;

/** One resource per loaded object: adopted when it has an id, `!secret` values from Pulumi config. */
function declare<R>(kind: ResourceClass<R>, files: LoadedFile<object>[], appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions, prefix = "") {
  return Object.fromEntries(
    files.map((f) => {
      const args: Record<string, unknown> = { appId, ...f.args };
      if (f.id !== undefined) args.importId = pulumi.interpolate`${appId}/${f.id}`;
      for (const s of f.secrets) setPath(args, s.path, new pulumi.Config().requireSecret(s.key));
      return [f.name, new kind(prefix + f.name, args as never, opts)];
    }),
  ) as Record<string, R>;
}

function loadDir(dir: string, schema: z.ZodType): LoadedFile<unknown>[] {
  const names = fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  const problems: string[] = [];
  const loaded: LoadedFile<unknown>[] = [];
  for (const fileName of names) {
    const file = path.join(dir, fileName);
    const name = safeName(fileName.replace(/\.ya?ml$/, ""));
    if (loaded.some((l) => l.name === name)) {
      problems.push(`${file}: another file already defines "${name}"`);
      continue;
    }
    const doc = parseFile(file, problems);
    if (doc !== undefined) addObject(loaded, problems, doc, schema, file, name);
  }
  return done(loaded, problems);
}

/** Resource names end up in URNs: keep them to plain characters. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, "-");

/** The file's YAML, `!secret` values marked; undefined (and a problem) when it does not parse. */
function parseFile(file: string, problems: string[]): unknown {
  try {
    return YAML.parse(fs.readFileSync(file, "utf8"), markSecrets, { customTags: [secretTag] });
  } catch (e) {
    problems.push(`${file}: ${(e as Error).message}`);
    return undefined;
  }
}

/** YAML reviver: a `!secret` value becomes a marked string, which validates as a string and is taken out after. */
function markSecrets(this: unknown, _key: unknown, v: unknown) {
  if (!(v instanceof SecretRef)) return v;
  // A list item has no path in the arguments to put the value at.
  if (Array.isArray(this)) throw new Error(`!secret ${v.key}: not supported in a list`);
  return SECRET_MARK + v.key;
}

/** Validates one object (at `at` in `file`) and adds it to `loaded`, or adds its problems. */
function addObject(loaded: LoadedFile<unknown>[], problems: string[], doc: unknown, schema: z.ZodType, file: string, name: string, at: string[] = []) {
  const report = (p: readonly PropertyKey[], reason: string) => problems.push(`${file}: ${p.length ? `${fieldPath(p)}: ` : ""}${reason}`);
  if (!isObject(doc)) return report(at, "expected a mapping of the API's fields");
  const { id, ...fields } = doc;
  if (id !== undefined && (typeof id !== "string" || !id)) return report([...at, "id"], "expected the live object's id (a string)");
  const other = id !== undefined && loaded.find((l) => l.id === id);
  if (other) return report([...at, "id"], `${id} is also the id of ${other.file === file ? other.name : other.file}`);
  const body = Object.fromEntries(Object.entries(fields).filter(([k]) => !TIMESTAMPS.includes(k)));
  const result = schema.safeParse(body);
  if (!result.success) {
    for (const issue of result.error.issues) for (const d of describe(schema, body, issue)) report([...at, ...d.path], d.reason);
    return;
  }
  const args = convertKeys(schema, result.data, "camel") as Record<string, unknown>;
  loaded.push({ name, file, ...(id !== undefined && { id }), args, secrets: takeSecrets(args) });
}

/** Removes the marked `!secret` values from `args` and returns where they were. */
function takeSecrets(v: Record<string, unknown>, at: string[] = []): ConfigSecret[] {
  return Object.entries(v).flatMap(([k, x]) => {
    if (typeof x === "string" && x.startsWith(SECRET_MARK)) {
      delete v[k];
      return [{ path: [...at, k], key: x.slice(SECRET_MARK.length) }];
    }
    return isObject(x) ? takeSecrets(x, [...at, k]) : [];
  });
}

function done(loaded: LoadedFile<unknown>[], problems: string[]) {
  if (problems.length) throw new Error(problems.join("\n"));
  return loaded;
}

/** Path as written in the file: snake_case names, list indexes in brackets. */
const fieldPath = (p: readonly PropertyKey[]) =>
  p.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${String(k)}`)).join("");

/** What is wrong at which path, and what is allowed: one entry per field. */
function describe(schema: z.ZodType, body: unknown, issue: z.core.$ZodIssue): { path: readonly PropertyKey[]; reason: string }[] {
  if (issue.code === "unrecognized_keys") {
    const allowed = fieldsAt(schema, issue.path);
    const hint = allowed.length ? `; allowed: ${allowed.join(", ")}` : "";
    return issue.keys.map((k) => ({ path: [...issue.path, k], reason: `unknown field${hint}` }));
  }
  if (getPath(body, issue.path) === undefined) {
    return [{ path: issue.path, reason: issue.code === "invalid_type" ? `required (${issue.expected})` : `required: ${issue.message}` }];
  }
  return [{ path: issue.path, reason: issue.message }];
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
