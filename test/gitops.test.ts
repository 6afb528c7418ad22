// GitOps loaders (sdk/gitops.ts) on the example files and on broken copies of them.
// The compiled code is loaded through Node's require (build first): vitest's
// transform would give the resources a second @pulumi/pulumi instance.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { presetBody } from "./fixtures/bodies";

const req = createRequire(__filename);
const gitops: typeof import("../sdk/gitops") = req("../dist/sdk/gitops.js");
const { loadPresets, loadWebhooks } = gitops;

const EXAMPLE = join(__dirname, "..", "examples", "gitops");
const example = (kind: string, name: string) => YAML.parse(readFileSync(join(EXAMPLE, kind, `${name}.yaml`), "utf8"));

const tmp = mkdtempSync(join(tmpdir(), "rtk-gitops-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes `files` (name → object or raw text) to a fresh `<tmp>/<n>/<kind>/` and returns that folder. */
function dirWith(kind: string, files: Record<string, unknown>): string {
  const dir = join(mkdtempSync(join(tmp, "case-")), kind);
  mkdirSync(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), typeof body === "string" ? body : YAML.stringify(body));
  return dir;
}

/** A whole preset, as pasted from the API, with one change made by `edit`. */
function hostWith(edit: (host: any) => void): any {
  const host: any = presetBody("host");
  edit(host);
  return host;
}

/** The message loadPresets throws for `files`, and the folder they were in. */
function presetError(files: Record<string, unknown>): { message: string; dir: string } {
  const dir = dirWith("presets", files);
  try {
    loadPresets(dir);
  } catch (e) {
    return { message: (e as Error).message, dir };
  }
  throw new Error("expected loadPresets to fail");
}

const keysOf = (v: unknown): string[] =>
  v && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]) : [];

describe("loading the example files", () => {
  it("loads every preset, sorted, named after its file, with camelCase arguments", () => {
    const presets = loadPresets(join(EXAMPLE, "presets"));
    expect(presets.map((p) => p.name)).toEqual(["host", "participant", "viewer"]);
    expect(presets[0].file).toBe(join(EXAMPLE, "presets", "host.yaml"));
    // A role and what differs from it, as written: the role's template fills the rest when the Preset is checked.
    expect(presets.map((p) => p.args)).toEqual([
      { name: "host", role: "webinarPresenter", permissions: { canSpotlight: true } },
      {
        name: "participant",
        role: "webinarViewer",
        permissions: { stageAccess: "CAN_REQUEST", media: { audio: { canProduce: "CAN_REQUEST" }, video: { canProduce: "CAN_REQUEST" } } },
      },
      { name: "viewer", role: "webinarViewer", permissions: { hiddenParticipant: true } },
    ]);
  });

  it("loads a whole preset pasted from the API in camelCase (shade keys stay as they are)", () => {
    const [host] = loadPresets(dirWith("presets", { "host.yaml": hostWith(() => {}) }));
    expect(host.args.config?.media?.video).toEqual({ frameRate: 30, quality: "hd" });
    expect(host.args.ui?.designTokens?.colors?.textOnBrand).toBe("#EEEEEE");
    expect(host.args.ui?.designTokens?.colors?.background?.["1000"]).toBe("#080808");
    expect(keysOf(host.args).filter((k) => k.includes("_"))).toEqual([]);
  });

  it("loads the webhook", () => {
    const [events] = loadWebhooks(join(EXAMPLE, "webhooks"));
    expect(events.name).toBe("events");
    expect(events.args).toMatchObject({ name: "events", enabled: true, url: "https://ops.example.com/realtimekit/events" });
    expect(events.args.events).toContain("recording.statusUpdate");
  });

  it("accepts an object pasted from the API: its id is kept apart (to adopt it), its timestamps ignored", () => {
    const pasted = { id: "3f0c7c36-2a9e-4c4f-9d59-0f3c36c1c0a1", created_at: "2025-01-01T00:00:00.000Z", updated_at: "2025-01-02T00:00:00.000Z" };
    const [preset] = loadPresets(dirWith("presets", { "host.yml": { ...pasted, ...example("presets", "host") } }));
    expect(preset.name).toBe("host");
    expect(preset.id).toBe(pasted.id);
    expect(preset.args).toEqual(loadPresets(join(EXAMPLE, "presets"))[0].args);
    const [hook] = loadWebhooks(dirWith("webhooks", { "events.yaml": { ...pasted, ...example("webhooks", "events") } }));
    expect(hook.id).toBe(pasted.id);
    expect(Object.keys(hook.args)).toEqual(["name", "url", "events", "enabled"]);
    expect(loadWebhooks(join(EXAMPLE, "webhooks"))[0].id).toBeUndefined();
  });

  it("ignores other files and turns unsafe characters of a file name into '-'", () => {
    const dir = dirWith("presets", { "README.md": "# notes", "team lead.yaml": hostWith(() => {}) });
    expect(loadPresets(dir).map((p) => p.name)).toEqual(["team-lead"]);
  });
});

