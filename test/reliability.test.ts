// Reliability through the real dynamic-provider host against the emulator with
// faults injected: 200 resources applied with nothing failed, lost or created
// twice; refresh that only drops what is definitely gone; both outcomes of a
// create whose answer was lost; an update interrupted halfway; and fuzzed
// preset arguments that must fail `check`, never throw, never reach the API.
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProgramError, refresh, runProgram, startHost, urn, type EngineState, type RunResult } from "./harness";
import { standardFaults } from "./fixtures/faults";
import { meetingArgs, presetArgs, webhookArgs } from "./fixtures/args";
import { byName, GROUP, kindOf, liveOf, type Group, type KindName } from "./support/live";
import { startProxy, type Arrival } from "./support/proxy";
import { loseAnswerOfPost, onRequest } from "./support/requests";
import { nodeRequire, root, sdk, startStack, type Stack } from "./support/stack";

// The compiled schemas, the same the provider in the host uses.
const schema = nodeRequire(path.join(root, "dist/provider/schema")) as typeof import("../provider/schema");
const presets = nodeRequire(path.join(root, "dist/provider/presets")) as typeof import("../provider/presets");

const FAULTS = standardFaults(1337);

const OUTPUT = { App: schema.App, Preset: schema.Preset, Meeting: schema.Meeting, Webhook: schema.Webhook };

const ops = (run: RunResult) => run.steps.map((s) => s.op);

/** What the state's outputs must be for a live (stored, snake_case) object: the API's fields in camelCase, plus appId and the account. */
function expectedOutputs(kind: KindName, record: Record<string, unknown>, appId: string | undefined, accountId: string) {
  const shape = Object.keys(OUTPUT[kind].shape);
  const fields = Object.fromEntries(Object.entries(record).filter(([k]) => shape.includes(k) && k !== "id"));
  const outs = schema.convertKeys(OUTPUT[kind], fields, "camel") as Record<string, unknown>;
  return kind === "App" ? { ...outs, accountId } : { ...outs, appId, accountId };
}

/** Every state entry is a live object whose fields are exactly its outputs. */
function expectStateEqualsLive(stack: Stack, state: EngineState) {
  for (const r of Object.values(state)) {
    const live = liveOf(stack, r) as Record<string, unknown> | undefined;
    expect(live, `${r.name} is live`).toBeDefined();
    const { __provider: _p, ...outputs } = r.outputs;
    expect(outputs, `${r.name}: state equals the live object`).toEqual(expectedOutputs(kindOf(r), live!, r.outputs.appId as string, stack.account));
  }
}

// ---------------------------------------------------------------------------

// The 200 resources of the faulted applies: two apps, each with 34 presets, 33 webhooks and 33 meetings.
const APPS = ["rel-a", "rel-b"];
const PER_APP = { presets: 34, webhooks: 33, meetings: 33 };
const presetName = (app: string, i: number) => `${app}-preset-${i}`;
const hookName = (app: string, i: number) => `${app}-hook-${i}`;
const title = (app: string, i: number) => `${app} meeting ${i}`;
const range = (n: number) => [...Array(n).keys()];

const program = () => {
  const rtk = sdk();
  for (const name of APPS) {
    const app = new rtk.App(name, { name });
    for (const i of range(PER_APP.presets)) new rtk.Preset(presetName(name, i), { appId: app.id, ...presetArgs(presetName(name, i)) } as never);
    for (const i of range(PER_APP.webhooks)) new rtk.Webhook(hookName(name, i), { appId: app.id, ...webhookArgs(hookName(name, i)) } as never);
    for (const i of range(PER_APP.meetings)) new rtk.Meeting(`${name}-meeting-${i}`, { appId: app.id, ...meetingArgs(title(name, i)) } as never);
  }
};

