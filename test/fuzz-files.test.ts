// Issue 11, fuzzing (fast-check) of what users and the API feed into files:
// - the GitOps loader over random app folders: random file names (any case of
//   .yaml/.yml, dots, blanks, non-ASCII), random YAML (trees of the API's field
//   names, raw fragments with tags, anchors and broken syntax, edits of a valid
//   preset) and links to a credentials file and a folder outside. It returns or
//   throws its named GitOpsError, every problem names a path inside the folder,
//   no problem quotes the outside file or a value, and a string is never a
//   secret reference;
// - realtimekit-export over random object names from the API (traversal,
//   separators, NUL, marker-shaped, very long): it succeeds or fails with an
//   ExportError, and writes only plain files inside --out.
import fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { meetingBody, presetBody, webhookBody } from "./fixtures/bodies";
import { nodeRequire, root } from "./support/stack";

const gitops = nodeRequire(path.join(root, "dist/sdk/gitops")) as typeof import("../sdk/gitops");
const exporter = nodeRequire(path.join(root, "dist/export/export")) as typeof import("../export/export");
const { RealtimeKit } = nodeRequire(path.join(root, "dist/provider/client")) as typeof import("../provider/client");
const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../emulator");

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rtk-fuzz-")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** In a credentials file outside every folder; never in an error. */
const OUTSIDE = "AKIA-OUTSIDE-CANARY";
/** Only ever a value (never a key or an id) inside the folders; never in an error. */
const VALUE = "value-canary-7d1e";
const credentials = path.join(tmp, "credentials.yaml");
fs.writeFileSync(credentials, `name: ${OUTSIDE}\naws_secret_access_key: ${OUTSIDE}\n`);
const outsideDir = path.join(tmp, "outside");
fs.mkdirSync(outsideDir);
fs.writeFileSync(path.join(outsideDir, "host.yaml"), `name: ${OUTSIDE}\n`);

const host = YAML.parse(fs.readFileSync(path.join(root, "examples/gitops/presets/host.yaml"), "utf8"));

// ------------------------------------------------------------------ loader

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const FIELDS = ["name", "id", "title", "config", "ui", "permissions", "url", "events", "recording_config", "storage_config", "access_key", "secret", "type", "__proto__", "<<", "created_at"];
const key = fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 5 }));
const leaf = fc.oneof(
  fc.constantFrom<Json>(null, true, 0, -1, 1e308, "", VALUE, `\u0000secret:${VALUE}`, `!secret ${VALUE}`, "aws", "meeting.started", "https://x.example/h"),
  fc.string({ maxLength: 6 }) as fc.Arbitrary<Json>,
  fc.double() as fc.Arbitrary<Json>,
);
const tree: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(key, tie("v"), { maxKeys: 4 })),
})).v;
/** Never the VALUE canary under `id` (ids are quoted when two files share one). */
const noIdCanary = (v: Json): Json =>
  Array.isArray(v) ? v.map(noIdCanary) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "id" && typeof x === "string" ? "id-1" : noIdCanary(x)])) : v;

const FRAGMENTS = ["name: ", "title: ", "id: x\n", "!secret ", "!secret k", "!Secret k", "&a ", "*a", "<<: *a\n", "[", "]", "{", "}", "- ", "\n", "  ", ": ", "'", '"', "#", "? ", "|\n", "!!binary aGk=", "!!set {a}", ".nan", "w0rd", "recording_config:\n  storage_config:\n    access_key: ", "\t", "%YAML 1.2\n---\n", "...\n"];
const raw = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join(""));

const yamlText = fc.oneof(
  tree.map((t) => YAML.stringify(noIdCanary(t))),
  raw,
  // A valid preset with a fragment spliced in somewhere.
  fc.tuple(fc.nat(), fc.constantFrom(...FRAGMENTS)).map(([at, f]) => {
    const text = YAML.stringify(host);
    const i = at % (text.length + 1);
    return text.slice(0, i) + f + text.slice(i);
  }),
);