describe("bad files name the file, the field and what is allowed", () => {
  it.each([
    [
      "a value outside an enum",
      (h: any) => (h.config.media.video.quality = "ultra"),
      'config.media.video.quality: Invalid option: expected one of "hd"|"vga"|"qvga"|"fhd"|"uhd"',
    ],
    ["a number out of range", (h: any) => (h.config.media.video.frame_rate = 60), "config.media.video.frame_rate: Too big: expected number to be <=30"],
    [
      "a value of the wrong type",
      (h: any) => (h.config.max_video_streams.desktop = "nine"),
      "config.max_video_streams.desktop: Invalid input: expected number, received string",
    ],
    [
      "an unknown field",
      (h: any) => (h.config.media.video.frame_rates = 30),
      "config.media.video.frame_rates: unknown field; allowed: frame_rate, quality, simulcast",
    ],
    [
      "an unknown role",
      (h: any) => (h.role = "moderator"),
      'role: Invalid option: expected one of "groupCallParticipant"|"groupCallHost"|"webinarPresenter"|"webinarViewer"|"livestreamHost"|"livestreamViewer"|"audioRoomSpeaker"|"audioRoomListener"',
    ],
    ["a missing name", (h: any) => delete h.name, "name: required (string)"],
  ])("%s", (_, edit, expected) => {
    const { message, dir } = presetError({ "host.yaml": hostWith(edit) });
    expect(message).toBe(`${join(dir, "host.yaml")}: ${expected}`);
  });

  it("lists every problem of every file, one line each", () => {
    const { message, dir } = presetError({
      "host.yaml": hostWith((h) => {
        h.config.media.screenshare.quality = "4k";
        h.permissions.waiting_room_type = "LOBBY";
      }),
      "viewer.yaml": hostWith((h) => (h.ui.design_tokens.theme = 1)),
    });
    expect(message.split("\n")).toEqual([
      `${join(dir, "host.yaml")}: config.media.screenshare.quality: Invalid option: expected one of "hd"|"vga"|"qvga"|"fhd"|"uhd"`,
      `${join(dir, "host.yaml")}: permissions.waiting_room_type: Invalid option: expected one of "SKIP"|"ON_PRIVILEGED_USER_ENTRY"|"SKIP_ON_ACCEPT"`,
      `${join(dir, "viewer.yaml")}: ui.design_tokens.theme: Invalid option: expected one of "darkest"|"dark"|"light"`,
    ]);
  });

  it("a webhook event that does not exist, with its list index", () => {
    const hook = { ...example("webhooks", "events"), events: ["meeting.started", "meeting.exploded"] };
    const dir = dirWith("webhooks", { "events.yaml": hook });
    expect(() => loadWebhooks(dir)).toThrow(`${join(dir, "events.yaml")}: events[1]: Invalid option: expected one of "meeting.started"|`);
  });

  it("a file that is not YAML, or not a mapping", () => {
    const { message, dir } = presetError({ "a.yaml": "name: [unclosed", "b.yaml": "- just\n- a list\n" });
    const [a, b] = message.split(/\n(?=\/)/);
    expect(a.startsWith(`${join(dir, "a.yaml")}: `)).toBe(true);
    expect(b).toBe(`${join(dir, "b.yaml")}: expected a mapping of the API's fields`);
  });

  it("two files for the same name", () => {
    const { message, dir } = presetError({ "host.yaml": hostWith(() => {}), "host.yml": hostWith(() => {}) });
    expect(message).toBe(`${join(dir, "host.yml")}: another file already defines "host"`);
  });

  it("two files for the same live object, or an id that is not one", () => {
    const { message, dir } = presetError({
      "a.yaml": { id: "p-1", ...hostWith(() => {}) },
      "b.yaml": { id: "p-1", ...hostWith(() => {}) },
      "c.yaml": { id: 7, ...hostWith(() => {}) },
    });
    expect(message.split("\n")).toEqual([
      `${join(dir, "b.yaml")}: id: p-1 is also the id of ${join(dir, "a.yaml")}`,
      `${join(dir, "c.yaml")}: id: expected the live object's id (a string)`,
    ]);
  });
});

