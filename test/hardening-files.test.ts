// Issue 11, attacks through files (symlink fixtures made here, in temp folders):
// - the GitOps loader never reads through a link out of its folder, and its
//   errors never quote a file (items 1, 5, 8: `!secret` only on credentials,
//   plain-text credentials warned about, `.YAML` loaded);
// - realtimekit-export (the CLI, as users run it) never reads, writes or
//   deletes through a link inside --out, and writes only into an empty folder
//   or one it made (item 4).
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { startEmulator, type Emulator } from "../emulator";
import { meetingBody, presetBody, webhookBody } from "./fixtures/bodies";
import { SECRET_SIG, SIG_KEY } from "./harness";

const req = createRequire(__filename);
const gitops: typeof import("../sdk/gitops") = req("../dist/sdk/gitops.js");
const CLI = path.join(__dirname, "..", "dist", "export", "cli.js");
const EXAMPLE = path.join(__dirname, "..", "examples", "gitops");

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rtk-files-")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** What a credentials file outside every folder holds: it must never show in an error. */
const CANARY = "AKIA-CANARY-0123456789";
const credentials = path.join(tmp, "credentials");
fs.writeFileSync(credentials, `[default]\naws_secret_access_key: ${CANARY}\n`);

let n = 0;
/** A fresh folder below tmp holding `files` (relative path → text). */
function folder(files: Record<string, string> = {}): string {
  const dir = path.join(tmp, `case-${++n}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
const host = () => fs.readFileSync(path.join(EXAMPLE, "presets", "host.yaml"), "utf8");

/** The problems loadAppDir reports for `dir` (it must throw the loader's named error). */
function problems(load: () => unknown): string[] {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(gitops.GitOpsError);
    const message = (e as Error).message;
    expect(message).not.toContain(CANARY);
    return message.split("\n");
  }
  throw new Error("expected the loader to fail");
}

describe("the loader never follows a link out of its folder, and never quotes a file", () => {
  it("presets/host.yaml linked to a credentials file: refused, unread", () => {
    const dir = folder({ "app.yaml": "name: Webinars\n" });
    fs.mkdirSync(path.join(dir, "presets"));
    fs.symlinkSync(credentials, path.join(dir, "presets", "host.yaml"));
    expect(problems(() => gitops.loadAppDir(dir))).toEqual([`${path.join(dir, "presets", "host.yaml")}: a symbolic link out of ${dir}: not read`]);
    expect(problems(() => gitops.loadPresets(path.join(dir, "presets")))).toEqual([
      `${path.join(dir, "presets", "host.yaml")}: a symbolic link out of ${path.join(dir, "presets")}: not read`,
    ]);
  });

  it("a linked presets/ folder, meetings.yaml and app.yaml out of the folder: each refused", () => {
    const outside = folder({ "presets/host.yaml": host(), "meetings.yaml": "m:\n  title: x\n", "app.yaml": "name: Elsewhere\n" });
    const dir = folder();
    for (const name of ["presets", "meetings.yaml", "app.yaml"]) fs.symlinkSync(path.join(outside, name), path.join(dir, name));
    expect(problems(() => gitops.loadAppDir(dir))).toEqual([
      `${path.join(dir, "app.yaml")}: a symbolic link out of ${dir}: not read`,
      `${path.join(dir, "presets")}: a symbolic link out of ${dir}: not read`,
      `${path.join(dir, "meetings.yaml")}: a symbolic link out of ${dir}: not read`,
    ]);
  });

  it("a link to nothing is named; a link that stays inside the folder is read", () => {
    const dir = folder({ "app.yaml": "name: Webinars\n", "shared/host.yaml": host() });
    fs.mkdirSync(path.join(dir, "presets"));
    fs.symlinkSync(path.join("..", "shared", "host.yaml"), path.join(dir, "presets", "host.yaml"));
    expect(gitops.loadAppDir(dir).presets.map((p) => p.name)).toEqual(["host"]);
    fs.symlinkSync(path.join(dir, "nowhere.yaml"), path.join(dir, "presets", "gone.yaml"));
    expect(problems(() => gitops.loadAppDir(dir))).toEqual([`${path.join(dir, "presets", "gone.yaml")}: a symbolic link that leads nowhere, or out of ${dir}: not read`]);
  });

  it.each([
    ["an unclosed bracket", `name: [${CANARY}\n`, "line 2, column 1: not valid YAML (bad indentation, or an unclosed bracket)"],
    ["a key given twice", `${CANARY}: 1\n${CANARY}: 2\n`, "line 2, column 1: a key given twice"],
    ["an unknown tag", `name: !${CANARY} x\n`, "line 1, column 7: an unknown tag (the only one known is !secret, on a plain value)"],
    ["!secret on a mapping", `name: !secret {${CANARY}: 1}\n`, "line 1, column 7: an unknown tag (the only one known is !secret, on a plain value)"],
    ["a mapping as a key", `name: x\n? {${CANARY}: 1}\n: 2\n`, "line 2, column 3: a key that is not a plain value"],
  ])("a YAML error (%s) gives the position, not the text, and prints nothing", async (_, text, reason) => {
    const dir = folder({ "presets/host.yaml": text });
    // The YAML parser's own warnings (process warnings, console) would quote the text.
    const printed: string[] = [];
    const onWarning = (w: Error) => printed.push(w.message);
    const warn = console.warn;
    process.on("warning", onWarning);
    console.warn = (...args: unknown[]) => void printed.push(args.join(" "));
    try {
      expect(problems(() => gitops.loadPresets(path.join(dir, "presets")))).toEqual([`${path.join(dir, "presets", "host.yaml")}: ${reason}`]);
      await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
      console.warn = warn;
    }
    expect(printed).toEqual([]);
  });

  it("what is not a plain file is not read: a folder, a FIFO (reading it would block), a file over 4 MiB", () => {
    const dir = folder({ "presets/big.yaml": `name: "${"x".repeat(4 * 1024 * 1024)}"\n` });
    fs.mkdirSync(path.join(dir, "presets", "dir.yaml"));
    execFileSync("mkfifo", [path.join(dir, "presets", "fifo.yaml")]);
    const at = (f: string) => path.join(dir, "presets", f);
    expect(problems(() => gitops.loadPresets(path.join(dir, "presets")))).toEqual([
      `${at("big.yaml")}: larger than 4 MiB: not read`,
      `${at("dir.yaml")}: not a file`,
      `${at("fifo.yaml")}: not a file`,
    ]);
  });
});

describe("`!secret` only on write-only credentials; a string is never a secret reference", () => {
  it.each([
    ["meetings.yaml", "standup:\n  title: !secret k\n", "standup.title", "meeting"],
    ["meetings.yaml", "standup:\n  recording_config:\n    storage_config:\n      bucket: !secret k\n", "standup.recording_config.storage_config.bucket", "meeting"],
    ["presets/host.yaml", "name: !secret k\n", "name", "none"],
    ["webhooks/events.yaml", "name: events\nurl: !secret k\nevents: [meeting.started]\n", "url", "none"],
    ["app.yaml", "name: !secret k\n", "name", "none"],
  ])("%s: %j", (file, text, field, kind) => {
    const dir = folder({ "app.yaml": "name: Webinars\n", [file]: text });
    const allowed =
      kind === "meeting"
        ? "!secret is allowed only on a write-only credential (recording_config.storage_config.access_key, recording_config.storage_config.password, recording_config.storage_config.private_key, recording_config.storage_config.secret)"
        : "!secret is allowed only on a write-only credential, and this kind of object has none";
    expect(problems(() => gitops.loadAppDir(dir))).toEqual([`${path.join(dir, file)}: ${field}: ${allowed}`]);
  });

  it("a config key with a namespace or blanks is refused, naming the field", () => {
    const dir = folder({ "meetings.yaml": "m:\n  recording_config:\n    storage_config:\n      secret: !secret 'aws:secret key'\n" });
    expect(problems(() => gitops.loadMeetings(path.join(dir, "meetings.yaml")))).toEqual([
      `${path.join(dir, "meetings.yaml")}: m.recording_config.storage_config.secret: !secret needs the name of a Pulumi config key of this project (no ':', no blanks)`,
    ]);
  });

  it('strings shaped like the old marker ("\\u0000secret:<key>") stay strings, in any field', () => {
    const marker = "\u0000secret:other-meeting-secret";
    const dir = folder({
      "meetings.yaml": YAML.stringify({ m: { title: marker, recording_config: { storage_config: { type: "aws", access_key: marker } } } }),
    });
    const [m] = gitops.loadMeetings(path.join(dir, "meetings.yaml"));
    expect(m.secrets).toEqual([]);
    expect(m.args.title).toBe(marker);
    expect(m.args.recordingConfig?.storageConfig?.accessKey).toBe(marker);
  });
});

describe("small items: plain-text credentials warned about, .YAML loaded, empty names refused", () => {
  const plain = "standup:\n  recording_config:\n    storage_config:\n      type: aws\n      access_key: AKIA-PLAIN-VALUE\n      secret: PLAIN-SECRET-VALUE\n";

  it("plain-text credentials in meetings.yaml load, with a warning naming the file and field, never the value", () => {
    const file = path.join(folder({ "meetings.yaml": plain }), "meetings.yaml");
    const [m] = gitops.loadMeetings(file);
    expect(m.args.recordingConfig?.storageConfig).toMatchObject({ accessKey: "AKIA-PLAIN-VALUE", secret: "PLAIN-SECRET-VALUE" });
    const advice = "a credential written in plain text; write `!secret <config key>` instead and set it with `pulumi config set --secret <config key> <value>`";
    expect(m.warnings).toEqual([
      `${file}: standup.recording_config.storage_config.access_key: ${advice}`,
      `${file}: standup.recording_config.storage_config.secret: ${advice}`,
    ]);
  });

  it("meetingsFromFile logs each warning through Pulumi and passes the credential on as a secret", async () => {
    const file = path.join(folder({ "meetings.yaml": plain }), "meetings.yaml");
    const pulumi: typeof import("@pulumi/pulumi") = req("@pulumi/pulumi");
    const inputs: Record<string, any>[] = [];
    await pulumi.runtime.setMocks(
      { newResource: (a) => (inputs.push(a.inputs), { id: `${a.name}-id`, state: a.inputs }), call: () => ({}) },
      "gitops",
      "test",
      false,
    );
    const warned: string[] = [];
    const warn = pulumi.log.warn;
    pulumi.log.warn = (msg: string) => (warned.push(msg), Promise.resolve());
    try {
      const { standup } = gitops.meetingsFromFile(file, "app-1");
      await new Promise<void>((resolve) => standup.id.apply(() => resolve()));
    } finally {
      pulumi.log.warn = warn;
    }
    expect(warned).toHaveLength(2);
    expect(warned.join("\n")).toContain("standup.recording_config.storage_config.secret: a credential written in plain text");
    expect(warned.join("\n")).not.toMatch(/PLAIN-SECRET-VALUE|AKIA-PLAIN-VALUE/);
    // The engine receives the recording config as a secret (its signature), the credentials inside.
    expect(inputs[0].recordingConfig).toMatchObject({
      [SIG_KEY]: SECRET_SIG,
      value: { storageConfig: { accessKey: "AKIA-PLAIN-VALUE", secret: "PLAIN-SECRET-VALUE" } },
    });
  });

  it("files ending .YAML or .YML are loaded like .yaml (decision: load them, not fail)", () => {
    const dir = folder({ "presets/HOST.YAML": host(), "presets/viewer.Yml": host().replace("name: host", "name: viewer") });
    expect(gitops.loadPresets(path.join(dir, "presets")).map((p) => [p.name, p.args.name])).toEqual([
      ["HOST", "host"],
      ["viewer", "viewer"],
    ]);
  });

  it("a file named only `.yaml`, or a meeting with an empty key, is refused: a resource needs a name", () => {
    const dir = folder({ "presets/.yaml": host(), "meetings.yaml": '"":\n  title: x\n' });
    expect(problems(() => gitops.loadAppDir(dir))).toEqual([
      `${path.join(dir, "app.yaml")}: not found`,
      `${path.join(dir, "presets", ".yaml")}: the file needs a name before its extension (the resource name)`,
      `${path.join(dir, "meetings.yaml")}: a meeting needs a name (its key)`,
    ]);
  });
});

// ---------------------------------------------------------------- the export

let emu: Emulator;
const ACCOUNT = "acct-files";
const TOKEN = "files-token";
beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN });
  const app = emu.store.createApp(ACCOUNT, "Webinars").id;
  emu.store.create(ACCOUNT, "presets", app, presetBody("host") as never);
  emu.store.create(ACCOUNT, "webhooks", app, { ...(webhookBody() as object), enabled: true } as never);
  emu.store.create(ACCOUNT, "meetings", app, meetingBody() as never);
});
afterAll(() => emu?.close());

function exportTo(out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: emu.url };
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, "--out", out, "--all"], { env, timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** Every entry below `dir`, links not followed: relative path → file content, link target, or "<folder>". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = path.join(rel, name);
      const stat = fs.lstatSync(path.join(dir, r));
      if (stat.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(path.join(dir, r))}`;
      else if (stat.isDirectory()) {
        out[r] = "<folder>";
        walk(r);
      } else out[r] = fs.readFileSync(path.join(dir, r), "utf8");
    }
  };
  walk("");
  return out;
}

