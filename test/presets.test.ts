// Role templates and defaults (provider/presets): pinned, valid, merged the way
// the issue says, and exported back (closest role + differences) so that the
// loader's merge gives exactly the live preset again.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closestRole, deepMerge, lacking, overlay, ROLE_NAMES, ROLES, size, withDefaults, type PresetRole } from "../provider/presets";
import { convertKeys, PresetCreate } from "../provider/schema";
import { differences as differencesOf } from "../provider/compare";
import { copy, UNKNOWN } from "../provider/values";

/** The templates as released: test/fixtures/role-templates.json. */
const pinned: Record<PresetRole, unknown> = JSON.parse(readFileSync(join(__dirname, "fixtures", "role-templates.json"), "utf8"));

describe("role templates", () => {
  it("are frozen: every role gives exactly the pinned sections (a change is a breaking change: name it in CHANGELOG.md, then update the fixture)", () => {
    expect(Object.keys(ROLES)).toEqual(Object.keys(pinned));
    expect(ROLE_NAMES).toEqual(Object.keys(ROLES)); // the names (provider/schema/roles.ts), in the templates' order
    for (const role of ROLE_NAMES) expect(ROLES[role](), role).toEqual(pinned[role]);
  });

  it("are whole, valid create bodies, and each call returns a fresh copy", () => {
    for (const role of ROLE_NAMES) {
      const body = convertKeys(PresetCreate, { name: role, ...ROLES[role]() }, "snake");
      expect(PresetCreate.safeParse(body).error?.issues, role).toBeUndefined();
    }
    for (const role of ROLE_NAMES) {
      const a = ROLES[role]();
      a.permissions.canRecord = !a.permissions.canRecord;
      a.ui.designTokens.colors.brand["500"] = "#000000";
      expect(ROLES[role](), role).toEqual(pinned[role]);
    }
  });

  it("view types and media follow the roles", () => {
    const viewType = (r: PresetRole) => ROLES[r]().config.viewType;
    expect(ROLE_NAMES.map(viewType)).toEqual(["GROUP_CALL", "GROUP_CALL", "WEBINAR", "WEBINAR", "LIVESTREAM", "LIVESTREAM", "AUDIO_ROOM", "AUDIO_ROOM"]);
    const media = (r: PresetRole) => Object.values(ROLES[r]().permissions.media).map((m) => m.canProduce);
    expect(media("webinarViewer")).toEqual(["NOT_ALLOWED", "NOT_ALLOWED", "NOT_ALLOWED"]);
    expect(media("livestreamViewer")).toEqual(["CAN_REQUEST", "NOT_ALLOWED", "CAN_REQUEST"]); // audio, screenshare, video
    expect(media("audioRoomSpeaker")).toEqual(["ALLOWED", "NOT_ALLOWED", "NOT_ALLOWED"]);
    expect(ROLES.livestreamHost().permissions.canLivestream).toBe(true);
    expect(ROLE_NAMES.filter((r) => ROLES[r]().permissions.kickParticipant)).toEqual(["groupCallHost", "webinarPresenter", "livestreamHost"]);
  });
});

describe("the desired state: role, defaults, then the user's keys", () => {
  it("no role and no sections: the group-call participant, whole, with configDiff {}", () => {
    const desired = withDefaults({ appId: "a", name: "guest" });
    expect(desired).toEqual({ appId: "a", name: "guest", ...ROLES.groupCallParticipant() });
    expect(desired.ui.configDiff).toEqual({});
  });

  it("a section given in part is merged over the role's: permissions { canRecord: true } is the role's permissions with recording", () => {
    const desired = withDefaults({ name: "p", role: "webinarViewer", permissions: { canRecord: true, media: { audio: { canProduce: "CAN_REQUEST" } } } });
    const expected = ROLES.webinarViewer();
    expected.permissions.canRecord = true;
    expected.permissions.media.audio.canProduce = "CAN_REQUEST";
    expect(desired).toEqual({ name: "p", role: "webinarViewer", ...expected });
  });

  it("lists, null and values not known yet replace; a role not known yet leaves the sections unknown", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] } } as any, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
    expect(deepMerge({ q: [1] } as any, { q: null })).toEqual({ q: null });
    expect(withDefaults({ name: "p", permissions: UNKNOWN }).permissions).toBe(UNKNOWN);
    expect(withDefaults({ name: "p", role: UNKNOWN })).toEqual({ name: "p", role: UNKNOWN, config: UNKNOWN, ui: UNKNOWN, permissions: UNKNOWN });
    // A name that is no role (validation reports it) leaves the arguments as they are.
    for (const role of ["moderator", "toString", "__proto__", 3]) expect(withDefaults({ name: "p", role })).toEqual({ name: "p", role });
  });
});