const MEETINGS = `
daily-standup:
  id: m-1
  title: Daily standup
  created_at: "2025-01-01T00:00:00.000Z"
  record_on_start: false
  recording_config:
    max_seconds: 3600
    storage_config:
      type: aws
      bucket: recordings
      access_key: !secret standup-access-key
      secret: !secret standup-secret
all hands:
  title: All hands
  status: INACTIVE
`;

const CREDENTIAL_FIELDS = ["access_key", "password", "private_key", "secret"].map((k) => `recording_config.storage_config.${k}`).join(", ");

/** The message loadMeetings throws for a meetings.yaml of `text`, and the file. */
function meetingsError(text: string): { message: string; file: string } {
  const file = join(dirWith("app", { "meetings.yaml": text }), "meetings.yaml");
  try {
    gitops.loadMeetings(file);
  } catch (e) {
    return { message: (e as Error).message, file };
  }
  throw new Error("expected loadMeetings to fail");
}

describe("meetings.yaml", () => {
  it("loads meetings by name, their ids apart, `!secret` values out of the arguments", () => {
    const file = join(dirWith("app", { "meetings.yaml": MEETINGS }), "meetings.yaml");
    const [standup, allHands] = gitops.loadMeetings(file);
    expect(standup).toEqual({
      name: "daily-standup",
      file,
      id: "m-1",
      args: { title: "Daily standup", recordOnStart: false, recordingConfig: { maxSeconds: 3600, storageConfig: { type: "aws", bucket: "recordings" } } },
      secrets: [
        { path: ["recordingConfig", "storageConfig", "accessKey"], key: "standup-access-key" },
        { path: ["recordingConfig", "storageConfig", "secret"], key: "standup-secret" },
      ],
      warnings: [],
    });
    expect(allHands).toEqual({ name: "all-hands", file, args: { title: "All hands", status: "INACTIVE" }, secrets: [], warnings: [] });
  });

  it("a missing or empty file has no meetings", () => {
    const dir = dirWith("app", { "meetings.yaml": "# none yet\n" });
    expect(gitops.loadMeetings(join(dir, "meetings.yaml"))).toEqual([]);
    expect(gitops.loadMeetings(join(dir, "nowhere.yaml"))).toEqual([]);
  });

  it("problems name the file, the meeting and the field", () => {
    const { message, file } = meetingsError("standup:\n  title: 5\n  recording_config:\n    max_seconds: 10\nbroken: 5\nagain:\n  id: m-1\nsame:\n  id: m-1\n");
    expect(message.split("\n")).toEqual([
      `${file}: standup.title: Invalid input: expected string, received number`,
      `${file}: standup.recording_config.max_seconds: Too small: expected number to be >=60`,
      `${file}: broken: expected a mapping of the API's fields`,
      `${file}: same.id: m-1 is also the id of again`,
    ]);
    const list = meetingsError("- standup\n");
    expect(list.message).toBe(`${list.file}: expected a mapping of meeting names to meetings`);
  });

  it("`!secret` needs a config key, and a field to stand for", () => {
    expect(meetingsError("m:\n  recording_config:\n    storage_config:\n      secret: !secret\n").message).toContain(
      "m.recording_config.storage_config.secret: !secret needs the name of a Pulumi config key",
    );
    const { message, file } = meetingsError("m:\n  ai_config:\n    transcription:\n      keywords: [a, !secret k]\n");
    expect(message).toBe(`${file}: m.ai_config.transcription.keywords[1]: !secret is allowed only on a write-only credential (${CREDENTIAL_FIELDS})`);
  });
});

