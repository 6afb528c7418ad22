// The behaviour suite, written once and run through each front door
// (test/behaviour.test.ts): the acceptance sequence of mature providers for each
// resource (create, empty diff, refresh, drift reverted, out-of-band deletion,
// delete), with the HTTP calls of each step counted on the emulator; diffs that
// ignore order; moving to another app; apps that can be neither renamed nor
// deleted; previews; secrets. The two doors run the same lifecycle, so every
// count and outcome is the same through both.
import { describe, expect, it } from "vitest";
import { ProgramError, refresh, type EngineState } from "../harness";
import { meetingArgs, presetArgs, webhookArgs } from "../fixtures/args";
import { byName } from "../support/live";
import { openDoor, type Door, type DoorStack } from "./doors";

type Group = "presets" | "meetings" | "webhooks";

interface Case {
  kind: "Preset" | "Meeting" | "Webhook";
  group: Group;
  args: () => Record<string, unknown>;
  /** A change made behind the API's back: snake_case for the store, and where it shows in outputs. */
  drift: { change: Record<string, unknown>; read: (outs: Record<string, any>) => unknown; wanted: unknown };
}

const cases: Case[] = [
  {
    kind: "Preset",
    group: "presets",
    args: () => presetArgs(),
    drift: { change: { config: { max_screenshare_count: 5 } }, read: (o) => o.config.maxScreenshareCount, wanted: 1 },
  },
  {
    kind: "Meeting",
    group: "meetings",
    args: () => meetingArgs(),
    drift: { change: { record_on_start: true }, read: (o) => o.recordOnStart, wanted: false },
  },
  {
    kind: "Webhook",
    group: "webhooks",
    args: () => webhookArgs(),
    drift: { change: { enabled: false, events: ["meeting.started"] }, read: (o) => o.events, wanted: ["meeting.started", "meeting.ended"] },
  },
];

/** The state as the engine writes its checkpoint: each secret input and output encrypted (shown here as "[secret]"). */
const checkpoint = (state: EngineState) =>
  Object.values(state).map((r) => {
    const hide = (props: Record<string, unknown>, secret: string[] = []) =>
      Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secret.includes(k) ? "[secret]" : v]));
    return { ...r, inputs: hide(r.inputs, r.secretInputs), outputs: hide(r.outputs, r.secretOutputs) };
  });
export const ops = (steps: { name: string; op: string }[]) => Object.fromEntries(steps.map((s) => [s.name, s.op]));

/** The same value with the keys of every object, at every depth, in reverse order. */
function reorderKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reorderKeys) as T;
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorderKeys(x)])) as T;
}

