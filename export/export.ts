// realtimekit-export's work: reads apps' presets, webhooks and meetings through
// the client and writes them in the GitOps layout of sdk/gitops.ts (a folder per
// app), with a Pulumi program that adopts them (render.ts). Names are stable: an
// object keeps the file (or meetings.yaml key) that already holds its id, so
// exporting again over the folder changes exactly what changed live, and the
// folder's diff is the drift.
import * as path from "node:path";
import * as YAML from "yaml";
import { all, type RealtimeKit } from "../provider/client";
import type { Kind } from "../provider/resource";
import { type App, fieldPaths, MeetingCreate, withoutDefaults } from "../provider/schema";
import { meeting } from "../provider/resources/meeting";
import { webhook } from "../provider/resources/webhook";
import { withoutServerSet } from "../provider/server-set";
import { getPath, isObject, setPath } from "../provider/values";
import { loadAppDir, SecretRef, secretTag } from "../sdk/gitops";
import { ExportError, Files } from "./files";
import { presetFile } from "./preset";
import { HEADERS, projectFiles, type ProgramApp } from "./render";

export { ExportError } from "./files";

export interface ExportOptions {
  api: RealtimeKit;
  /** The program's folder: created if missing, brought up to date if the export made it; any other folder is refused. */
  out: string;
  /** Ids of the apps to export, or every app of the account. */
  apps: string[] | "all";
  /** Told once per object read, e.g. `Webinars: preset host (3/10)`. */
  progress?: (line: string) => void;
  /** The program's dependency on pulumi-realtimekit in its package.json; default: this version. */
  packageSpec?: string;
}

export interface ExportResult {
  /** Every app of the program (also those exported before and not this time). */
  apps: ProgramApp[];
  /** Paths below `out` written anew, changed and removed: the drift since the last export. */
  added: string[];
  changed: string[];
  removed: string[];
}

type Live = { id: string; created_at?: string } & Record<string, unknown>;
interface Snapshot {
  app: App;
  presets: Live[];
  webhooks: Live[];
  meetings: Live[];
}

export async function exportApps(o: ExportOptions): Promise<ExportResult> {
  // The folder is checked before the API is asked anything: a refusal costs nothing.
  const files = new Files(o.out);
  // The project files are rewritten last: what would stop them must stop the export before it writes anything.
  for (const name of Object.keys(projectFiles([]))) files.writable(name);
  const live = await all(o.api.apps.list());
  const chosen = o.apps === "all" ? live : o.apps.map((id) => live.find((a) => a.id === id) ?? unknownApp(id, live));
  // Everything is read before anything is written: a failure part-way leaves the folder as it was.
  const snapshots: Snapshot[] = [];
  for (const app of byAge(chosen)) snapshots.push(await readApp(o.api, app, o.progress ?? (() => {})));

  const existing = appFolders(files);
  const exported = new Set(snapshots.map((s) => s.app.id));
  const folders = nameAll(
    snapshots.map((s) => s.app),
    (a) => a.name,
    "app",
    new Map(existing.filter((f) => f.id !== undefined).map((f) => [f.id!, f.folder])),
    // Anything else in the folder (the user's own files and folders) keeps its name.
    new Set(files.list(".").filter((n) => !existing.some((f) => f.folder === n && exported.has(f.id!)))),
  );
  snapshots.forEach((s, i) => writeApp(files, folders[i], s, o.progress ?? (() => {})));
  // With --all the folder mirrors the account: apps that are gone (or were never created) go too.
  if (o.apps === "all") for (const f of existing) if (!exported.has(f.id!)) files.removeApp(f.folder);
  files.commit();

  const apps = appFolders(files).map(({ folder }) => {
    try {
      return { folder, ...loadAppDir(path.join(o.out, folder)) };
    } catch (e) {
      throw new ExportError(`the exported files do not load with this version of pulumi-realtimekit:\n${(e as Error).message}`);
    }
  });
  for (const [name, text] of Object.entries(projectFiles(apps, o.packageSpec))) {
    if (text.always || files.kind(name) === undefined) files.write(name, text.content);
  }
  files.commit();
  return { apps, ...files.changes };
}