describe("keys JavaScript reserves, and files of several documents (issue 18, 2.4 and 2.5)", () => {
  const HOOK = "name: events\nurl: https://ops.example.com/h\nevents: [meeting.started]\n";
  const PROTO = "`__proto__` is never a field (JavaScript reads it as an object's prototype): remove it";
  /** The problems the loader reports for `load` (it must throw its named error). */
  const problemsOf = (load: () => unknown): string[] => {
    try {
      load();
    } catch (e) {
      expect(e).toBeInstanceOf(gitops.GitOpsError);
      return (e as Error).message.split("\n");
    }
    throw new Error("expected the loader to fail");
  };

  it("`__proto__: {enabled: false}` in a webhook is refused, naming the file and field, never read as `enabled`", () => {
    const dir = dirWith("webhooks", { "events.yaml": `${HOOK}__proto__:\n  enabled: false\n` });
    expect(problemsOf(() => loadWebhooks(dir))).toEqual([`${join(dir, "events.yaml")}: __proto__: ${PROTO}`]);
  });

  it("`__proto__` is refused at any depth: in a section, in a free-form map, in a meeting, as a meeting's or a file's name", () => {
    const host = YAML.stringify(presetBody("host"));
    const presets = dirWith("presets", {
      "a.yaml": host.replace("config:\n", "config:\n  __proto__:\n    view_type: WEBINAR\n"),
      "b.yaml": host.replace("  config_diff: {}\n", "  config_diff:\n    __proto__:\n      x: 1\n"),
      "__proto__.yaml": host,
    });
    expect(problemsOf(() => loadPresets(presets))).toEqual([
      `${join(presets, "__proto__.yaml")}: \`__proto__\` is never a resource name (JavaScript reads it as an object's prototype): rename the file`,
      `${join(presets, "a.yaml")}: config.__proto__: ${PROTO}`,
      `${join(presets, "b.yaml")}: ui.config_diff.__proto__: ${PROTO}`,
    ]);
    const { message, file } = meetingsError("m:\n  title: t\n  recording_config:\n    __proto__:\n      max_seconds: 10\n__proto__:\n  title: x\n");
    expect(message.split("\n")).toEqual([
      `${file}: m.recording_config.__proto__: ${PROTO}`,
      `${file}: __proto__: \`__proto__\` is never a meeting name (JavaScript reads it as an object's prototype): rename it`,
    ]);
  });

  it("`constructor` and `prototype` are unknown fields like any other, and plain data in a free-form map", () => {
    const dir = dirWith("webhooks", { "events.yaml": `${HOOK}constructor:\n  enabled: false\nprototype:\n  enabled: false\n` });
    const allowed = "unknown field; allowed: name, url, events, enabled";
    expect(problemsOf(() => loadWebhooks(dir))).toEqual([`${join(dir, "events.yaml")}: constructor: ${allowed}`, `${join(dir, "events.yaml")}: prototype: ${allowed}`]);
    const body = hostWith((h) => (h.ui.config_diff = { constructor: { a: 1 }, prototype: "p", toString: 2 }));
    const [preset] = loadPresets(dirWith("presets", { "host.yaml": body }));
    const diff = preset.args.ui!.configDiff as Record<string, unknown>;
    expect(Object.getPrototypeOf(diff)).toBe(Object.prototype);
    expect(Object.entries(diff)).toEqual([["constructor", { a: 1 }], ["prototype", "p"], ["toString", 2]]);
  });

  it("a file of several YAML documents is refused, naming the file, never cut to its first", () => {
    const host = YAML.stringify(presetBody("host"));
    const presets = dirWith("presets", { "host.yaml": `${host}---\n${host.replace("name: host", "name: other")}`, "end.yaml": `${host}---\n` });
    const lines = host.split("\n").length;
    expect(problemsOf(() => loadPresets(presets))).toEqual([
      `${join(presets, "end.yaml")}: line ${lines}, column 1: a second YAML document: a file holds only one`,
      `${join(presets, "host.yaml")}: line ${lines}, column 1: a second YAML document: a file holds only one`,
    ]);
    const meetings = meetingsError("a:\n  title: A\n...\nb:\n  title: B\n");
    expect(meetings.message).toBe(`${meetings.file}: line 4, column 1: a second YAML document: a file holds only one`);
    const app = dirWith("app", { "app.yaml": "name: Webinars\n---\nname: Other\n" });
    expect(problemsOf(() => gitops.loadAppDir(app))).toEqual([`${join(app, "app.yaml")}: line 2, column 1: a second YAML document: a file holds only one`]);
    // One document, with its markers: still one.
    expect(loadPresets(dirWith("presets", { "host.yaml": `%YAML 1.2\n---\n${host}...\n` }))[0].args.name).toBe("host");
  });
});