/** Each declared object exists exactly once, and every live object is in the state. */
function expectExactlyOnce(stack: Stack, state: EngineState) {
  const { em, account } = stack;
  const apps = em.store.apps(account).filter((a) => APPS.includes(a.name));
  expect(apps.map((a) => a.name).sort()).toEqual(APPS);
  const inState = new Set(Object.values(state).map((r) => r.id));
  for (const app of apps) {
    const live = {
      presets: em.store.list(account, "presets", app.id).map((p) => p.name),
      webhooks: em.store.list(account, "webhooks", app.id).map((w) => w.name),
      meetings: em.store.list(account, "meetings", app.id).map((m) => m.title ?? ""),
    };
    expect(live.presets.sort()).toEqual(range(PER_APP.presets).map((i) => presetName(app.name, i)).sort());
    expect(live.webhooks.sort()).toEqual(range(PER_APP.webhooks).map((i) => hookName(app.name, i)).sort());
    expect(live.meetings.sort()).toEqual(range(PER_APP.meetings).map((i) => title(app.name, i)).sort());
    // No orphan: every live object belongs to a resource of the stack.
    for (const group of ["presets", "webhooks", "meetings"] as const) {
      for (const o of em.store.list(account, group, app.id)) expect(inState.has(o.id), `${group} ${o.id} is in the state`).toBe(true);
    }
  }
  expect(Object.keys(state)).toHaveLength(202);
}