const fileName = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(..."aZ09 ._-é中\u00a0\u200b".split("")), maxLength: 8 }),
    fc.constantFrom(".yaml", ".yml", ".YAML", ".Yml", ".txt", ""),
  )
  .map(([stem, ext]) => stem + ext)
  .filter((n) => n !== "" && n !== "." && n !== "..");

/** A valid file of each kind; the meetings use `!secret` right, and a string shaped like the old marker. */
const VALID = {
  app: "name: Webinars\n",
  preset: YAML.stringify(host),
  webhook: YAML.stringify({ name: "events", url: "https://ops.example.com/h", events: ["meeting.started"] }),
  meetings: `standup:\n  title: "\\0secret:k"\n  recording_config:\n    storage_config:\n      type: aws\n      access_key: ${VALUE}\n      secret: !secret k\n`,
};

type Entry = { kind: "text"; text: string } | { kind: "link-credentials" } | { kind: "link-outside-dir" } | { kind: "folder" };
const entry = (valid: string): fc.Arbitrary<Entry> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: "text" as const, text: valid }) },
    { weight: 6, arbitrary: yamlText.map((text) => ({ kind: "text" as const, text })) },
    { weight: 1, arbitrary: fc.constant({ kind: "link-credentials" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "link-outside-dir" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "folder" as const }) },
  );

const appFolder = fc.record({
  app: fc.option(entry(VALID.app), { nil: undefined, freq: 8 }),
  meetings: fc.option(entry(VALID.meetings), { nil: undefined }),
  presets: fc.option(fc.dictionary(fileName, entry(VALID.preset), { maxKeys: 3 }), { nil: undefined }),
  webhooks: fc.option(fc.dictionary(fileName, entry(VALID.webhook), { maxKeys: 2 }), { nil: undefined }),
});

type Spec = typeof appFolder extends fc.Arbitrary<infer T> ? T : never;

let runs = 0;
/** Writes a spec as a fresh app folder below tmp. */
function materialize(spec: Spec): string {
  const dir = path.join(tmp, `app-${++runs}`);
  fs.mkdirSync(dir);
  const put = (at: string, e: Entry) => {
    if (e.kind === "text") fs.writeFileSync(at, e.text);
    else if (e.kind === "folder") fs.mkdirSync(at);
    else fs.symlinkSync(e.kind === "link-credentials" ? credentials : outsideDir, at);
  };
  if (spec.app) put(path.join(dir, "app.yaml"), spec.app);
  if (spec.meetings) put(path.join(dir, "meetings.yaml"), spec.meetings);
  for (const kind of ["presets", "webhooks"] as const) {
    const files = spec[kind];
    if (!files) continue;
    fs.mkdirSync(path.join(dir, kind));
    for (const [name, e] of Object.entries(files)) put(path.join(dir, kind, name), e);
  }
  return dir;
}

describe("fuzzed GitOps folders", () => {
  it("load, or fail with the loader's named error: every problem inside the folder, nothing quoted, no secret from a string", () => {
    let loaded = 0;
    let failed = 0;
    fc.assert(
      fc.property(appFolder, (spec) => {
        const dir = materialize(spec);
        let result: ReturnType<typeof gitops.loadAppDir>;
        try {
          result = gitops.loadAppDir(dir);
        } catch (e) {
          expect(e).toBeInstanceOf(gitops.GitOpsError);
          const problems = (e as InstanceType<typeof gitops.GitOpsError>).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.startsWith(dir + path.sep), p).toBe(true);
            expect(p).not.toContain(OUTSIDE);
            expect(p).not.toContain(VALUE);
          }
          failed++;
          return;
        }
        loaded++;
        const all = [result.app, ...result.presets, ...result.webhooks, ...result.meetings];
        for (const f of all) {
          expect(f.file.startsWith(dir + path.sep)).toBe(true);
          expect(f.name).toMatch(/^[A-Za-z0-9._-]+$/);
          // Only the tag makes a secret reference, and only on a credential field.
          for (const s of f.secrets) expect(s.path.slice(0, 2)).toEqual(["recordingConfig", "storageConfig"]);
          for (const w of f.warnings) expect(w).not.toContain(VALUE);
        }
        expect(JSON.stringify(all)).not.toContain(OUTSIDE);
      }),
      { numRuns: 300, seed: 11 },
    );
    // The generators reach both outcomes.
    expect([loaded > 0, failed > 0]).toEqual([true, true]);
  });
});