/** A program folder the export made, ready to be tampered with. */
async function exported(): Promise<string> {
  const out = path.join(tmp, `program-${++n}`);
  const r = await exportTo(out);
  expect(r.code).toBe(0);
  return out;
}

/** Runs the export over `out` and expects one refusal line naming `culprit`, with nothing changed inside or outside. */
async function expectRefused(out: string, culprit: string, reason: string, outside: string) {
  const before = [snapshot(out), snapshot(outside)];
  const r = await exportTo(out);
  // Progress lines first (the API is read before anything is written), then the one refusal line.
  expect([r.code, r.stdout, r.stderr.split("\n").filter((l) => !/^Webinars: /.test(l))]).toEqual([1, "", [`realtimekit-export: ${culprit} ${reason}`, ""]]);
  expect([snapshot(out), snapshot(outside)]).toEqual(before);
}

const LINK = "is a symbolic link: realtimekit-export never reads or writes through links; remove it, or give another folder";

describe("the export never goes through a link inside --out", () => {
  it("presets/ linked to an outside folder: nothing deleted there (the issue's case), nothing written anywhere", async () => {
    const out = await exported();
    const outside = folder({ "stale.yaml": "id: not-live\nname: stale\n", "notes.txt": "keep me\n" });
    fs.rmSync(path.join(out, "webinars", "presets"), { recursive: true });
    fs.symlinkSync(outside, path.join(out, "webinars", "presets"));
    await expectRefused(out, path.join(out, "webinars", "presets"), LINK, outside);
  });

  it("meetings.yaml linked to an outside file: not overwritten, not read", async () => {
    const out = await exported();
    const outside = folder({ "meetings.yaml": `vault:\n  id: x\n  title: ${CANARY}\n` });
    fs.rmSync(path.join(out, "webinars", "meetings.yaml"));
    fs.symlinkSync(path.join(outside, "meetings.yaml"), path.join(out, "webinars", "meetings.yaml"));
    await expectRefused(out, path.join(out, "webinars", "meetings.yaml"), LINK, outside);
  });

  it("index.ts (rewritten on every export) linked to an outside file: not overwritten", async () => {
    const out = await exported();
    const outside = folder({ "index.ts": "// the user's own program\n" });
    fs.rmSync(path.join(out, "index.ts"));
    fs.symlinkSync(path.join(outside, "index.ts"), path.join(out, "index.ts"));
    await expectRefused(out, path.join(out, "index.ts"), LINK, outside);
  });

  it("an app folder that is a link is left alone: not followed, its name not reused", async () => {
    const out = await exported();
    const outside = folder({ "app.yaml": "id: elsewhere\nname: Elsewhere\n" });
    fs.symlinkSync(outside, path.join(out, "linked"));
    const before = snapshot(outside);
    const r = await exportTo(out);
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([0, `${out}: 1 app(s); no changes.`]);
    expect(snapshot(outside)).toEqual(before);
    expect(fs.readlinkSync(path.join(out, "linked"))).toBe(outside);
  });
});

