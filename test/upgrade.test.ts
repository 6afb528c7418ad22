// Upgrading keeps everything in place. The fixture is a stack's state as the
// release before accountId wrote it (test/fixtures/upgrade/make-state.js ran that
// release's own SDK, offline engine, host and emulator): no accountId in any
// inputs or outputs. The same program, run with this release, must find nothing
// to do: had diff taken the missing accountId for a change, every resource of
// every existing stack would be replaced on the first `up` after the upgrade.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHost, runProgram, type EngineState, type Host } from "./harness";
import { byName } from "./support/live";
import { nodeRequire, root, sdk } from "./support/stack";

const fixture: { account: string; program: Record<string, any>; state: EngineState } = JSON.parse(
  readFileSync(path.join(__dirname, "fixtures", "upgrade", "state-before-accountId.json"), "utf8"),
);

const TOKEN = "tok-upgrade";
let em: Awaited<ReturnType<typeof import("../emulator").startEmulator>>;
let host: Host;
beforeAll(async () => {
  const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../emulator");
  em = await startEmulator({ port: 0, token: TOKEN });
  // The stack's config as it was: the same account, now read by this release.
  host = await startHost({ cwd: root, config: { "realtimekit:accountId": fixture.account, "realtimekit:apiToken": TOKEN, "realtimekit:baseUrl": em.url } });
});
afterAll(async () => void (await Promise.all([host?.stop(), em?.close()])));

/** The program that made the fixture, unchanged. */
const program = () => {
  const rtk = sdk();
  const { app: appArgs, host: hostArgs, viewer, events, standup } = fixture.program;
  const app = new rtk.App("app", appArgs);
  new rtk.Preset("host", { appId: app.id, ...hostArgs });
  new rtk.Preset("viewer", { appId: app.id, ...viewer });
  new rtk.Webhook("events", { appId: app.id, ...events });
  new rtk.Meeting("standup", { appId: app.id, ...standup });
};

describe("upgrading from the release before accountId (0.1.0's state: the arguments without the API's defaults)", () => {
  it("the fixture is that release's state: five resources, no accountId anywhere", () => {
    const resources = Object.values(fixture.state);
    expect(resources.map((r) => r.name).sort()).toEqual(["app", "events", "host", "standup", "viewer"]);
    for (const r of resources) {
      expect(r.inputs, r.name).not.toHaveProperty("accountId");
      expect(r.outputs, r.name).not.toHaveProperty("accountId");
    }
  });

  it("preview and up with this release: every resource the same, no replace, no update, no request", async () => {
    em.requests.reset();
    const unchanged = ["same app", "same events", "same host", "same standup", "same viewer"];
    const plan = await runProgram(program, { host, state: fixture.state, preview: true });
    expect(plan.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(unchanged);
    const up = await runProgram(program, { host, state: fixture.state });
    expect(up.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(unchanged);
    // The same objects, under the same ids.
    expect(Object.fromEntries(Object.entries(up.state).map(([urn, r]) => [urn, r.id]))).toEqual(
      Object.fromEntries(Object.entries(fixture.state).map(([urn, r]) => [urn, r.id])),
    );
    expect(em.requests.total()).toBe(0);
  });

  it("a field the program leaves out and the live object has at another value than its default: an update naming it, never a replace", async () => {
    // As a 0.1.0 refresh records a dashboard change it did not manage: a meeting livestreaming on start, a webhook disabled.
    const state = structuredClone(fixture.state);
    byName(state, "standup").outputs.liveStreamOnStart = true;
    byName(state, "events").outputs.enabled = false;
    em.requests.reset();
    const plan = await runProgram(program, { host, state, preview: true });
    expect(Object.fromEntries(plan.steps.map((s) => [s.name, s.op]))).toEqual({ app: "same", host: "same", viewer: "same", events: "update", standup: "update" });
    for (const [name, field] of [["standup", "liveStreamOnStart"], ["events", "enabled"]]) {
      const step = plan.steps.find((s) => s.name === name)!;
      expect(step.diff?.replaces, name).toEqual([]);
      // The CLI's --diff: the state's inputs (0.1.0: without the field) against the checked inputs (with its default).
      expect(step.changes, name).toContain(field);
    }
    expect(em.requests.total()).toBe(0);
  });
});