// ---- export: the closest role, and the differences that give the live preset back ----

const ENUMS: Record<string, string[]> = {
  viewType: ["GROUP_CALL", "WEBINAR", "AUDIO_ROOM", "LIVESTREAM"],
  quality: ["hd", "vga", "qvga", "fhd", "uhd"],
  canProduce: ["ALLOWED", "NOT_ALLOWED", "CAN_REQUEST"],
  stageAccess: ["ALLOWED", "NOT_ALLOWED", "CAN_REQUEST"],
  borderRadius: ["sharp", "rounded", "extra-rounded", "circular"],
  borderWidth: ["none", "thin", "fat"],
  theme: ["darkest", "dark", "light"],
  recorderType: ["RECORDER", "LIVESTREAMER", "NONE"],
  waitingRoomType: ["SKIP", "ON_PRIVILEGED_USER_ENTRY", "SKIP_ON_ACCEPT"],
};

/** Dotted paths to every leaf ({} counts as one). */
const leafPaths = (v: any, at: string[] = []): string[][] =>
  v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length ? Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...at, k])) : [at];

/** Fields the templates leave out and the server may hold: a dashboard may set them. */
const EXTRA: [string[], unknown[]][] = [
  [["config", "media", "video", "simulcast"], [true, false]],
  [["config", "media", "audio"], [{ enableHighBitrate: true }, { enableStereo: false }]],
  [["config", "livestreamViewerQualities"], [null, [360, 720]]],
  [["ui", "designTokens", "logo"], ["https://example.com/logo.png"]],
  [["permissions", "isRecorder"], [true, false]],
  [["permissions", "transcriptionEnabled"], [true]],
];

/** A value that differs from `old` at the leaf named `key`, drawn from `seed`. */
function changed(key: string, old: unknown, seed: number): unknown {
  if (typeof old === "boolean") return !old;
  if (typeof old === "number") return (old + 1 + (seed % 5)) % 31;
  if (ENUMS[key]) return ENUMS[key].filter((v) => v !== old)[seed % (ENUMS[key].length - 1)];
  if (typeof old === "string") return `#${(seed % 0xffffff).toString(16).padStart(6, "0")}`;
  return key === "config" ? { "plugin-1": { accessControl: "VIEW_ONLY" } } : { sidebar: { hidden: seed % 2 === 0 } };
}

const setAt = (o: any, path: string[], v: unknown) => {
  const parent = path.slice(0, -1).reduce((cur, k) => (cur[k] ??= {}), o);
  parent[path[path.length - 1]] = v;
};

/** A live preset: a role's template with some fields changed and some extra fields set, as the dashboard may leave it. */
const livePreset = fc
  .record({
    role: fc.constantFrom(...ROLE_NAMES),
    edits: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
    extras: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
  })
  .map(({ role, edits, extras }) => {
    const live: any = { name: "p", ...ROLES[role]() };
    const paths = leafPaths(ROLES[role]());
    const touched = new Set<string>();
    for (const [i, seed] of edits) {
      const path = paths[i % paths.length];
      touched.add(path.join("."));
      setAt(live, path, changed(path[path.length - 1], path.reduce((v, k) => v[k], live), seed));
    }
    for (const [i, seed] of extras) {
      const [path, values] = EXTRA[i % EXTRA.length];
      touched.add(path.join("."));
      setAt(live, path, values[seed % values.length]);
    }
    return { role, live, touched: touched.size };
  });

