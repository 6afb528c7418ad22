// GitOps: presets, webhooks and meetings kept as YAML files in the API's own
// snake_case shape (what `GET /presets/{id}` returns), so a file can be pasted
// from the API and a pull request diff reads like the API object. An object with
// an `id` adopts that live object (`importId`) on the first `pulumi up`; one
// without is created. A preset may name a `role` and give only what differs from
// it (see the Preset resource). `realtimekit-export` writes this layout from a live account.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import type { z } from "zod";
import { AppCreate, camel, convertKeys, defOf, fieldPaths, MeetingCreate, objectShape, PresetArguments, unwrap, WebhookCreate } from "../provider/schema";
import { getPath, isObject, setOwn, setPath } from "../provider/values";
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
  /** What loaded but should be fixed (a credential written in plain text), naming the file and field, never the value. */
  warnings: string[];
}
export interface ConfigSecret {
  /** Path of the field in `args` (camelCase). */
  path: string[];
  /** The Pulumi config key (of the program's project) that holds the value. */
  key: string;
}
export type AppFile = LoadedFile<CamelKeys<AppCreate>>;
export type PresetFile = LoadedFile<CamelKeys<PresetArguments>>;
export type WebhookFile = LoadedFile<CamelKeys<WebhookCreate>>;
export type MeetingFile = LoadedFile<CamelKeys<MeetingCreate>>;

/** Everything wrong with the files, one line per problem, each starting with the file's path. Never quotes a file's content. */
export class GitOpsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "GitOpsError";
  }
}

/**
 * A value kept out of the files: `secret: !secret my-config-key` reads it from
 * Pulumi config. Only the YAML tag makes one (never a string, whatever it
 * holds), and only on a field the schema marks as a write-only credential.
 */
export class SecretRef {
  constructor(readonly key: string) {}
}
export const secretTag: YAML.ScalarTag = {
  tag: "!secret",
  identify: (v) => v instanceof SecretRef,
  // An empty key is reported with the field's path (see takeSecrets).
  resolve: (key) => new SecretRef(key),
  stringify: (item) => (item.value as SecretRef).key,
};

/** Timestamps the server sets; a pasted API object may carry them, and they are ignored. */
const TIMESTAMPS = ["created_at", "updated_at"];

/** Larger files are refused unread: the API's objects are a few KiB. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** `host.yaml`, `host.yml`, `host.YAML`: the extension in any case. */
const YAML_FILE = /\.ya?ml$/i;

/** Loads and validates every `*.yaml`/`*.yml` preset in `dir` (a `role` and any part of the sections). Throws a GitOpsError listing every problem of every file. */
export const loadPresets = (dir: string) => loadDir(dir, dir, PresetArguments) as PresetFile[];

/** Loads and validates every `*.yaml`/`*.yml` webhook in `dir`. Throws a GitOpsError listing every problem of every file. */
export const loadWebhooks = (dir: string) => loadDir(dir, dir, WebhookCreate) as WebhookFile[];

/** Loads and validates `file`: a mapping of meeting names (the resource names) to meetings. A missing or empty file has none. */
export const loadMeetings = (file: string) => loadMeetingsIn(file, path.dirname(file));

function loadMeetingsIn(file: string, root: string): MeetingFile[] {
  const problems: string[] = [];
  const loaded: LoadedFile<unknown>[] = [];
  const doc = parseFile(root, file, problems, true);
  if (doc != null && !isMapping(doc)) problems.push(`${file}: expected a mapping of meeting names to meetings`);
  for (const [key, meeting] of Object.entries(isMapping(doc) ? doc : {})) {
    const name = safeName(key);
    if (!name) problems.push(`${file}: a meeting needs a name (its key)`);
    else if (name === PROTO) problems.push(`${file}: ${key}: ${reserved("a meeting name", "rename it")}`);
    else if (loaded.some((l) => l.name === name)) problems.push(`${file}: ${key}: another meeting is already named "${name}"`);
    else addObject(loaded, problems, meeting, MeetingCreate, file, name, [key]);
  }
  return done(loaded, problems) as MeetingFile[];
}

