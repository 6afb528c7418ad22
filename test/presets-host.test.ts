// Presets from role templates and defaults, through the real dynamic-provider
// host against the emulator: two lines make a whole preset, each role makes the
// object its template describes, a partial section merges, and the merged
// object is under drift control (a dashboard change to a defaulted field is
// seen by refresh and reverted by up).
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProgramError, refresh, runProgram, type EngineState } from "./harness";
import { nodeRequire, root, sdk, startStack, type Stack } from "./support/stack";

const presets: typeof import("../provider/presets") = nodeRequire(path.join(root, "dist/provider/presets"));
const schema: typeof import("../provider/schema") = nodeRequire(path.join(root, "dist/provider/schema"));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** The preset as the emulator holds it, without id and timestamps. */
function stored(appId: string, id: string) {
  const { id: _i, created_at: _c, updated_at: _u, ...fields } = stack.em.store.get(stack.account, "presets", appId, id) as any;
  return fields;
}
/** A role's template as the API's body for a preset named `name`, with `changes` (snake_case) over it. */
// As the server keeps it: it fills config.media.video.simulcast when the body has none (docs/api-behaviour.md, echoed-fields),
// and the API's defaults of config.media.audio and permissions.is_recorder, which the provider sends (docs/api-behaviour.md, "Defaults").
const body = (name: string, role: import("../provider/presets").PresetRole, changes: object = {}): any => {
  const defaults = { config: { media: { audio: { enable_high_bitrate: false, enable_stereo: false } } }, permissions: { is_recorder: false } };
  const sent = presets.deepMerge<any>(presets.deepMerge<any>({ name, ...(schema.convertKeys(schema.PresetCreate, presets.ROLES[role](), "snake") as object) }, defaults), changes);
  return presets.deepMerge<object>(sent, { config: { media: { video: { simulcast: sent.config.media.video.simulcast ?? false } } } });
};

const byName = (state: EngineState, name: string): { id: string; inputs: any; outputs: any } => Object.values(state).find((r) => r.name === name)!;
const ops = (steps: { name: string; op: string }[]) => Object.fromEntries(steps.map((s) => [s.name, s.op]));