function unknownApp(id: string, live: App[]): never {
  const known = live.map((a) => `${a.name} (${a.id})`).join(", ");
  throw new ExportError(printable(`app ${id} not found in this account; ${known ? `its apps: ${known}` : "it has no apps"}`));
}

/**
 * Oldest first (ties by id): the order names are handed out in, so `-2` goes to
 * the younger one. Without every timestamp, the API's own order stays.
 */
const byAge = <T extends { id: string; created_at?: string }>(xs: T[]) =>
  xs.some((x) => Number.isNaN(Date.parse(x.created_at ?? "")))
    ? xs
    : [...xs].sort((a, b) => Date.parse(a.created_at!) - Date.parse(b.created_at!) || a.id.localeCompare(b.id));

async function readApp(api: RealtimeKit, app: App, progress: (line: string) => void): Promise<Snapshot> {
  const told = (kind: string, o: Live, i: number, n: number) =>
    progress(printable(`${app.name}: ${kind} ${o.name || o.title || o.id} (${i + 1}/${n})`));
  const read = async (kind: string, list: Live[], get?: (id: string) => Promise<unknown>) => {
    const out: Live[] = [];
    for (const [i, item] of list.entries()) {
      // The list gives summaries of presets and meetings. Live preset items are slim ({id, name}),
      // and the reference's whole preset has no timestamps: created_at (for naming) is taken where it is.
      const whole = get ? ((await get(item.id)) as Live) : item;
      out.push({ ...whole, created_at: item.created_at ?? whole.created_at });
      told(kind, item, i, list.length);
    }
    return byAge(out);
  };
  return {
    app,
    presets: await read("preset", (await all(api.presets.list(app.id))) as Live[], (id) => api.presets.get(app.id, id)),
    webhooks: await read("webhook", (await api.webhooks.list(app.id)) as Live[]),
    meetings: await read("meeting", (await all(api.meetings.list(app.id))) as Live[], (id) => api.meetings.get(app.id, id)),
  };
}

/** Names from the API on a terminal: control characters (escape sequences, line breaks, NUL) shown as \uXXXX. */
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

function writeApp(files: Files, folder: string, s: Snapshot, progress: (line: string) => void) {
  const at = (...p: string[]) => path.join(folder, ...p);
  files.write(at("app.yaml"), yaml(HEADERS.app, body(s.app)));
  // A preset is written as its closest role plus what differs from it.
  const fileOf = {
    presets: (o: Live) => {
      const { file, role, lacking } = presetFile(o);
      if (lacking.length) progress(printable(`${s.app.name}: preset ${o.name} has no ${lacking.join(", ")}: the first \`pulumi up\` sets them to role ${role}'s values`));
      return file;
    },
    webhooks: (o: Live) => settingsOf(webhook, o),
  };
  for (const [kind, objects] of [["presets", s.presets], ["webhooks", s.webhooks]] as const) {
    const old = files.yamlIn(at(kind));
    const kept = new Map(old.flatMap((rel) => idOf(files.read(rel)).map((id) => [id, path.basename(rel).replace(/\.ya?ml$/i, "")] as const)));
    const names = nameAll(objects, (o) => o.name, kind.slice(0, -1), kept);
    const wanted = new Set(names.map((n) => at(kind, `${n}.yaml`)));
    for (const rel of old) if (!wanted.has(rel)) files.remove(rel);
    objects.forEach((o, i) => files.write(at(kind, `${names[i]}.yaml`), yaml(HEADERS[kind], fileOf[kind](o))));
  }
  const meetingsFile = at("meetings.yaml");
  const before = files.read(meetingsFile) ?? {};
  const kept = new Map(Object.entries(before).flatMap(([name, m]) => idOf(m).map((id) => [id, name] as const)));
  const names = nameAll(s.meetings, (m) => m.title, "meeting", kept);
  // Own keys only: a meeting named `constructor` has no entry in an empty file.
  const prior = (name: string) => (Object.hasOwn(before, name) ? before[name] : undefined);
  const meetings = Object.fromEntries(s.meetings.map((m, i) => [names[i], withSecretRefs(settingsOf(meeting, m), `${folder}-${names[i]}`, prior(names[i]))]));
  files.write(meetingsFile, yaml(HEADERS.meetings, meetings));
}