/** Loads an app folder (see appFromDir): `app.yaml`, and `presets/`, `webhooks/` and `meetings.yaml` where present. Throws a GitOpsError listing every problem. */
export function loadAppDir(dir: string) {
  const problems: string[] = [];
  const at = (sub: string) => path.join(dir, sub);
  const app: LoadedFile<unknown>[] = [];
  const doc = parseFile(dir, at("app.yaml"), problems, false);
  if (doc !== undefined) addObject(app, problems, doc, AppCreate, at("app.yaml"), safeName(path.basename(path.resolve(dir))) || "app");
  const part = <T>(load: () => T[]): T[] => {
    try {
      return load();
    } catch (e) {
      if (!(e instanceof GitOpsError)) throw e;
      problems.push(...e.problems);
      return [];
    }
  };
  const content = {
    presets: part(() => (exists(at("presets")) ? (loadDir(at("presets"), dir, PresetArguments) as PresetFile[]) : [])),
    webhooks: part(() => (exists(at("webhooks")) ? (loadDir(at("webhooks"), dir, WebhookCreate) as WebhookFile[]) : [])),
    meetings: part(() => loadMeetingsIn(at("meetings.yaml"), dir)),
  };
  done(app, problems);
  return { app: app[0] as AppFile, ...content };
}

/** One Preset per file in `dir`, named after the file; returns them by name. */
export function presetsFromDir(dir: string, appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
  return declare(Preset, PresetArguments, loadPresets(dir), appId, opts);
}

/** One Webhook per file in `dir`, named after the file; returns them by name. */
export function webhooksFromDir(dir: string, appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
  return declare(Webhook, WebhookCreate, loadWebhooks(dir), appId, opts);
}

/** One Meeting per entry of `file` (see loadMeetings), named after its key; returns them by name. */
export function meetingsFromFile(file: string, appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
  return declare(Meeting, MeetingCreate, loadMeetings(file), appId, opts);
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
    presets: declare(Preset, PresetArguments, loaded.presets, app.id, opts, prefix),
    webhooks: declare(Webhook, WebhookCreate, loaded.webhooks, app.id, opts, prefix),
    meetings: declare(Meeting, MeetingCreate, loaded.meetings, app.id, opts, prefix),
  };
}

type ResourceClass<R> = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => R;

/**
 * One resource per loaded object: adopted when it has an id, `!secret` values
 * from Pulumi config. A credential written in plain text is used (as a secret
 * input) with the loader's warning.
 */
function declare<R>(kind: ResourceClass<R>, schema: z.ZodType, files: LoadedFile<object>[], appId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions, prefix = "") {
  return Object.fromEntries(
    files.map((f) => {
      const args: Record<string, unknown> = { appId, ...f.args };
      if (f.id !== undefined) args.importId = pulumi.interpolate`${appId}/${f.id}`;
      for (const p of credentialPaths(schema).map((c) => c.map(camel))) {
        const value = getPath(args, p);
        if (typeof value === "string") setPath(args, p, pulumi.secret(value));
      }
      for (const s of f.secrets) setPath(args, s.path, new pulumi.Config().requireSecret(s.key));
      for (const w of f.warnings) void pulumi.log.warn(w);
      return [f.name, new kind(prefix + f.name, args as never, opts)];
    }),
  ) as Record<string, R>;
}

function loadDir(dir: string, root: string, schema: z.ZodType): LoadedFile<unknown>[] {
  const problems: string[] = [];
  const loaded: LoadedFile<unknown>[] = [];
  const where = locate(root, dir);
  if (where.problem || !where.real) problems.push(`${dir}: ${where.problem ?? "no such folder"}`);
  else if (!fs.statSync(where.real).isDirectory()) problems.push(`${dir}: not a folder`);
  const names = problems.length ? [] : fs.readdirSync(dir).filter((n) => YAML_FILE.test(n)).sort();
  for (const fileName of names) {
    const file = path.join(dir, fileName);
    const name = safeName(fileName.replace(YAML_FILE, ""));
    if (!name) {
      problems.push(`${file}: the file needs a name before its extension (the resource name)`);
      continue;
    }
    if (name === PROTO) {
      problems.push(`${file}: ${reserved("a resource name", "rename the file")}`);
      continue;
    }
    if (loaded.some((l) => l.name === name)) {
      problems.push(`${file}: another file already defines "${name}"`);
      continue;
    }
    const doc = parseFile(root, file, problems, false);
    if (doc !== undefined) addObject(loaded, problems, doc, schema, file, name);
  }
  return done(loaded, problems);
}

/** Resource names end up in URNs: keep them to plain characters. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, "-");

/**
 * A key YAML hands over as an own property but JavaScript reads as an object's
 * prototype: copied by plain assignment, `__proto__: {enabled: false}` once
 * became the webhook's `enabled`. Never a field or a name, so refused.
 */