describe("a preset in two lines", () => {
  const program = (guest: Record<string, unknown> = {}) => () => {
    const rtk = sdk();
    const app = new rtk.App("app", { name: "two-lines" });
    new rtk.Preset("guest", { appId: app.id, name: "guest", ...guest });
  };
  let state: EngineState;
  let appId: string;
  let id: string;

  it('new Preset("guest", { appId, name: "guest" }) creates the whole group-call participant preset in one POST', async () => {
    stack.em.requests.reset();
    const run = await runProgram(program(), { host: stack.host });
    state = run.state;
    expect(ops(run.steps)).toEqual({ app: "create", guest: "create" });
    appId = byName(state, "app").id;
    id = byName(state, "guest").id;
    expect(stack.em.requests.count("POST", "/:app/presets")).toBe(1);
    expect(stored(appId, id)).toEqual(body("guest", "groupCallParticipant"));
    expect(stored(appId, id).ui.config_diff).toEqual({});
    // The desired state is the merged object: the state's inputs hold every field of the template, and the API's defaults of the others.
    const { appId: _a, __provider: _p, ...inputs } = byName(state, "guest").inputs;
    const apiDefaults = { config: { media: { audio: { enableHighBitrate: false, enableStereo: false } } }, permissions: { isRecorder: false } };
    expect(inputs).toEqual(presets.deepMerge<object>({ name: "guest", ...presets.groupCallParticipant() }, apiDefaults));
  });

  it("a second up has no changes and sends nothing", async () => {
    stack.em.requests.reset();
    const run = await runProgram(program(), { host: stack.host, state });
    expect(ops(run.steps)).toEqual({ app: "same", guest: "same" });
    expect(stack.em.requests.total()).toBe(0);
  });

  it("a dashboard change to a defaulted field is seen by refresh and reverted by up", async () => {
    stack.em.store.patch(stack.account, "presets", appId, id, { permissions: { can_record: true }, ui: { design_tokens: { theme: "light" } } } as never);
    const refreshed = await refresh(state, stack.host);
    expect(refreshed.find((r) => r.name === "guest")).toMatchObject({ changed: true, dropped: false });
    // With drift the state's inputs become the live values, so a preview shows them against the program's.
    expect(byName(state, "guest").inputs.permissions.canRecord).toBe(true);
    expect(byName(state, "guest").outputs.ui.designTokens.theme).toBe("light");

    stack.em.requests.reset();
    const up = await runProgram(program(), { host: stack.host, state });
    state = up.state;
    expect(ops(up.steps)).toEqual({ app: "same", guest: "update" });
    expect([stack.em.requests.count("PATCH", "/:app/presets/:id"), stack.em.requests.total()]).toEqual([1, 1]);
    expect(stored(appId, id)).toEqual(body("guest", "groupCallParticipant"));

    const again = await runProgram(program(), { host: stack.host, state });
    expect(ops(again.steps)).toEqual({ app: "same", guest: "same" });
    expect((await refresh(again.state, stack.host)).filter((r) => r.changed)).toEqual([]);
    state = again.state;
  });

  it("a field the server holds and neither the user nor the template set is no diff", async () => {
    stack.em.store.patch(stack.account, "presets", appId, id, { config: { media: { video: { simulcast: true } } }, permissions: { is_recorder: false } } as never);
    expect((await refresh(state, stack.host)).filter((r) => r.changed)).toEqual([]);
    stack.em.requests.reset();
    const run = await runProgram(program(), { host: stack.host, state });
    expect(ops(run.steps)).toEqual({ app: "same", guest: "same" });
    expect(stack.em.requests.total()).toBe(0);
  });

  it("a partial permissions merges over the role's: { canRecord: true } is the participant's permissions with recording, one PATCH", async () => {
    stack.em.requests.reset();
    const run = await runProgram(program({ permissions: { canRecord: true } }), { host: stack.host, state });
    state = run.state;
    expect(ops(run.steps)).toEqual({ app: "same", guest: "update" });
    expect(stack.em.requests.total()).toBe(1);
    expect(stored(appId, id).permissions).toEqual({ ...body("guest", "groupCallParticipant", { permissions: { can_record: true } }).permissions, is_recorder: false });
  });

  it("changing the role updates the preset in place to the new template", async () => {
    stack.em.requests.reset();
    const run = await runProgram(program({ role: "webinarViewer" }), { host: stack.host, state });
    expect(ops(run.steps)).toEqual({ app: "same", guest: "update" });
    expect(byName(run.state, "guest").id).toBe(id);
    expect([stack.em.requests.count("PATCH", "/:app/presets/:id"), stack.em.requests.total()]).toEqual([1, 1]);
    const live = stored(appId, id);
    expect(live.config.view_type).toBe("WEBINAR");
    expect(live.permissions).toMatchObject(body("guest", "webinarViewer").permissions);
    // The role is ours: never sent, never an output.
    expect(JSON.stringify(live)).not.toContain("role");
    expect(byName(run.state, "guest").outputs.role).toBeUndefined();
  });

  it("an unknown role fails check, naming the argument and the roles, before any request", async () => {
    stack.em.requests.reset();
    const error = await runProgram(program({ role: "moderator" }), { host: stack.host, state }).catch((e) => e);
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toContain(
      'role: Invalid option: expected one of "groupCallParticipant"|"groupCallHost"|"webinarPresenter"|"webinarViewer"|"livestreamHost"|"livestreamViewer"|"audioRoomSpeaker"|"audioRoomListener"',
    );
    expect(stack.em.requests.total()).toBe(0);
  });
});

describe("each role creates the object its template describes", () => {
  it("one preset per role, each equal to its template; then no changes and no drift", async () => {
    const program = () => {
      const rtk = sdk();
      const app = new rtk.App("app", { name: "every-role" });
      for (const role of presets.ROLE_NAMES) new rtk.Preset(role, { appId: app.id, name: role, role });
    };
    stack.em.requests.reset();
    const run = await runProgram(program, { host: stack.host });
    expect(stack.em.requests.count("POST", "/:app/presets")).toBe(presets.ROLE_NAMES.length);
    const appId = byName(run.state, "app").id;
    for (const role of presets.ROLE_NAMES) expect(stored(appId, byName(run.state, role).id), role).toEqual(body(role, role));

    stack.em.requests.reset();
    const again = await runProgram(program, { host: stack.host, state: run.state });
    expect(again.steps.every((s) => s.op === "same")).toBe(true);
    expect(stack.em.requests.total()).toBe(0);
    expect((await refresh(again.state, stack.host)).filter((r) => r.changed)).toEqual([]);
  });
});