describe("the closest role and its differences (realtimekit-export)", () => {
  it("an unedited template is its own role with no differences", () => {
    for (const role of ROLE_NAMES) expect(closestRole({ name: "p", ...ROLES[role]() })).toEqual({ role, differences: {}, lacking: [] });
  });

  it("laid over the chosen role, the differences give the live preset as the provider compares it (a field at its API default is none), and they are no more than the edits", () => {
    fc.assert(
      fc.property(livePreset, ({ live, touched }) => {
        const { role, differences, lacking: missing } = closestRole(live);
        expect(missing).toEqual([]);
        const { role: _r, ...back } = withDefaults({ name: "p", role, ...differences });
        expect([...differencesOf(PresetCreate, back, live), ...differencesOf(PresetCreate, live, back)]).toEqual([]);
        // The seed role needs at most one value per touched field; the chosen one needs no more.
        expect(Object.keys(differences).length ? size(differences) : 0).toBeLessThanOrEqual(touched);
      }),
      { numRuns: 500 },
    );
  });

  it("a field the live preset lacks cannot be written: the role that needs none of them wins, else it is listed", () => {
    // A webinar viewer without the stage fields: the audio-room listener (no stage fields) fits with one difference.
    const { stageEnabled: _e, stageAccess: _a, acceptStageRequests: _r, ...permissions } = ROLES.webinarViewer().permissions;
    expect(closestRole({ ...ROLES.webinarViewer(), permissions })).toMatchObject({ role: "audioRoomListener", differences: { config: { viewType: "WEBINAR" } }, lacking: [] });
    // Without ui.designTokens no role fits whole: the closest role, and the field it adds.
    expect(closestRole({ ...ROLES.groupCallHost(), ui: { configDiff: {} } })).toMatchObject({ role: "groupCallHost", differences: {}, lacking: ["ui.designTokens"] });
    // An empty map asks for nothing: a preset that leaves `config_diff: {}` out still fits its role whole (as the provider's diff sees it).
    const { configDiff: _c, ...ui } = ROLES.groupCallHost().ui;
    expect(closestRole({ ...ROLES.groupCallHost(), ui })).toMatchObject({ role: "groupCallHost", differences: {}, lacking: [] });
    expect(lacking({ a: { b: 1, c: 2 } }, { a: { b: 1 } })).toEqual(["a.c"]);
    expect(overlay({ a: { b: 1, c: 2 } }, { a: { b: 1 } })).toBeUndefined();
  });
});

describe("copies of parsed data keep a `__proto__` key as data (issue 18, 2.4)", () => {
  // JSON.parse and the YAML parser make `__proto__` an own key; a copy by plain assignment made it the copy's prototype.
  const parsed = () => JSON.parse('{"ui":{"config_diff":{"__proto__":{"hidden":true},"shown":1}},"__proto__":{"name":"x"}}');
  const isData = (o: any) => {
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.hasOwn(o, "__proto__")).toBe(true);
  };

  it("convertKeys (free-form maps and unknown keys), copy, deepMerge and overlay", () => {
    const camel = convertKeys(PresetCreate, parsed(), "camel") as any;
    isData(camel);
    isData(camel.ui.configDiff);
    expect(camel.ui.configDiff.hidden).toBeUndefined();
    expect(camel.name).toBeUndefined();
    isData((convertKeys(PresetCreate, camel, "snake") as any).ui.config_diff);
    isData(copy(parsed()).ui.config_diff);
    const merged = deepMerge({ ui: { config_diff: {} } } as any, parsed());
    isData(merged);
    isData(merged.ui.config_diff);
    isData(deepMerge(parsed(), { other: 1 } as any).ui.config_diff);
    isData((overlay({ ui: { config_diff: {} } }, parsed()) as any).ui.config_diff);
  });
});