// ------------------------------------------------------------------ export

const NASTY = ["..", ".", "/", "../../etc/passwd", "a/b", "..\\..\\x", "\u0000", "\u0000secret:k", "!secret k", ".realtimekit-export", "node_modules", "index.ts", "README.md", "presets", "app.yaml", "meetings", "CON", " ", "-", "x".repeat(300), "é中🎥", "\u202eevil"];
// Not empty: the API requires names (an empty one fails the export's reload with an ExportError, which holds too but shows less).
const objectName = fc.oneof(fc.constantFrom(...NASTY), fc.string({ minLength: 1, maxLength: 12 }), fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }));

const account = fc.array(
  fc.record({
    name: objectName,
    presets: fc.array(objectName, { maxLength: 3 }),
    webhooks: fc.array(objectName, { maxLength: 2 }),
    meetings: fc.array(fc.option(objectName, { nil: null }), { maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 2 },
);

/** Every entry below `dir`, not following links: relative paths of files, and of anything that is not a file or folder. */
function walk(dir: string, rel = ""): { files: string[]; other: string[] } {
  const out = { files: [] as string[], other: [] as string[] };
  for (const name of fs.readdirSync(path.join(dir, rel))) {
    const r = path.join(rel, name);
    const stat = fs.lstatSync(path.join(dir, r));
    if (stat.isDirectory()) {
      const inner = walk(dir, r);
      out.files.push(...inner.files);
      out.other.push(...inner.other);
    } else if (stat.isFile()) out.files.push(r);
    else out.other.push(r);
  }
  return out;
}

describe("fuzzed object names through realtimekit-export", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  const TOKEN = "fuzz-token";
  beforeAll(async () => {
    // The runs share one token, and their unpaced client (no limits, no retries) passes the token's
    // 1,200 requests per five minutes that the emulator enforces by default (HTTP 429 from the 24th
    // run on): what is fuzzed here is the files, not the pacing (test/pacer.test.ts).
    emu = await startEmulator({ token: TOKEN, requestLimit: false });
  });
  afterAll(() => emu?.close());

  it("exports into --out only, plain files, or fails with an ExportError", async () => {
    let n = 0;
    let exported = 0;
    await fc.assert(
      fc.asyncProperty(account, async (apps) => {
        const acct = `fuzz-${++n}`;
        // Straight into the store: the API's names may be anything the real API lets through.
        for (const a of apps) {
          const id = emu.store.createApp(acct, a.name).id;
          for (const p of a.presets) emu.store.create(acct, "presets", id, { ...presetBody(), name: p } as never);
          a.webhooks.forEach((w, i) => emu.store.create(acct, "webhooks", id, { ...webhookBody(), name: w, url: `https://h.example/${i}`, enabled: true } as never));
          for (const t of a.meetings) emu.store.create(acct, "meetings", id, { ...meetingBody(), title: t } as never);
        }
        const out = path.join(tmp, `export-${n}`);
        const api = new RealtimeKit({ accountId: acct, apiToken: TOKEN, baseUrl: emu.url, retries: 0, limits: [] });
        try {
          const result = await exporter.exportApps({ api, out, apps: "all" });
          expect(result.apps).toHaveLength(apps.length);
          exported++;
        } catch (e) {
          expect(e).toBeInstanceOf(exporter.ExportError);
        }
        if (!fs.existsSync(out)) return;
        const { files, other } = walk(out);
        expect(other).toEqual([]);
        for (const f of files) {
          const real = fs.realpathSync(path.join(out, f));
          expect(real.startsWith(out + path.sep), f).toBe(true);
          expect(f.split(path.sep).every((part) => part !== ".." && part !== "")).toBe(true);
        }
        // Nothing was written next to the folder.
        expect(fs.readdirSync(tmp).filter((e) => !/^(app|export)-\d+$|^credentials\.yaml$|^outside$/.test(e))).toEqual([]);
      }),
      { numRuns: 25, seed: 11 },
    );
    expect(exported).toBeGreaterThan(0);
  });
});