/** Registers the suite for one door. */
export function scenarios(door: Door): void {
  let stack!: DoorStack;
  const run = openDoor(door, (s) => (stack = s));

  describe.each(cases)("$kind lifecycle", ({ kind, group, args, drift }) => {
    const appName = `app-for-${group}`;
    const program = () => () => {
      const rtk = stack.sdk();
      const app = new rtk.App("app", { name: appName });
      new rtk[kind]("obj", { appId: app.id, ...args() });
    };
    let state: EngineState;
    let appId: string;
    let id: string;
    const live = () => stack.em.store.get(stack.account, group, appId, id);
    const count = (method: string, route: string) => stack.em.requests.count(method, route);

    it("create: one POST, nothing else", async () => {
      stack.em.requests.reset();
      const result = await run(program());
      state = result.state;
      expect(ops(result.steps)).toEqual({ app: "create", obj: "create" });
      appId = byName(state, "app").id;
      id = byName(state, "obj").id;
      expect(count("POST", `/:app/${group}`)).toBe(1);
      expect(count("POST", "/apps")).toBe(1);
      expect(stack.em.requests.total()).toBe(2);
      expect(live()).toBeDefined();
      expect(byName(state, "obj").outputs.appId).toBe(appId);
    });

    it("the same program again: no changes and no HTTP call (check and diff are local)", async () => {
      stack.em.requests.reset();
      const result = await run(program(), { state });
      expect(ops(result.steps)).toEqual({ app: "same", obj: "same" });
      expect(stack.em.requests.total()).toBe(0);
    });

    it("refresh right after up: one GET per resource, no drift, then no changes", async () => {
      stack.em.requests.reset();
      const inputsBefore = byName(state, "obj").inputs;
      const results = await refresh(state, stack.doors);
      // Without drift read hands back no inputs: the state keeps the program's arguments.
      expect(byName(state, "obj").inputs).toEqual(inputsBefore);
      expect(results.map((r) => [r.name, r.changed, r.dropped])).toEqual(
        expect.arrayContaining([
          ["app", false, false],
          ["obj", false, false],
        ]),
      );
      expect(count("GET", `/:app/${group}/:id`)).toBe(1);
      // The app has no GET: the app list, read to its end (its page, then an empty one) to tell whether it is whole.
      expect(count("GET", "/apps")).toBe(2);
      expect(stack.em.requests.total()).toBe(3);
      const result = await run(program(), { state });
      expect(ops(result.steps)).toEqual({ app: "same", obj: "same" });
    });

    it("an out-of-band change is seen by refresh and reverted by one PATCH", async () => {
      stack.em.store.patch(stack.account, group, appId, id, drift.change as never);
      const results = await refresh(state, stack.doors);
      expect(results.find((r) => r.name === "obj")).toMatchObject({ changed: true, dropped: false });
      expect(drift.read(byName(state, "obj").outputs)).not.toEqual(drift.wanted);
      // With drift the state's inputs become the live values, so a preview shows them against the program's.
      expect(drift.read(byName(state, "obj").inputs)).toEqual(drift.read(byName(state, "obj").outputs));
      stack.em.requests.reset();
      const result = await run(program(), { state });
      state = result.state;
      expect(ops(result.steps)).toEqual({ app: "same", obj: "update" });
      expect(count("PATCH", `/:app/${group}/:id`)).toBe(1);
      expect(stack.em.requests.total()).toBe(1);
      expect(drift.read(byName(state, "obj").outputs)).toEqual(drift.wanted);
      const again = await run(program(), { state });
      expect(ops(again.steps)).toEqual({ app: "same", obj: "same" });
    });

    it("an out-of-band deletion is dropped by refresh and created again by up", async () => {
      stack.em.store.remove(stack.account, group, appId, id);
      const results = await refresh(state, stack.doors);
      expect(results.find((r) => r.name === "obj")).toMatchObject({ dropped: true });
      expect(byName(state, "obj")).toBeUndefined();
      stack.em.requests.reset();
      const result = await run(program(), { state });
      state = result.state;
      expect(ops(result.steps)).toEqual({ app: "same", obj: "create" });
      expect(count("POST", `/:app/${group}`)).toBe(1);
      id = byName(state, "obj").id;
    });

    it(kind === "Meeting" ? "delete sets the meeting INACTIVE (the API has no DELETE)" : "delete: one DELETE, object gone", async () => {
      stack.em.requests.reset();
      const result = await run(() => void new (stack.sdk().App)("app", { name: appName }), { state });
      expect(ops(result.steps)).toEqual({ app: "same", obj: "delete" });
      if (kind === "Meeting") {
        expect(count("PATCH", `/:app/${group}/:id`)).toBe(1);
        expect((live() as { status?: string } | undefined)?.status).toBe("INACTIVE");
      } else {
        expect(count("DELETE", `/:app/${group}/:id`)).toBe(1);
        expect(live()).toBeUndefined();
      }
      expect(stack.em.requests.total()).toBe(1);
    });
  });

  describe("the diff ignores order and what the program did not set", () => {
    const events = ["meeting.started", "meeting.ended", "recording.statusUpdate"];
    const keywords = ["RealtimeKit", "Pulumi", "standup"];
    const program = (shuffle: boolean) => () => {
      const rtk = stack.sdk();
      const app = new rtk.App("app", { name: "order-insensitive" });
      const hook = { ...webhookArgs("ordered"), events: shuffle ? [...events].reverse() : events };
      const meeting = meetingArgs("ordered");
      meeting.aiConfig.transcription.keywords = shuffle ? [...keywords].reverse() : keywords;
      const args = (a: object) => (shuffle ? reorderKeys(a) : a) as Record<string, unknown>;
      new rtk.Webhook("w", args({ appId: app.id, ...hook }));
      new rtk.Preset("p", args({ appId: app.id, ...presetArgs("ordered") }));
      new rtk.Meeting("m", args({ appId: app.id, ...meeting }));
    };

    it("events reversed and nested keys reordered: every step is the same, with 0 HTTP calls; reordered out of band: no drift", async () => {
      const first = await run(program(false));
      stack.em.requests.reset();
      const again = await run(program(true), { state: first.state });
      expect(ops(again.steps)).toEqual({ app: "same", w: "same", p: "same", m: "same" });
      expect(stack.em.requests.total()).toBe(0);

      // Behind the API's back: the same lists in another order.
      const appId = byName(first.state, "app").id;
      stack.em.store.patch(stack.account, "webhooks", appId, byName(first.state, "w").id, { events: [...events].reverse() as never });
      stack.em.store.patch(stack.account, "meetings", appId, byName(first.state, "m").id, {
        ai_config: { transcription: { keywords: [...keywords].reverse() } },
      });
      const inputsBefore = structuredClone(Object.values(again.state).map((r) => r.inputs));
      const results = await refresh(again.state, stack.doors);
      expect(results.map((r) => [r.name, r.changed, r.dropped])).toEqual(expect.arrayContaining([["w", false, false], ["m", false, false], ["p", false, false]]));
      expect(Object.values(again.state).map((r) => r.inputs)).toEqual(inputsBefore);
      expect(byName(again.state, "w").outputs.events).toEqual([...events].reverse()); // the live order, kept in the outputs
      stack.em.requests.reset();
      const after = await run(program(false), { state: again.state });
      expect(new Set(Object.values(ops(after.steps)))).toEqual(new Set(["same"]));
      expect(stack.em.requests.total()).toBe(0);
    });
  });

  describe("moving a resource to another app", () => {
    it("replaces the Preset, Meeting and Webhook: each now lives in app B, and is gone from app A (a meeting INACTIVE)", async () => {
      const program = (home: "a" | "b") => () => {
        const rtk = stack.sdk();
        const apps = { a: new rtk.App("a", { name: "move-from" }), b: new rtk.App("b", { name: "move-to" }) };
        const appId = apps[home].id;
        new rtk.Preset("p", { appId, ...presetArgs("moving") });
        new rtk.Meeting("m", { appId, ...meetingArgs("moving") });
        new rtk.Webhook("w", { appId, ...webhookArgs("moving") });
      };
      const first = await run(program("a"));
      const [a, b] = [byName(first.state, "a").id, byName(first.state, "b").id];
      const before = { p: byName(first.state, "p").id, m: byName(first.state, "m").id, w: byName(first.state, "w").id };

      stack.em.requests.reset();
      const moved = await run(program("b"), { state: first.state });
      expect(ops(moved.steps)).toEqual({ a: "same", b: "same", p: "replace", m: "replace", w: "replace" });
      for (const s of moved.steps.filter((x) => x.op === "replace")) expect(s.diff?.replaces).toEqual(["appId"]);
      const after = { p: byName(moved.state, "p"), m: byName(moved.state, "m"), w: byName(moved.state, "w") };
      for (const r of Object.values(after)) expect(r.outputs.appId).toBe(b);

      const { store } = stack.em;
      expect(store.list(stack.account, "presets", b).map((p) => p.id)).toEqual([after.p.id]);
      expect(store.list(stack.account, "webhooks", b).map((w) => w.id)).toEqual([after.w.id]);
      expect(store.list(stack.account, "meetings", b).map((m) => [m.id, m.status])).toEqual([[after.m.id, "ACTIVE"]]);
      expect(store.list(stack.account, "presets", a)).toEqual([]);
      expect(store.list(stack.account, "webhooks", a)).toEqual([]);
      expect(store.list(stack.account, "meetings", a).map((m) => [m.id, m.status])).toEqual([[before.m, "INACTIVE"]]);
      for (const k of ["p", "m", "w"] as const) expect(after[k].id).not.toBe(before[k]);
      // One create in B and one retirement in A each.
      expect(stack.em.requests.count("POST", "/:app/presets")).toBe(1);
      expect(stack.em.requests.count("DELETE", "/:app/presets/:id")).toBe(1);
      expect(stack.em.requests.count("DELETE", "/:app/webhooks/:id")).toBe(1);
      expect(stack.em.requests.count("PATCH", "/:app/meetings/:id")).toBe(1);
    });
  });

  describe("App lifecycle", () => {
    it("create, refresh; a new name fails the preview (never a replace); delete only drops it from the stack with a warning", async () => {
      const solo = (name: string) => () => void new (stack.sdk().App)("solo", { name });
      stack.em.requests.reset();
      let result = await run(solo("solo-app"));
      expect(ops(result.steps)).toEqual({ solo: "create" });
      expect(stack.em.requests.total()).toBe(1);
      const id = byName(result.state, "solo").id;
      expect(byName(result.state, "solo").outputs).toMatchObject({ name: "solo-app", createdAt: expect.any(String) });

      stack.em.requests.reset();
      expect(await refresh(result.state, stack.doors)).toEqual([expect.objectContaining({ changed: false, dropped: false })]);
      expect(stack.em.requests.total()).toBe(2); // the app list's page, then an empty one

      // A replacement would leave the old app behind for good: the API can neither rename nor delete apps.
      stack.em.requests.reset();
      const renamed = await run(solo("solo-app-2"), { state: result.state }).catch((e) => e);
      expect(renamed).toBeInstanceOf(ProgramError);
      // One line, as the engine prints it: the property, the program's value of it, and the reason.
      const reason = (renamed as ProgramError).message.split("\n").find((l) => l.includes("cannot rename"));
      expect(reason).toMatch(/ resource 'solo': property name value \{"solo-app-2"\} has a problem: name: RealtimeKit cannot rename apps .*"solo-app" cannot become "solo-app-2": keep the name "solo-app", or declare a new App resource .* on purpose/);
      expect((renamed as ProgramError).steps).toEqual([]);
      expect(stack.em.requests.total()).toBe(0);
      expect(stack.em.store.apps(stack.account).filter((a) => a.name.startsWith("solo-app"))).toEqual([expect.objectContaining({ id, name: "solo-app" })]);

      stack.em.requests.reset();
      result = await run(() => undefined, { state: result.state });
      expect(ops(result.steps)).toEqual({ solo: "delete" });
      expect(stack.em.requests.total()).toBe(0);
      await expect.poll(() => stack.warnings(), { timeout: 5_000 }).toMatch(/RealtimeKit app .* still exists: the RealtimeKit API cannot delete apps/);
    });
  });

  describe("preview", () => {
    it("X.get whose appId is not known yet (a new app's id): the read is planned, nothing is sent, and a warning says why nothing was read", async () => {
      const made = await run(() => {
        const rtk = stack.sdk();
        const app = new rtk.App("origin", { name: "seen-app" });
        new rtk.Webhook("w", { appId: app.id, ...webhookArgs("seen") });
      });
      const webhookId = byName(made.state, "w").id;
      const program = () => {
        const rtk = stack.sdk();
        const app = new rtk.App("fresh", { name: "fresh-app" });
        const seen = rtk.Webhook.get("seen", webhookId, { appId: app.id });
        return { url: seen.url };
      };
      stack.em.requests.reset();
      // The engine leaves the unknown appId out of Read's request (engine/program.ts, as rpc.go marshals it).
      const plan = await run(program, { preview: true });
      expect(ops(plan.steps)).toEqual({ fresh: "create", seen: "read" });
      expect(plan.outputs).toEqual({}); // not known yet
      expect(stack.em.requests.total()).toBe(0);
      await expect.poll(() => stack.warnings(), { timeout: 5_000 }).toContain(`Webhook.get("${webhookId}"): its appId is not known yet`);
    });

    it("with values not known yet (a new app's id): each step planned, nothing sent, and the state unchanged", async () => {
      const program = () => {
        const rtk = stack.sdk();
        const app = new rtk.App("app", { name: "planned" });
        new rtk.Preset("p", { appId: app.id, ...presetArgs("planned") });
        new rtk.Webhook("w", { appId: app.id, ...webhookArgs("planned") });
        new rtk.Meeting("m", { appId: app.id, ...meetingArgs("planned") });
      };
      stack.em.requests.reset();
      const plan = await run(program, { preview: true });
      expect(ops(plan.steps)).toEqual({ app: "create", p: "create", w: "create", m: "create" });
      expect(plan.state).toEqual({});
      expect(stack.em.requests.total()).toBe(0);

      // Against a deployed stack, a change that waits on an unknown is planned as a replacement, still sending nothing.
      const deployed = await run(program);
      const moved = () => {
        const rtk = stack.sdk();
        const app = new rtk.App("app", { name: "planned" });
        const other = new rtk.App("other", { name: "planned-other" });
        new rtk.Preset("p", { appId: app.id, ...presetArgs("planned") });
        new rtk.Webhook("w", { appId: other.id, ...webhookArgs("planned") });
        new rtk.Meeting("m", { appId: app.id, ...meetingArgs("planned") });
      };
      stack.em.requests.reset();
      const replan = await run(moved, { preview: true, state: deployed.state });
      expect(ops(replan.steps)).toEqual({ app: "same", other: "create", p: "same", w: "replace", m: "same" });
      expect(replan.steps.find((s) => s.name === "w")?.diff?.replaces).toEqual(["appId"]);
      expect(stack.em.requests.total()).toBe(0);
      expect(replan.state).toEqual(deployed.state);
    });
  });

  describe("secrets", () => {
    it("write-only storage credentials are kept from inputs, secret outputs, and never drift", async () => {
      const program = () => {
        const rtk = stack.sdk();
        const app = new rtk.App("app", { name: "secrets-app" });
        new rtk.Meeting("m", { appId: app.id, ...meetingArgs("secret meeting") });
      };
      const result = await run(program);
      const m = byName(result.state, "m") as EngineState[string] & { outputs: Record<string, any> };
      expect(m.secretOutputs).toContain("recordingConfig");
      expect(m.outputs.recordingConfig.storageConfig).toMatchObject({ accessKey: "AKIAEXAMPLE", secret: "s3cr3t-storage-key" });
      const liveMeeting = stack.em.store.get(stack.account, "meetings", m.outputs.appId, m.id)!;
      expect(liveMeeting.recording_config?.storage_config?.secret).toBe("s3cr3t-storage-key"); // it was sent
      const results = await refresh(result.state, stack.doors);
      expect(results.every((r) => !r.changed)).toBe(true);
      const again = await run(program, { state: result.state });
      expect(again.steps.every((s) => s.op === "same")).toBe(true);
    });

    it("every storage credential passed as plain text is secret in the state the engine writes: after up, refresh and an up with no change", async () => {
      // What Python, Go, Java and YAML programs send: their SDKs wrap only top-level inputs the schema marks secret.
      const credentials = { accessKey: "AKIA-PLAIN-ACCESS-KEY", secret: "plain-s3-secret-key", password: "plain-sftp-password", privateKey: "-----PLAIN SFTP KEY-----" };
      const program = () => {
        const rtk = stack.sdk();
        const app = new rtk.App("app", { name: "plain-credentials" });
        const { accessKey, secret, password, privateKey } = credentials;
        const s3 = { type: "aws", bucket: "recordings", region: "us-east-1", accessKey, secret };
        const sftp = { type: "sftp", host: "sftp.example.com", port: 22, username: "rtk", authMethod: "KEY", password, privateKey };
        new rtk.Meeting("s3", { appId: app.id, title: "to S3", recordingConfig: { storageConfig: s3 } });
        new rtk.Meeting("sftp", { appId: app.id, title: "to SFTP", recordingConfig: { storageConfig: sftp } });
      };
      const inClear = (state: EngineState) => {
        const text = JSON.stringify(checkpoint(state));
        return Object.values(credentials).filter((c) => text.includes(c));
      };
      const up = await run(program);
      const stored = (name: string) => stack.em.store.get(stack.account, "meetings", byName(up.state, "s3").outputs.appId as string, byName(up.state, name).id)!;
      expect([stored("s3").recording_config?.storage_config?.secret, stored("sftp").recording_config?.storage_config?.private_key]).toEqual([
        credentials.secret,
        credentials.privateKey,
      ]); // they were sent
      expect(inClear(up.state)).toEqual([]);
      await refresh(up.state, stack.doors);
      expect(inClear(up.state)).toEqual([]);
      const again = await run(program, { state: up.state });
      expect(again.steps.every((s) => s.op === "same")).toBe(true);
      expect(inClear(again.state)).toEqual([]);
    });

    it("the API token appears in no state, and in nothing the provider wrote or logged", async () => {
      const result = await run(() => {
        const rtk = stack.sdk();
        const app = new rtk.App("app", { name: "token-app" });
        new rtk.Preset("p", { appId: app.id, ...presetArgs() });
        new rtk.Webhook("w", { appId: app.id, ...webhookArgs() });
        new rtk.Meeting("m", { appId: app.id, ...meetingArgs() });
      });
      expect(Object.keys(result.state)).toHaveLength(4);
      expect(JSON.stringify(result.state)).not.toContain(stack.token);
      expect(stack.output()).not.toContain(stack.token);
    });
  });
}