/** The id a parsed object holds, as a list of none or one. */
const idOf = (doc: unknown): string[] => (isObject(doc) && typeof doc.id === "string" ? [doc.id] : []);

/**
 * What a file holds: the API's object, id first, without created_at/updated_at.
 * They are not settings, and updated_at moves on writes that change nothing
 * (adopting a meeting sends its storage credentials once): kept, they would be
 * noise in the drift diff.
 */
function body({ id, created_at: _c, updated_at: _u, ...fields }: Record<string, unknown>) {
  return { id, ...fields };
}

/**
 * What a file holds of a webhook or a meeting: its body less the fields the server sets (a VP8
 * meeting's audio codec, vorbis: the program may not set them) and those at their default (the
 * program leaves them out), as `pulumi import` reads one back (provider/resource.ts readImport).
 */
const settingsOf = (kind: Kind, o: Live) => withoutDefaults(kind.schema, withoutServerSet(kind.serverSets, body(o), "snake"), "snake");

const yaml = (header: string, value: unknown) => header + YAML.stringify(value, { customTags: [secretTag], lineWidth: 0 });

// Meeting fields the API accepts but never returns: recording_config.storage_config.{access_key, secret, password, private_key}.
const CREDENTIALS = fieldPaths(MeetingCreate, (m) => !!m.writeOnly && !!m.secret);

/**
 * Puts `!secret <config key>` where the meeting's storage needs a credential the
 * API cannot give back. A key the file already has there stays (meetings that
 * share a bucket may share its key). A credential the API did send back anyway
 * is dropped: the files never hold one.
 */
function withSecretRefs(meeting: Record<string, unknown>, keyPrefix: string, before: unknown) {
  for (const p of CREDENTIALS) {
    const parent = getPath(meeting, p.slice(0, -1));
    const field = p[p.length - 1];
    if (!isObject(parent)) continue;
    delete parent[field];
    if (!needs(parent, field)) continue;
    const prior = getPath(before, p);
    // e.g. webinars-daily-standup-storage-access-key
    const key = `${keyPrefix}-${p[p.length - 2].replace(/_config$/, "")}-${field}`.replace(/[^A-Za-z0-9.-]+/g, "-");
    setPath(meeting, p, prior instanceof SecretRef ? prior : new SecretRef(key));
  }
  return meeting;
}

/** Whether a recording storage needs this credential (API reference): sftp its auth method's, gcs a secret, the others a key pair. */
function needs(storage: Record<string, unknown>, field: string): boolean {
  if (storage.type === "sftp") return field === (storage.auth_method === "KEY" ? "private_key" : "password");
  if (storage.type === "gcs") return field === "secret";
  return field === "access_key" || field === "secret";
}

/** `name-of-thing`: lowercase letters, digits and dashes. */
const slug = (label: unknown) =>
  String(label ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 60)
    .replace(/^-+|-+$/g, "");

/**
 * A name for each object (in order): the one the folder already has for its id,
 * else its label made safe, with -2, -3, ... where another object took it.
 */
function nameAll<T extends { id: string }>(objects: T[], label: (o: T) => unknown, fallback: string, kept: Map<string, string>, reserved = new Set<string>()) {
  const names = new Map<string, string>();
  const taken = new Set(reserved);
  for (const o of objects) {
    const name = kept.get(o.id);
    if (name === undefined || taken.has(name)) continue;
    names.set(o.id, name);
    taken.add(name);
  }
  for (const o of objects) {
    if (names.has(o.id)) continue;
    const base = slug(label(o)) || fallback;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    names.set(o.id, name);
    taken.add(name);
  }
  return objects.map((o) => names.get(o.id)!);
}

/** The folders of `out` that hold an app (an app.yaml), with the app's id if it has one. */
function appFolders(files: Files): { folder: string; id?: string }[] {
  return files
    .list(".")
    .filter((name) => files.kind(name) === "folder" && files.kind(path.join(name, "app.yaml")) !== undefined)
    .map((folder) => ({ folder, id: idOf(files.read(path.join(folder, "app.yaml")))[0] }));
}
