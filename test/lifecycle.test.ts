// The acceptance sequence of mature providers, for each resource, through the
// real dynamic-provider host against the emulator: create, empty diff, refresh,
// drift reverted, out-of-band deletion, adoption (importId), delete, with the
// HTTP calls of each step counted on the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProgramError, refresh, runProgram, type EngineState } from "./harness";
import { meetingArgs, presetArgs, webhookArgs } from "./fixtures/args";
import { sdk, startStack, type Stack } from "./support/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

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

const byName = (state: EngineState, name: string) => Object.values(state).find((r) => r.name === name)!;
const ops = (steps: { name: string; op: string }[]) => Object.fromEntries(steps.map((s) => [s.name, s.op]));

describe.each(cases)("$kind lifecycle through the dynamic-provider host", ({ kind, group, args, drift }) => {
  const appName = `app-for-${group}`;
  const program = (extra: Record<string, unknown> = {}, name = "obj") => () => {
    const rtk = sdk();
    const app = new rtk.App("app", { name: appName, ...(extra.appImportId ? { importId: extra.appImportId as string } : {}) });
    const { appImportId: _a, ...own } = extra;
    new rtk[kind](name, { appId: app.id, ...args(), ...own } as never);
  };
  let state: EngineState;
  let appId: string;
  let id: string;
  const live = () => stack.em.store.get(stack.account, group, appId, id);
  const count = (method: string, route: string) => stack.em.requests.count(method, route);

  it("create: one POST, nothing else", async () => {
    stack.em.requests.reset();
    const run = await runProgram(program(), { host: stack.host });
    state = run.state;
    expect(ops(run.steps)).toEqual({ app: "create", obj: "create" });
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
    const run = await runProgram(program(), { host: stack.host, state });
    expect(ops(run.steps)).toEqual({ app: "same", obj: "same" });
    expect(stack.em.requests.total()).toBe(0);
  });

  it("refresh right after up: one GET per resource, no drift, then no changes", async () => {
    stack.em.requests.reset();
    const inputsBefore = byName(state, "obj").inputs;
    const results = await refresh(state, stack.host);
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
    const run = await runProgram(program(), { host: stack.host, state });
    expect(ops(run.steps)).toEqual({ app: "same", obj: "same" });
  });

  it("an out-of-band change is seen by refresh and reverted by one PATCH", async () => {
    stack.em.store.patch(stack.account, group, appId, id, drift.change as never);
    const results = await refresh(state, stack.host);
    expect(results.find((r) => r.name === "obj")).toMatchObject({ changed: true, dropped: false });
    expect(drift.read(byName(state, "obj").outputs)).not.toEqual(drift.wanted);
    // With drift the state's inputs become the live values, so a preview shows them against the program's.
    expect(drift.read(byName(state, "obj").inputs)).toEqual(drift.read(byName(state, "obj").outputs));
    stack.em.requests.reset();
    const run = await runProgram(program(), { host: stack.host, state });
    state = run.state;
    expect(ops(run.steps)).toEqual({ app: "same", obj: "update" });
    expect(count("PATCH", `/:app/${group}/:id`)).toBe(1);
    expect(stack.em.requests.total()).toBe(1);
    expect(drift.read(byName(state, "obj").outputs)).toEqual(drift.wanted);
    const again = await runProgram(program(), { host: stack.host, state });
    expect(ops(again.steps)).toEqual({ app: "same", obj: "same" });
  });

  it("importId adopts the existing object: no POST, state equal to the created one", async () => {
    stack.em.requests.reset();
    const run = await runProgram(program({ appImportId: appId, importId: `${appId}/${id}` }), { host: stack.host });
    expect(ops(run.steps)).toEqual({ app: "create", obj: "create" });
    expect(count("POST", `/:app/${group}`)).toBe(0);
    expect(count("POST", "/apps")).toBe(0);
    // Write-only values (a meeting's storage credentials) cannot be read back, so adoption sends them once.
    expect(count("PATCH", `/:app/${group}/:id`)).toBe(kind === "Meeting" ? 1 : 0);
    const adopted = byName(run.state, "obj");
    expect(adopted.id).toBe(id);
    const sansStamp = (o: Record<string, unknown>) => ({ ...o, updatedAt: "(the adoption PATCH moves it)" });
    expect(sansStamp(adopted.outputs)).toEqual(sansStamp(byName(state, "obj").outputs));
    expect(byName(run.state, "app").outputs).toEqual(byName(state, "app").outputs);
    const again = await runProgram(program({ appImportId: appId, importId: `${appId}/${id}` }), { host: stack.host, state: run.state });
    expect(ops(again.steps)).toEqual({ app: "same", obj: "same" });
  });

  it("an out-of-band deletion is dropped by refresh and created again by up", async () => {
    stack.em.store.remove(stack.account, group, appId, id);
    const results = await refresh(state, stack.host);
    expect(results.find((r) => r.name === "obj")).toMatchObject({ dropped: true });
    expect(byName(state, "obj")).toBeUndefined();
    stack.em.requests.reset();
    const run = await runProgram(program(), { host: stack.host, state });
    state = run.state;
    expect(ops(run.steps)).toEqual({ app: "same", obj: "create" });
    expect(count("POST", `/:app/${group}`)).toBe(1);
    id = byName(state, "obj").id;
  });

  it(kind === "Meeting" ? "delete sets the meeting INACTIVE (the API has no DELETE)" : "delete: one DELETE, object gone", async () => {
    stack.em.requests.reset();
    const run = await runProgram(() => void new (sdk().App)("app", { name: appName }), { host: stack.host, state });
    expect(ops(run.steps)).toEqual({ app: "same", obj: "delete" });
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

/** The same value with the keys of every object, at every depth, in reverse order. */
function reorderKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reorderKeys) as T;
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorderKeys(x)])) as T;
}

