// GitOps loaders (sdk/gitops.ts) on the example files and on broken copies of them.
// The compiled code is loaded through Node's require (build first): vitest's
// transform would give the resources a second @pulumi/pulumi instance.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";

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

/** The example host preset with one change made by `edit`. */
function hostWith(edit: (host: any) => void): any {
  const host = example("presets", "host");
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
    const host = presets[0].args;
    expect(host.name).toBe("host");
    expect(host.config.viewType).toBe("WEBINAR");
    expect(host.config.media.video).toEqual({ frameRate: 30, quality: "hd" });
    expect(host.ui.designTokens.colors.textOnBrand).toBe("#EEEEEE");
    expect(host.ui.designTokens.colors.background["1000"]).toBe("#080808"); // shade keys stay as they are
    expect(host.permissions?.kickParticipant).toBe(true);
    expect(presets[2].args.permissions?.media.video.canProduce).toBe("NOT_ALLOWED");
    for (const p of presets) expect(keysOf(p.args).filter((k) => k.includes("_"))).toEqual([]);
  });

  it("loads the webhook", () => {
    const [events] = loadWebhooks(join(EXAMPLE, "webhooks"));
    expect(events.name).toBe("events");
    expect(events.args).toMatchObject({ name: "events", enabled: true, url: "https://ops.example.com/realtimekit/events" });
    expect(events.args.events).toContain("recording.statusUpdate");
  });

  it("accepts an object pasted from the API and ignores its server fields", () => {
    const pasted = { id: "3f0c7c36-2a9e-4c4f-9d59-0f3c36c1c0a1", created_at: "2025-01-01T00:00:00.000Z", updated_at: "2025-01-02T00:00:00.000Z" };
    const [preset] = loadPresets(dirWith("presets", { "host.yml": { ...pasted, ...example("presets", "host") } }));
    expect(preset.name).toBe("host");
    expect(preset.args).toEqual(loadPresets(join(EXAMPLE, "presets"))[0].args);
    const [hook] = loadWebhooks(dirWith("webhooks", { "events.yaml": { ...pasted, ...example("webhooks", "events") } }));
    expect(Object.keys(hook.args)).not.toContain("id");
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
    ["a missing field", (h: any) => delete h.permissions.kick_participant, "permissions.kick_participant: required (boolean)"],
    [
      "a missing enum field",
      (h: any) => delete h.config.view_type,
      'config.view_type: required: Invalid option: expected one of "GROUP_CALL"|"WEBINAR"|"AUDIO_ROOM"|"LIVESTREAM"',
    ],
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
});

describe("presetsFromDir / webhooksFromDir", () => {
  it("creates one resource per file, named after it, in the given app", async () => {
    const pulumi: typeof import("@pulumi/pulumi") = req("@pulumi/pulumi");
    const registered: { type: string; name: string; inputs: any }[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          registered.push({ type: a.type, name: a.name, inputs: a.inputs });
          return { id: `${a.name}-id`, state: a.inputs };
        },
        call: () => ({}),
      },
      "gitops",
      "test",
      false,
    );
    const presets = gitops.presetsFromDir(join(EXAMPLE, "presets"), "app-1");
    const webhooks = gitops.webhooksFromDir(join(EXAMPLE, "webhooks"), "app-1");
    expect(Object.keys(presets)).toEqual(["host", "participant", "viewer"]);
    expect(Object.keys(webhooks)).toEqual(["events"]);
    const ids = [...Object.values(presets), ...Object.values(webhooks)].map((r) => r.id);
    await new Promise<void>((resolve) => pulumi.all(ids).apply(() => resolve()));
    expect(registered.map((r) => `${r.type.split(":").pop()} ${r.name}`).sort()).toEqual([
      "Preset host",
      "Preset participant",
      "Preset viewer",
      "Webhook events",
    ]);
    expect(registered.find((r) => r.name === "viewer")?.inputs).toMatchObject({ appId: "app-1", name: "viewer", config: { viewType: "WEBINAR" } });
  });
});