const PROTO = "__proto__";
const reserved = (what: string, fix: string) => `\`__proto__\` is never ${what} (JavaScript reads it as an object's prototype): ${fix}`;

const exists = (p: string) => fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;

/**
 * Where `p` really is, if it exists and stays inside `root` once links are
 * followed (both may be links). A link out of the folder, or to nothing, is a
 * problem: the loader never reads outside the folder it was given.
 */
function locate(root: string, p: string): { real?: string; problem?: string } {
  if (!exists(p)) return {};
  let real: string;
  let top: string;
  try {
    top = fs.realpathSync(root);
    real = fs.realpathSync(p);
  } catch {
    return { problem: `a symbolic link that leads nowhere, or out of ${root}: not read` };
  }
  if (real !== top && !real.startsWith(top.endsWith(path.sep) ? top : top + path.sep)) {
    return { problem: `a symbolic link out of ${root}: not read` };
  }
  return { real };
}

/**
 * The file's YAML with `!secret` values as SecretRef objects; undefined (and a
 * problem) when it is missing (unless `optional`), outside the folder, not a
 * plain file, too large, not YAML, or more than one YAML document. Problems give positions and kinds, never
 * the text: the file may hold a credential.
 */
function parseFile(root: string, file: string, problems: string[], optional: boolean): unknown {
  const problem = (reason: string) => void problems.push(`${file}: ${reason}`);
  const where = locate(root, file);
  if (where.problem) return problem(where.problem);
  if (!where.real) return optional ? undefined : problem("not found");
  let text: string;
  try {
    const stat = fs.statSync(where.real);
    if (!stat.isFile()) return problem("not a file");
    if (stat.size > MAX_FILE_BYTES) return problem(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB: not read`);
    text = fs.readFileSync(where.real, "utf8");
  } catch (e) {
    return problem(`cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  // Silent: the parser's own warnings on stderr would quote the text. Every
  // document is parsed: parseDocument, silent, drops all but the first unsaid.
  const docs = YAML.parseAllDocuments(text, { customTags: [secretTag], prettyErrors: false, uniqueKeys: true, logLevel: "silent" });
  // A stream of no document keeps its own errors (a directive with nothing after it).
  const errors = "empty" in docs ? [...docs.errors, ...docs.warnings] : docs.flatMap((d) => [...d.errors, ...d.warnings]);
  const bad = errors.map((e) => ({ at: e.pos[0], reason: YAML_PROBLEMS[e.code] ?? `not valid YAML (${e.code.toLowerCase().replace(/_/g, " ")})` }));
  if (docs.length > 1) bad.push({ at: docs[1].range[0], reason: "a second YAML document: a file holds only one" });
  const doc = docs[0];
  // A key that is a mapping, a list or an alias would become a made-up string key.
  if (doc) YAML.visit(doc, {
    Pair: (_, pair) => void (YAML.isScalar(pair.key) || pair.key === null || bad.push({ at: (pair.key as YAML.Node).range?.[0] ?? 0, reason: "a key that is not a plain value" })),
  });
  if (bad.length) {
    for (const b of bad) problem(`${position(text, b.at)}: ${b.reason}`);
    return undefined;
  }
  if (!doc) return null; // empty, or comments only
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return problem("not valid YAML (aliases)");
  }
}

/** Our words for the YAML problems users meet most; the rest are named by the parser's code. */
const YAML_PROBLEMS: Partial<Record<YAML.ErrorCode, string>> = {
  DUPLICATE_KEY: "a key given twice",
  TAG_RESOLVE_FAILED: "an unknown tag (the only one known is !secret, on a plain value)",
  BAD_INDENT: "not valid YAML (bad indentation, or an unclosed bracket)",
};

/** "line L, column C" of an offset in `text`. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** Validates one object (at `at` in `file`) and adds it to `loaded`, or adds its problems. */
function addObject(loaded: LoadedFile<unknown>[], problems: string[], doc: unknown, schema: z.ZodType, file: string, name: string, at: string[] = []) {
  const report = (p: readonly PropertyKey[], reason: string) => problems.push(`${file}: ${p.length ? `${fieldPath(p)}: ` : ""}${reason}`);
  if (!isMapping(doc)) return report(at, "expected a mapping of the API's fields");
  const { id, ...fields } = doc;
  if (id !== undefined && (typeof id !== "string" || !id)) return report([...at, "id"], "expected the live object's id (a string)");
  const other = id !== undefined && loaded.find((l) => l.id === id);
  if (other) return report([...at, "id"], `${id} is also the id of ${other.file === file ? other.name : other.file}`);
  const data = Object.fromEntries(Object.entries(fields).filter(([k]) => !TIMESTAMPS.includes(k)));
  const taken = takeSecrets(data, credentialPaths(schema), (p, reason) => report([...at, ...p], reason));
  if (!taken) return;
  const result = schema.safeParse(taken.body);
  if (!result.success) {
    for (const issue of result.error.issues) for (const d of describe(schema, taken.body, issue)) report([...at, ...d.path], d.reason);
    return;
  }
  const warnings = credentialPaths(schema)
    .filter((p) => typeof getPath(result.data, p) === "string")
    .map(
      (p) =>
        `${file}: ${fieldPath([...at, ...p])}: a credential written in plain text; write \`!secret <config key>\` instead and set it with \`pulumi config set --secret <config key> <value>\``,
    );
  const args = convertKeys(schema, result.data, "camel") as Record<string, unknown>;
  loaded.push({ name, file, ...(id !== undefined && { id }), args, secrets: taken.secrets, warnings });
}

/** A YAML mapping as plain data (not a `!secret` value, a set or a binary). */
const isMapping = (v: unknown): v is Record<string, unknown> =>
  isObject(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

const credentialCache = new Map<z.ZodType, string[][]>();
/** Paths (snake_case) of the fields the schema marks as write-only credentials: the only places `!secret` may stand. */
function credentialPaths(schema: z.ZodType | undefined): string[][] {
  if (!schema) return [];
  if (!credentialCache.has(schema)) credentialCache.set(schema, fieldPaths(schema, (m) => !!m.writeOnly && !!m.secret));
  return credentialCache.get(schema)!;
}

/** A Pulumi config key of the program's project: no namespace (`:`), no blanks. */
const CONFIG_KEY = /^[^\s:\u0000-\u001f\u007f]+$/;

/**
 * A copy of `data` without its `!secret` values, and where they were (camelCase
 * paths). Undefined, with problems reported, when a `!secret` stands anywhere but
 * on a credential field, or a value is no plain YAML data (a binary, a set, a
 * number that is not finite, an alias that contains itself).
 */
function takeSecrets(data: Record<string, unknown>, credentials: string[][], report: (p: PropertyKey[], reason: string) => void) {
  const secrets: ConfigSecret[] = [];
  let ok = true;
  const fail = (p: PropertyKey[], reason: string) => {
    ok = false;
    report(p, reason);
  };
  const allowed = credentials.length
    ? `!secret is allowed only on a write-only credential (${credentials.map((c) => c.join(".")).join(", ")})`
    : "!secret is allowed only on a write-only credential, and this kind of object has none";
  const OMIT = Symbol("omit");
  const copy = (v: unknown, p: PropertyKey[], open: unknown[]): unknown => {
    if (v instanceof SecretRef) {
      if (!credentials.some((c) => c.length === p.length && c.every((k, i) => k === p[i]))) fail(p, allowed);
      else if (!CONFIG_KEY.test(v.key)) fail(p, "!secret needs the name of a Pulumi config key of this project (no ':', no blanks)");
      else secrets.push({ path: p.map((k) => camel(String(k))), key: v.key });
      return OMIT;
    }
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : fail(p, "not a finite number");
    if (open.includes(v)) return fail(p, "a YAML alias that contains itself");
    if (Array.isArray(v)) return v.map((x, i) => copy(x, [...p, i], [...open, v]));
    if (isMapping(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        // Refused wherever it stands: below a free-form map (config_diff) the schema would drop it unsaid.
        if (k === PROTO) fail([...p, k], reserved("a field", "remove it"));
        const c = copy(x, [...p, k], [...open, v]);
        if (c !== OMIT) setOwn(out, k, c);
      }
      return out;
    }
    return fail(p, "not plain YAML data (expected a mapping, a list, a string, a number, true/false or null)");
  };
  const body = copy(data, [], []) as Record<string, unknown>;
  return ok ? { body, secrets } : undefined;
}

function done(loaded: LoadedFile<unknown>[], problems: string[]) {
  if (problems.length) throw new GitOpsError(problems);
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