describe("the diff ignores order and what the program did not set", () => {
  const events = ["meeting.started", "meeting.ended", "recording.statusUpdate"];
  const keywords = ["RealtimeKit", "Pulumi", "standup"];
  const program = (shuffle: boolean) => () => {
    const rtk = sdk();
    const app = new rtk.App("app", { name: "order-insensitive" });
    const hook = { ...webhookArgs("ordered"), events: shuffle ? [...events].reverse() : events };
    const meeting = meetingArgs("ordered");
    meeting.aiConfig.transcription.keywords = shuffle ? [...keywords].reverse() : keywords;
    const args = (a: object) => (shuffle ? reorderKeys(a) : a);
    new rtk.Webhook("w", args({ appId: app.id, ...hook }) as never);
    new rtk.Preset("p", args({ appId: app.id, ...presetArgs("ordered") }) as never);
    new rtk.Meeting("m", args({ appId: app.id, ...meeting }) as never);
  };

  it("events reversed and nested keys reordered: every step is the same, with 0 HTTP calls; reordered out of band: no drift", async () => {
    const first = await runProgram(program(false), { host: stack.host });
    stack.em.requests.reset();
    const again = await runProgram(program(true), { host: stack.host, state: first.state });
    expect(ops(again.steps)).toEqual({ app: "same", w: "same", p: "same", m: "same" });
    expect(stack.em.requests.total()).toBe(0);

    // Behind the API's back: the same lists in another order.
    const appId = byName(first.state, "app").id;
    stack.em.store.patch(stack.account, "webhooks", appId, byName(first.state, "w").id, { events: [...events].reverse() as never });
    stack.em.store.patch(stack.account, "meetings", appId, byName(first.state, "m").id, {
      ai_config: { transcription: { keywords: [...keywords].reverse() } },
    });
    const inputsBefore = structuredClone(Object.values(again.state).map((r) => r.inputs));
    const results = await refresh(again.state, stack.host);
    expect(results.map((r) => [r.name, r.changed, r.dropped])).toEqual(expect.arrayContaining([["w", false, false], ["m", false, false], ["p", false, false]]));
    expect(Object.values(again.state).map((r) => r.inputs)).toEqual(inputsBefore);
    expect(byName(again.state, "w").outputs.events).toEqual([...events].reverse()); // the live order, kept in the outputs
    stack.em.requests.reset();
    const after = await runProgram(program(false), { host: stack.host, state: again.state });
    expect(new Set(Object.values(ops(after.steps)))).toEqual(new Set(["same"]));
    expect(stack.em.requests.total()).toBe(0);
  });
});