describe("200 resources applied through the host under faults", () => {
  let stack: Stack;
  let state: EngineState;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("creates every resource exactly once, fails nothing, and the state equals the live objects", async () => {
    stack.em.setFaults(FAULTS);
    stack.em.requests.reset();
    const run = await runProgram(program, { host: stack.host });
    state = run.state;
    expect(ops(run).filter((op) => op !== "create")).toEqual([]);
    expect(run.steps).toHaveLength(202);
    // The faults did happen: more requests than one per resource.
    const posts = stack.em.requests.count("POST", "/apps") + (["presets", "webhooks", "meetings"] as const).reduce((n, g) => n + stack.em.requests.count("POST", `/:app/${g}`), 0);
    expect(posts).toBeGreaterThan(202);
    // And some creates lost their answer: the provider looked them up (GET of a collection) before sending again.
    const lookups = (["presets", "webhooks", "meetings"] as const).reduce((n, g) => n + stack.em.requests.count("GET", `/:app/${g}`), 0);
    expect(lookups).toBeGreaterThan(0);
    expectExactlyOnce(stack, state);
    expectStateEqualsLive(stack, state);
  });

  it("the same program again is all `same`, with no request even under faults", async () => {
    stack.em.requests.reset();
    const run = await runProgram(program, { host: stack.host, state });
    expect(new Set(ops(run))).toEqual(new Set(["same"]));
    expect(stack.em.requests.total()).toBe(0);
  });

  it("refresh under faults drops only what a definite 404 says is gone; up re-creates exactly that", async () => {
    const gone = [byName(state, "rel-a-preset-3"), byName(state, "rel-b-hook-7"), byName(state, "rel-a-meeting-5")];
    // A meeting cannot be deleted over the API, but may vanish all the same.
    for (const r of gone) stack.em.store.remove(stack.account, GROUP[kindOf(r) as "Preset"], r.outputs.appId as string, r.id);
    stack.em.setFaults({ ...FAULTS, seed: 7 });
    const results = await refresh(state, stack.host);
    expect(results.filter((r) => r.dropped).map((r) => r.name).sort()).toEqual(gone.map((r) => r.name).sort());
    expect(results.filter((r) => r.changed && !r.dropped)).toEqual([]);
    expect(Object.keys(state)).toHaveLength(202 - gone.length);

    stack.em.setFaults({ ...FAULTS, seed: 8 });
    const run = await runProgram(program, { host: stack.host, state });
    state = run.state;
    expect(run.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`).sort()).toEqual(gone.map((r) => `create ${r.name}`).sort());
    expectExactlyOnce(stack, state);
    expectStateEqualsLive(stack, state);
  });

  // ------------------------------------------------------------- fuzzing

  describe("fuzzed preset arguments", () => {
    const PRESET_URN = urn("pulumi-nodejs:dynamic/realtimekit:Preset", "fuzzed");
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const KEYS = ["name", "role", "config", "ui", "permissions", "media", "video", "viewType", "__proto__", "constructor", "toString", "", "1000", "snake_case", "appId"];

    type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
    const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 }));
    const leaf = fc.oneof(
      fc.constantFrom<Json>(null, true, false, 0, -1, 30, 31, 2.5, 1e308, -0, "", "hd", "GROUP_CALL", "#fff", "webinarViewer", UNKNOWN),
      fc.double() as fc.Arbitrary<Json>,
      fc.integer() as fc.Arbitrary<Json>,
      fc.string({ maxLength: 8 }) as fc.Arbitrary<Json>,
    );
    const value: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
      v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(key, tie("v"), { maxKeys: 3 })),
    })).v;

    /** Every path to a value in a valid preset's arguments. */
    const paths: string[][] = [];
    const walk = (v: unknown, at: string[]) => {
      if (at.length) paths.push(at);
      if (v && typeof v === "object" && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
    };
    walk(presetArgs("fuzzed"), []);

    type Edit = { path: string[]; op: "delete" | "set" | "add"; key: string; value: Json };
    const edit: fc.Arbitrary<Edit> = fc.record({
      path: fc.constantFrom(...paths),
      op: fc.constantFrom("delete", "set", "add"),
      key,
      value,
    }) as fc.Arbitrary<Edit>;

    function apply(edits: Edit[]): Record<string, unknown> {
      const args = structuredClone(presetArgs("fuzzed")) as Record<string, any>;
      for (const e of edits) {
        let parent: any = args;
        for (const k of e.path.slice(0, -1)) {
          if (!parent || typeof parent !== "object") break;
          parent = parent[k];
        }
        if (!parent || typeof parent !== "object" || Array.isArray(parent)) continue;
        const last = e.path.at(-1)!;
        if (e.op === "delete") delete parent[last];
        else if (e.op === "set") parent[last] = e.value;
        else if (parent[last] && typeof parent[last] === "object" && !Array.isArray(parent[last])) {
          Object.defineProperty(parent[last], e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
        }
      }
      return args;
    }

    const argSets = fc.oneof(
      // A valid preset with a few fields removed, replaced or added.
      { weight: 4, arbitrary: fc.array(edit, { minLength: 1, maxLength: 4 }).map(apply) },
      // Arguments of the right names with values of any shape.
      { weight: 1, arbitrary: fc.record({ name: value, config: value, ui: value, permissions: value }, { requiredKeys: [] }) },
      // Anything at all.
      { weight: 1, arbitrary: fc.dictionary(key, value, { maxKeys: 5 }) },
    );

    const hasUnknown = (v: unknown): boolean =>
      v === UNKNOWN || (!!v && typeof v === "object" && Object.values(v).some(hasUnknown));
    /** What the host will see: the gRPC Struct decoder gives `__proto__` no own key. */
    const asSent = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === "__proto__" ? undefined : x)));

    it("never throws, names a property in every failure, rejects every invalid set, and sends nothing", async () => {
      const provider = Object.values(state).find((r) => kindOf(r) === "Preset")!.inputs.__provider as string;
      stack.em.setFaults({});
      stack.em.requests.reset();
      let failed = 0;
      await fc.assert(
        fc.asyncProperty(argSets, async (args) => {
          const news = { ...args, appId: "app-1", __provider: provider };
          const { failures } = await stack.host.check(PRESET_URN, {}, news); // a throw fails the property
          for (const f of failures) {
            expect(f.property).toMatch(/\S/);
            expect(f.reason.startsWith(`${f.property}: `)).toBe(true);
          }
          const sent = asSent(news) as Record<string, unknown>;
          const { appId: _a, __provider: _p, ...apiArgs } = sent;
          // Valid: the arguments (a role, sections in any part), and the preset they make over the role's template.
          const validArgs = schema.PresetArguments.safeParse(schema.convertKeys(schema.PresetArguments, apiArgs, "snake")).success;
          const { role: _r, ...desired } = validArgs ? presets.withDefaults(apiArgs) : {};
          const valid = validArgs && schema.PresetCreate.safeParse(schema.convertKeys(schema.PresetCreate, desired, "snake")).success;
          // Unknown values are only judged once known; everything else invalid must fail here, not at the API.
          if (!valid && !hasUnknown(sent)) expect(failures.length).toBeGreaterThan(0);
          if (failures.length) failed++;
        }),
        { seed: 4242, numRuns: 300 },
      );
      // Most sets are invalid (not all: a deleted field is no error, the role's template gives it).
      expect(failed).toBeGreaterThan(200);
      expect(stack.em.requests.total()).toBe(0);
    });
  });
});

// ---------------------------------------------------------------------------

describe("200 resources under --consistency-lag 2000 and the standard faults", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ emulator: { consistencyLagMs: 2000 } });
  });
  afterAll(() => stack?.close());

  it("adopts every lost create, though lists show it only 2 s later: 0 duplicates, 0 failures (figures printed)", async () => {
    stack.em.setFaults(standardFaults(2025));
    stack.em.requests.reset();
    const started = Date.now();
    const run = await runProgram(program, { host: stack.host }).catch((e: unknown) => e as ProgramError);
    const seconds = (Date.now() - started) / 1000;
    const groups = ["presets", "webhooks", "meetings"] as const;
    const posts = stack.em.requests.count("POST", "/apps") + groups.reduce((n, g) => n + stack.em.requests.count("POST", `/:app/${g}`), 0);
    const lookups = stack.em.requests.count("GET", "/apps") + groups.reduce((n, g) => n + stack.em.requests.count("GET", `/:app/${g}`), 0);
    const apps = stack.em.store.apps(stack.account);
    const live = apps.length + apps.reduce((n, a) => n + groups.reduce((m, g) => m + stack.em.store.list(stack.account, g, a.id).length, 0), 0);
    const failures = run instanceof ProgramError ? 202 - run.steps.length : 0;
    console.log(JSON.stringify({ consistencyLagMs: 2000, resources: 202, failures, duplicates: live - 202, posts, lookups, seconds }));

    expect(run).not.toBeInstanceOf(ProgramError);
    const { state, steps } = run as Exclude<typeof run, ProgramError>;
    expect(steps.filter((s) => s.op !== "create")).toEqual([]);
    expect(steps).toHaveLength(202);
    // Answers were lost (more POSTs than objects) and looked for in lists that lag.
    expect(posts).toBeGreaterThan(202);
    expect(lookups).toBeGreaterThan(0);
    expectExactlyOnce(stack, state);
    expectStateEqualsLive(stack, state);
  });
});

describe("a create whose answer is lost", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  interface Case {
    kind: KindName;
    group?: Group;
    /** The collection route the lookup lists. */
    route: string;
    args: (n: string) => Record<string, unknown>;
    count: (appId: string, n: string) => number;
  }
  const countIn = (group: Group, field: "name" | "title") => (appId: string, n: string) =>
    stack.em.store.list(stack.account, group, appId).filter((o) => (o as unknown as Record<string, unknown>)[field] === n).length;
  const cases: Case[] = [
    { kind: "App", route: "/apps", args: (n) => ({ name: n }), count: (_a, n) => stack.em.store.apps(stack.account).filter((a) => a.name === n).length },
    { kind: "Preset", group: "presets", route: "/:app/presets", args: presetArgs, count: countIn("presets", "name") },
    { kind: "Webhook", group: "webhooks", route: "/:app/webhooks", args: webhookArgs, count: countIn("webhooks", "name") },
    { kind: "Meeting", group: "meetings", route: "/:app/meetings", args: meetingArgs, count: countIn("meetings", "title") },
  ];

  let appId: string;
  let seq = 0;
  beforeAll(async () => {
    const run = await runProgram(() => void new (sdk().App)("home", { name: "lost-creates" }), { host: stack.host });
    appId = Object.values(run.state)[0].id;
  });

  /** One resource of `kind` named `n`, in its own program (the app is adopted, not created). */
  const create = (kind: KindName, n: string, args: Record<string, unknown>) =>
    runProgram(() => {
      const rtk = sdk();
      if (kind === "App") return void new rtk.App(n, args as never);
      new rtk[kind](n, { appId, ...args } as never);
    }, { host: stack.host });

  describe.each(cases)("$kind", ({ kind, route, args, count }) => {
    const post = () => stack.em.requests.count("POST", route);

    it("committed, then the connection dropped: found by the lookup and adopted, not created again", async () => {
      const n = `committed-${kind.toLowerCase()}-${++seq}`;
      stack.em.requests.reset();
      const restore = loseAnswerOfPost(stack.em, { dropAfterCommitRate: 1 }, route);
      const run = await create(kind, n, args(n)).finally(restore);
      expect(post()).toBe(1);
      expect(count(appId, n)).toBe(1);
      expect(stack.em.requests.count("GET", route)).toBeGreaterThanOrEqual(1); // the lookup
      // It was made from these arguments, write-only values (a meeting's storage credentials) included: nothing is sent again.
      expect(stack.em.requests.count("PATCH", "/:id")).toBe(0);
      expectStateEqualsLive(stack, run.state);
    });

    it("dropped before the server did anything: not found by the lookup, so sent again exactly once", async () => {
      const n = `dropped-${kind.toLowerCase()}-${++seq}`;
      stack.em.requests.reset();
      const restore = loseAnswerOfPost(stack.em, { dropBeforeCommitRate: 1 }, route);
      const run = await create(kind, n, args(n)).finally(restore);
      expect(post()).toBe(2);
      expect(count(appId, n)).toBe(1);
      expect(stack.em.requests.count("PATCH", "/:id")).toBe(0);
      expectStateEqualsLive(stack, run.state);
    });
  });

  it("a meeting's lost create never takes another resource's meeting of the same title", async () => {
    const same = "Same title";
    stack.em.requests.reset();
    // twin-1 is created; then twin-2's POST is cut off before it is done, and the lookup sees twin-1's meeting.
    const restore = loseAnswerOfPost(stack.em, { dropBeforeCommitRate: 1 }, "/:app/meetings", 2);
    const run = await runProgram(() => {
      const rtk = sdk();
      const first = new rtk.Meeting("twin-1", { appId, ...meetingArgs(same) } as never);
      new rtk.Meeting("twin-2", { appId, ...meetingArgs(same) } as never, { dependsOn: [first] });
    }, { host: stack.host }).finally(restore);
    expect(stack.em.requests.count("POST", "/:app/meetings")).toBe(3);
    const ids = Object.values(run.state).map((r) => r.id);
    expect(new Set(ids).size).toBe(2);
    const live = stack.em.store.list(stack.account, "meetings", appId).filter((m) => m.title === same);
    expect(live.map((m) => m.id).sort()).toEqual(ids.sort());
    expectStateEqualsLive(stack, run.state);
  });
});

describe("a lost create never adopts an older object of the same name", () => {
  it("re-sends instead, and the API's 409 says the name is taken", async () => {
    // The emulator starts from a state file: an app with a preset "taken", made an hour ago.
    const statePath = path.join(mkdtempSync(path.join(tmpdir(), "rtk-reliability-")), "state.json");
    const account = "old-account";
    const appId = "old-app";
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const fields = schema.convertKeys(schema.PresetCreate, presetArgs("taken"), "snake") as object;
    const preset = { ...fields, id: "0e5c3a8e-1111-4aaa-8bbb-000000000001", created_at: hourAgo, updated_at: hourAgo };
    const app = { app: { id: appId, name: "old", created_at: hourAgo }, presets: { [preset.id]: preset }, meetings: {}, webhooks: {} };
    writeFileSync(statePath, JSON.stringify({ version: 1, accounts: { [account]: { [appId]: app } } }));

    const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../emulator");
    const em = await startEmulator({ token: "old-token", statePath });
    const host = await startHost({ cwd: root, config: { "realtimekit:accountId": account, "realtimekit:apiToken": "old-token", "realtimekit:baseUrl": em.url } });
    const restore = loseAnswerOfPost(em, { dropBeforeCommitRate: 1 }, "/:app/presets");
    try {
      const run = runProgram(() => void new (sdk().Preset)("mine", { appId, ...presetArgs("taken") } as never), { host });
      await expect(run).rejects.toThrow(/409.*"taken" already exists/);
      expect(em.requests.count("POST", "/:app/presets")).toBe(2);
      expect(em.requests.count("PATCH", "/:id")).toBe(0);
      expect(em.store.list(account, "presets", appId)).toEqual([preset]);
    } finally {
      restore();
      await Promise.all([host.stop(), em.close()]);
    }
  });
});

// ---------------------------------------------------------------------------

describe("an update interrupted halfway", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  const N = 8;
  /** N presets, each registered after the one before, so their updates go one at a time. */
  const program = (screens: number) => () => {
    const rtk = sdk();
    const app = new rtk.App("app", { name: "interrupted" });
    let prev: unknown;
    for (let i = 0; i < N; i++) {
      const args = presetArgs(`step-${i}`);
      args.config.maxScreenshareCount = screens;
      prev = new rtk.Preset(`step-${i}`, { appId: app.id, ...args } as never, prev ? { dependsOn: [prev as never] } : {});
    }
  };

  it("converges on the next up: the updates done stay, the lost one and the rest are made", async () => {
    const first = await runProgram(program(1), { host: stack.host });
    const live = () => stack.em.store.list(stack.account, "presets", Object.values(first.state).find((r) => r.name === "app")!.id);

    // The 5th PATCH is committed but its answer is lost, and so are those of its retries: the run fails there.
    stack.em.requests.reset();
    let patches = 0;
    const restore = onRequest(stack.em, (method) => {
      if (method === "PATCH" && ++patches === 5) stack.em.setFaults({ dropAfterCommitRate: 1 });
    });
    const error = await runProgram(program(3), { host: stack.host, state: first.state }).then(() => undefined, (e: unknown) => e).finally(restore);
    expect(error).toBeInstanceOf(ProgramError);
    const partial = (error as ProgramError).state;
    const updated = (error as ProgramError).steps.filter((s) => s.op === "update").map((s) => s.name);
    expect(updated).toEqual(["step-0", "step-1", "step-2", "step-3"]);
    // Live: the first five changed (the fifth without the state knowing), the rest not.
    const screens = Object.fromEntries(live().map((p) => [p.name, p.config.max_screenshare_count]));
    expect(screens).toEqual(Object.fromEntries([...Array(N).keys()].map((i) => [`step-${i}`, i < 5 ? 3 : 1])));
    expect((Object.values(partial).find((r) => r.name === "step-4")!.outputs.config as { maxScreenshareCount: number }).maxScreenshareCount).toBe(1);

    stack.em.requests.reset();
    const next = await runProgram(program(3), { host: stack.host, state: partial });
    expect(next.steps.filter((s) => s.op === "update").map((s) => s.name)).toEqual(["step-4", "step-5", "step-6", "step-7"]);
    expect(stack.em.requests.count("PATCH", "/:app/presets/:id")).toBe(4);
    expect(stack.em.requests.total()).toBe(4);
    expect(live().every((p) => p.config.max_screenshare_count === 3)).toBe(true);
    expectStateEqualsLive(stack, next.state);
    const again = await runProgram(program(3), { host: stack.host, state: next.state });
    expect(new Set(ops(again))).toEqual(new Set(["same"]));
  });
});

// ---------------------------------------------------------------------------

describe("rate limits", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("a 429's Retry-After holds back every request of the provider, not just the one answered 429", async () => {
    const RETRY_AFTER_MS = 3_000;
    // Clock granularity only: the provider learns of the 429 after it went out,
    // so on the server's clock nothing it sends afterwards can arrive sooner.
    const MARGIN_MS = 50;
    const posted = (a: Arrival) => (a.method === "POST" ? (JSON.parse(a.body) as { name?: string }).name : undefined);
    let limitedAt = 0;
    let limited!: () => void;
    const answered429 = new Promise<void>((resolve) => (limited = resolve));
    const proxy = await startProxy(stack.em.url, async (a, res) => {
      if (posted(a) === "held" && !limitedAt) {
        limitedAt = Date.now(); // before the answer leaves: the provider cannot have it sooner
        res.writeHead(429, { "content-type": "application/json", "retry-after": String(RETRY_AFTER_MS / 1000) });
        res.end(JSON.stringify({ success: false, error: { code: 429, message: "Too many requests" } }));
        limited();
        return true;
      }
      // The gate is answered only after the 429 went out: whatever the provider
      // sends after the gate's answer (its read-back, the presets waiting on it)
      // is ready within Retry-After, and must be held back until it is over.
      if (posted(a) === "gate") await answered429.then(() => sleep(500));
      return false;
    });
    const host = await startHost({
      cwd: root,
      config: {
        // An account of its own: no other test's requests or pauses carry over.
        "realtimekit:accountId": `${stack.account}-retry-after`,
        "realtimekit:apiToken": stack.token,
        "realtimekit:baseUrl": proxy.url,
      },
    });
    try {
      const run = await runProgram(() => {
        const rtk = sdk();
        const app = new rtk.App("app", { name: "paced" });
        new rtk.Preset("held", { appId: app.id, ...presetArgs("held") } as never);
        const gate = new rtk.Preset("gate", { appId: app.id, ...presetArgs("gate") } as never);
        for (let i = 0; i < 4; i++) new rtk.Preset(`after-${i}`, { appId: app.id, ...presetArgs(`after-${i}`) } as never, { dependsOn: [gate] });
      }, { host });
      expect(run.steps.filter((s) => s.op === "create")).toHaveLength(7);
      expect(limitedAt).toBeGreaterThan(0);
      const names = proxy.arrivals.map(posted).filter((n) => n !== undefined);
      // Each create POSTed once, and "held" once more after its 429: nothing lost or sent twice.
      expect(names.sort()).toEqual(["after-0", "after-1", "after-2", "after-3", "gate", "held", "held", "paced"]);
      // Only the gate's POST may have been on its way when the 429 went out; every
      // other request after it arrived once Retry-After was over.
      const held = proxy.arrivals.filter((a) => a.at > limitedAt && posted(a) !== "gate");
      expect(held.length).toBeGreaterThanOrEqual(5); // the retry and the four presets, at least
      const early = held.filter((a) => a.at < limitedAt + RETRY_AFTER_MS - MARGIN_MS);
      expect(early.map((a) => `${a.method} ${a.url} at +${a.at - limitedAt} ms`), "requests within Retry-After of the 429").toEqual([]);
    } finally {
      await host.stop();
      await proxy.close();
    }
  });

  it("realtimekit:rateLimit sets the requests per five minutes the provider sends with the token; a bad value is named", async () => {
    const config = (rateLimit: string) => ({
      // An account of its own: the one above was busy within the last five minutes, and
      // the pacer of a new process starts from the account's recent requests.
      "realtimekit:accountId": `${stack.account}-three`,
      "realtimekit:apiToken": stack.token,
      "realtimekit:baseUrl": stack.em.url,
      "realtimekit:rateLimit": rateLimit,
    });
    const bad = await startHost({ cwd: root, config: config("lots") });
    try {
      const run = runProgram(() => void new (sdk().App)("a", { name: "bad-limit" }), { host: bad });
      await expect(run).rejects.toThrow('realtimekit:rateLimit (or REALTIMEKIT_RATE_LIMIT) must be a whole number of requests per five minutes (0: no pacing), got "lots"');
    } finally {
      await bad.stop();
    }
    // Three requests per five minutes: the fourth waits for the window to move on.
    const slow = await startHost({ cwd: root, config: config("3") });
    try {
      const arrivals: number[] = [];
      const restore = onRequest(stack.em, () => arrivals.push(Date.now()));
      const run = runProgram(() => {
        const rtk = sdk();
        const app = new rtk.App("app", { name: "three-per-five-minutes" });
        for (let i = 0; i < 3; i++) new rtk.Webhook(`w${i}`, { appId: app.id, ...webhookArgs(`w${i}`) } as never);
      }, { host: slow });
      // The first three go out at once (however long a busy machine takes to start the host) ...
      for (const deadline = Date.now() + 8000; arrivals.length < 3 && Date.now() < deadline; ) await sleep(50);
      expect(arrivals).toHaveLength(3);
      // ... and the fourth is still held back two seconds later.
      await sleep(2000);
      expect(arrivals).toHaveLength(3);
      await slow.stop(); // no need to wait out the window: the point is made
      await run.catch(() => undefined);
      restore();
    } finally {
      await slow.stop();
    }
  });
});