describe("the export writes only into an empty folder or one it made", () => {
  it("a folder of the user's own (README.md, index.ts): refused with one line, untouched", async () => {
    const out = folder({ "README.md": "# my project\n", "index.ts": "export const mine = 1;\n" });
    const marker = ".realtimekit-export";
    await expectRefused(out, out, `is not empty and has no ${marker} file (realtimekit-export did not make it): give a new or empty folder`, folder());
  });

  it("an empty folder: written, with the marker; again: brought up to date", async () => {
    const out = folder();
    expect((await exportTo(out)).code).toBe(0);
    expect(fs.lstatSync(path.join(out, ".realtimekit-export")).isFile()).toBe(true);
    expect(Object.keys(snapshot(out))).toContain("webinars/meetings.yaml");
    const again = await exportTo(out);
    expect([again.code, again.stdout.split("\n")[0]]).toEqual([0, `${out}: 1 app(s); no changes.`]);
  });

  it("a marker that is a link does not count", async () => {
    const out = await exported();
    fs.rmSync(path.join(out, ".realtimekit-export"));
    const outside = folder({ marker: "x\n" });
    fs.symlinkSync(path.join(outside, "marker"), path.join(out, ".realtimekit-export"));
    await expectRefused(out, out, "is not empty and has no .realtimekit-export file (realtimekit-export did not make it): give a new or empty folder", outside);
  });
});