describe("moving a resource to another app", () => {
  it("replaces the Preset, Meeting and Webhook: each now lives in app B, and is gone from app A (a meeting INACTIVE)", async () => {
    const program = (home: "a" | "b") => () => {
      const rtk = sdk();
      const apps = { a: new rtk.App("a", { name: "move-from" }), b: new rtk.App("b", { name: "move-to" }) };
      const appId = apps[home].id;
      new rtk.Preset("p", { appId, ...presetArgs("moving") } as never);
      new rtk.Meeting("m", { appId, ...meetingArgs("moving") } as never);
      new rtk.Webhook("w", { appId, ...webhookArgs("moving") } as never);
    };
    const first = await runProgram(program("a"), { host: stack.host });
    const [a, b] = [byName(first.state, "a").id, byName(first.state, "b").id];
    const before = { p: byName(first.state, "p").id, m: byName(first.state, "m").id, w: byName(first.state, "w").id };

    stack.em.requests.reset();
    const moved = await runProgram(program("b"), { host: stack.host, state: first.state });
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

describe("Pulumi's own import option", () => {
  it("cannot work for dynamic resources: the engine's import Read carries no __provider, so importId is needed", async () => {
    // On `import`, the engine sends Read with the id and empty properties (pulumi/pulumi#3550, #16175).
    const read = stack.host.read("some-id", "urn:pulumi:test::test::pulumi-nodejs:dynamic/realtimekit:Preset::p", {});
    await expect(read).rejects.toThrow("code must be a string, not undefined"); // require-from-string of a missing __provider
  });
});

describe("App lifecycle", () => {
  it("create, refresh; a new name fails the preview (never a replace); delete only drops it from the stack with a warning", async () => {
    stack.em.requests.reset();
    let run = await runProgram(() => void new (sdk().App)("solo", { name: "solo-app" }), { host: stack.host });
    expect(ops(run.steps)).toEqual({ solo: "create" });
    expect(stack.em.requests.total()).toBe(1);
    const id = byName(run.state, "solo").id;
    expect(byName(run.state, "solo").outputs).toMatchObject({ name: "solo-app", createdAt: expect.any(String) });

    stack.em.requests.reset();
    expect(await refresh(run.state, stack.host)).toEqual([expect.objectContaining({ changed: false, dropped: false })]);
    expect(stack.em.requests.total()).toBe(2); // the app list's page, then an empty one

    // A replacement would leave the old app behind for good: the API can neither rename nor delete apps.
    stack.em.requests.reset();
    const renamed = await runProgram(() => void new (sdk().App)("solo", { name: "solo-app-2" }), { host: stack.host, state: run.state }).catch((e) => e);
    expect(renamed).toBeInstanceOf(ProgramError);
    // One line (the harness prefixes the property, as the engine does).
    const reason = (renamed as ProgramError).message.split("\n").find((l) => l.includes("cannot rename"));
    expect(reason).toMatch(/^name: name: RealtimeKit cannot rename apps .*"solo-app" cannot become "solo-app-2": keep the name "solo-app", or declare a new App resource .* on purpose/);
    expect((renamed as ProgramError).steps).toEqual([]);
    expect(stack.em.requests.total()).toBe(0);
    expect(stack.em.store.apps(stack.account).filter((a) => a.name.startsWith("solo-app"))).toEqual([expect.objectContaining({ id, name: "solo-app" })]);

    stack.em.requests.reset();
    run = await runProgram(() => undefined, { host: stack.host, state: run.state });
    expect(ops(run.steps)).toEqual({ solo: "delete" });
    expect(stack.em.requests.total()).toBe(0);
    await stack.host.waitFor((h) => /cannot delete apps/.test(h.stderr));
  });
});

describe("secrets", () => {
  it("write-only storage credentials are kept from inputs, secret outputs, and never drift", async () => {
    const program = () => {
      const rtk = sdk();
      const app = new rtk.App("app", { name: "secrets-app" });
      new rtk.Meeting("m", { appId: app.id, ...meetingArgs("secret meeting") } as never);
    };
    const run = await runProgram(program, { host: stack.host });
    const m = byName(run.state, "m") as EngineState[string] & { outputs: Record<string, any> };
    expect(m.secretOutputs).toContain("recordingConfig");
    expect(m.outputs.recordingConfig.storageConfig).toMatchObject({ accessKey: "AKIAEXAMPLE", secret: "s3cr3t-storage-key" });
    const liveMeeting = stack.em.store.get(stack.account, "meetings", m.outputs.appId, m.id)!;
    expect(liveMeeting.recording_config?.storage_config?.secret).toBe("s3cr3t-storage-key"); // it was sent
    const results = await refresh(run.state, stack.host);
    expect(results.every((r) => !r.changed)).toBe(true);
    const again = await runProgram(program, { host: stack.host, state: run.state });
    expect(again.steps.every((s) => s.op === "same")).toBe(true);
  });

  it("the API token appears in no __provider, state or host output; the stub is small and holds no code of ours", async () => {
    const run = await runProgram(
      () => {
        const rtk = sdk();
        const app = new rtk.App("app", { name: "token-app" });
        new rtk.Preset("p", { appId: app.id, ...presetArgs() } as never);
        new rtk.Webhook("w", { appId: app.id, ...webhookArgs() } as never);
        new rtk.Meeting("m", { appId: app.id, ...meetingArgs() } as never);
      },
      { host: stack.host },
    );
    const text = JSON.stringify(run.state);
    expect(text).not.toContain(stack.token);
    expect(stack.host.stderr + stack.host.stdout).not.toContain(stack.token);
    for (const r of Object.values(run.state)) {
      const stub = r.inputs.__provider as string;
      expect(Buffer.byteLength(stub)).toBeLessThan(4096);
      expect(stub).toContain('require("pulumi-realtimekit/provider")');
      expect(stub).not.toMatch(/zod|ofetch|Bearer/);
    }
  });
});