/** Runs `program` under mocks; resolves with every resource registered (type's last part, name, inputs), in no particular order. */
async function registrations(program: () => { id: unknown }[], config: Record<string, string> = {}) {
  const pulumi: typeof import("@pulumi/pulumi") = req("@pulumi/pulumi");
  const registered: { kind: string; name: string; inputs: any }[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        registered.push({ kind: a.type.split(":").pop()!, name: a.name, inputs: a.inputs });
        return { id: `${a.name}-id`, state: a.inputs };
      },
      call: () => ({}),
    },
    "gitops",
    "test",
    false,
  );
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`gitops:${k}`, v])), Object.keys(config).map((k) => `gitops:${k}`));
  const ids = program().map((r) => r.id as import("@pulumi/pulumi").Output<string>);
  await new Promise<void>((resolve) => pulumi.all(ids).apply(() => resolve()));
  return registered;
}

describe("presetsFromDir / webhooksFromDir / meetingsFromFile / appFromDir", () => {
  it("creates one resource per file, named after it, in the given app", async () => {
    const registered = await registrations(() => {
      const presets = gitops.presetsFromDir(join(EXAMPLE, "presets"), "app-1");
      const webhooks = gitops.webhooksFromDir(join(EXAMPLE, "webhooks"), "app-1");
      expect(Object.keys(presets)).toEqual(["host", "participant", "viewer"]);
      expect(Object.keys(webhooks)).toEqual(["events"]);
      return [...Object.values(presets), ...Object.values(webhooks)];
    });
    expect(registered.map((r) => `${r.kind} ${r.name}`).sort()).toEqual(["Preset host", "Preset participant", "Preset viewer", "Webhook events"]);
    expect(registered.find((r) => r.name === "viewer")?.inputs).toMatchObject({ appId: "app-1", name: "viewer", role: "webinarViewer" });
    expect(registered.every((r) => r.inputs.importId === undefined)).toBe(true);
  });

  it("a file with an id adopts that object: importId <appId>/<id>", async () => {
    const dir = dirWith("presets", { "host.yaml": { id: "p-1", ...hostWith(() => {}) }, "new.yaml": hostWith((h) => (h.name = "new")) });
    const registered = await registrations(() => Object.values(gitops.presetsFromDir(dir, "app-1")));
    expect(registered.map((r) => [r.name, r.inputs.importId]).sort()).toEqual([
      ["host", "app-1/p-1"],
      ["new", undefined],
    ]);
  });

  it("meetings: `!secret` fields read from Pulumi config", async () => {
    const file = join(dirWith("app", { "meetings.yaml": MEETINGS }), "meetings.yaml");
    const config = { "standup-access-key": "AKIAEXAMPLE", "standup-secret": "s3cr3t" };
    const registered = await registrations(() => Object.values(gitops.meetingsFromFile(file, "app-1")), config);
    const standup = registered.find((r) => r.name === "daily-standup")!;
    expect(standup.inputs).toMatchObject({ appId: "app-1", importId: "app-1/m-1", title: "Daily standup" });
    expect(JSON.stringify(standup.inputs.recordingConfig)).toContain('"accessKey":"AKIAEXAMPLE"');
    expect(JSON.stringify(standup.inputs.recordingConfig)).toContain('"secret":"s3cr3t"');
    expect(registered.find((r) => r.name === "all-hands")?.inputs.importId).toBeUndefined();
  });

  it("appFromDir: the app and its objects, named <folder>/<name>", async () => {
    const dir = join(mkdtempSync(join(tmp, "case-")), "webinars");
    mkdirSync(join(dir, "presets"), { recursive: true });
    writeFileSync(join(dir, "app.yaml"), "id: app-1\nname: Webinars\n");
    writeFileSync(join(dir, "presets", "host.yaml"), YAML.stringify({ id: "p-1", ...hostWith(() => {}) }));
    writeFileSync(join(dir, "meetings.yaml"), "standup:\n  title: Daily standup\n");
    const registered = await registrations(() => {
      const { app, presets, webhooks, meetings } = gitops.appFromDir(dir);
      expect(Object.keys(webhooks)).toEqual([]);
      return [app, ...Object.values(presets), ...Object.values(meetings)];
    });
    expect(registered.map((r) => [r.kind, r.name, r.inputs.importId]).sort()).toEqual([
      ["App", "webinars", "app-1"],
      ["Meeting", "webinars/standup", undefined],
      ["Preset", "webinars/host", "webinars-id/p-1"],
    ]);
    expect(registered.find((r) => r.kind === "Preset")?.inputs.appId).toBe("webinars-id");
  });
});
