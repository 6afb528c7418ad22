// The acceptance suite, as mature providers run it against the real API
// (Terraform's TF_ACC): for every kind, through the real dynamic-provider host,
// create, the same program again (no changes), refresh without drift, a change
// made out of band through the API seen and reverted, adoption through
// importId, an update, and delete. `npm run test:live` runs it against a
// RealtimeKit account; `npm test` runs it against the emulator.
//
// What it leaves on an account: apps cannot be deleted, so every run uses one
// app, found by its fixed name (the first run makes it). Presets and webhooks
// are deleted; meetings cannot be, so they are left INACTIVE. Everything else
// is named with a prefix, and the cleanup also retires what an interrupted run left.
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refresh, runProgram, sameJson, startHost, type EngineState, type Host } from "../harness";
import { presetArgs } from "../fixtures/args";
import { nodeRequire, root, sdk } from "../support/stack";

export interface Target {
  accountId: string;
  apiToken: string;
  /** Another endpoint than Cloudflare's, e.g. the emulator. */
  baseUrl?: string;
}

/** The one app every run uses (apps cannot be deleted). */
export const APP_NAME = "pulumi-realtimekit-acceptance";
/** The start of the name (or title) of everything else the suite makes. */
export const PREFIX = "pulumi-rtk-acceptance-";

type Client = InstanceType<typeof import("../../provider/client").RealtimeKit>;
type Outputs = Record<string, any>;

/** A change made out of band (through the API, as a dashboard user would), and how it shows in the outputs. */
interface Kind {
  kind: "Preset" | "Meeting" | "Webhook";
  args: (name: string) => Record<string, unknown>;
  /** An argument changed in place by `up`. */
  updated: (args: Record<string, unknown>) => Record<string, unknown>;
  changeOutOfBand: (api: Client, appId: string, id: string) => Promise<unknown>;
  /** The value the out-of-band change touches (outputs, camelCase); and what the program wants. */
  touched: (o: Outputs) => unknown;
  wanted: unknown;
  /** The object, read over the API (snake_case). */
  read: (api: Client, appId: string, id: string) => Promise<Outputs>;
  /** Its API schema, to read it in camelCase. */
  schema: "Preset" | "Meeting" | "Webhook";
  /** A change below the top level (webhooks have none: a list), made out of band. */
  nestedEdit: (api: Client, appId: string, id: string) => Promise<unknown>;
  /** The app's list, as a refresh reads it. */
  list: (api: Client, appId: string) => Promise<Outputs[]>;
}

/** A preset as a user writes one; plugin access empty (no plugin ids that an account may not have). */
const preset = (name: string) => {
  const args = presetArgs(name);
  return { ...args, permissions: { ...args.permissions, plugins: { ...args.permissions.plugins, config: {} } } };
};

const KINDS: Kind[] = [
  {
    kind: "Preset",
    args: preset,
    updated: (a: any) => ({ ...a, config: { ...a.config, media: { ...a.config.media, video: { frameRate: 24, quality: "vga" } } } }),
    changeOutOfBand: (api, appId, id) => api.presets.update(appId, id, { config: { max_screenshare_count: 3 } }),
    touched: (o) => o.config.maxScreenshareCount,
    wanted: 1,
    read: (api, appId, id) => api.presets.get(appId, id),
    schema: "Preset",
    nestedEdit: (api, appId, id) => api.presets.update(appId, id, { config: { media: { screenshare: { frame_rate: 7 } } } }),
    list: (api, appId) => provider().all(api.presets.list(appId, { search: PREFIX })),
  },
  {
    kind: "Webhook",
    args: (name) => ({ name, url: `https://example.com/${name}`, events: ["meeting.started", "meeting.ended"] }),
    updated: (a) => ({ ...a, events: ["meeting.started", "meeting.ended", "recording.statusUpdate"] }),
    changeOutOfBand: (api, appId, id) => api.webhooks.edit(appId, id, { events: ["meeting.ended"] }),
    touched: (o) => [...o.events].sort(),
    wanted: ["meeting.ended", "meeting.started"],
    read: (api, appId, id) => api.webhooks.get(appId, id),
    schema: "Webhook",
    nestedEdit: (api, appId, id) => api.webhooks.edit(appId, id, { events: ["meeting.started"] }),
    list: (api, appId) => api.webhooks.list(appId),
  },
  {
    kind: "Meeting",
    args: (title) => ({ title, recordOnStart: false, persistChat: true, sessionKeepAliveTimeInSecs: 120 }),
    updated: (a) => ({ ...a, sessionKeepAliveTimeInSecs: 300 }),
    changeOutOfBand: (api, appId, id) => api.meetings.update(appId, id, { record_on_start: true }),
    touched: (o) => o.recordOnStart,
    wanted: false,
    read: (api, appId, id) => api.meetings.get(appId, id),
    schema: "Meeting",
    nestedEdit: (api, appId, id) => api.meetings.update(appId, id, { ai_config: { transcription: { language: "de" } } }),
    list: (api, appId) => provider().all(api.meetings.list(appId, { search: PREFIX })),
  },
];

const provider = () => nodeRequire(path.join(root, "dist/provider")) as typeof import("../../provider");

/** How a refresh trusts the kind's list items (provider/snapshot.ts); undefined: it reads each object with a GET. */
const listingProof = (kind: Kind["kind"]): "whole" | "stamp" | undefined => {
  const module = kind.toLowerCase() as "preset" | "meeting" | "webhook";
  const table = nodeRequire(path.join(root, "dist/provider/resources", module)) as Record<string, import("../../provider/resource").Kind>;
  return table[module].listing?.proof;
};

/** An API object in camelCase, as outputs have it. */
const camel = (kind: Kind["schema"], o: Outputs): Outputs => provider().schema.convertKeys(provider().schema[kind], o, "camel") as Outputs;

const unique = () => `${PREFIX}${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
const byName = (state: EngineState, name: string) => Object.values(state).find((r) => r.name === name)!;
const ops = (run: { steps: { name: string; op: string }[] }) => Object.fromEntries(run.steps.map((s) => [s.name, s.op]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until it fails with a 404 (a deleted object may be readable for a moment): at most ~15 s. */
async function expectGone(read: () => Promise<unknown>): Promise<void> {
  for (let wait = 250; wait <= 8000; wait *= 2) {
    const e = await read().then(
      () => undefined,
      (err: { notFound?: boolean }) => err,
    );
    if (e) {
      expect(e.notFound).toBe(true);
      return;
    }
    await sleep(wait);
  }
  throw new Error("still there after ~15 s");
}

export function acceptanceSuite(target: () => Target): void {
  let host: Host;
  let api: Client;
  let appId: string;

  /** A program: the suite's app (adopted) and, if given, one resource of `kind`. */
  const program = (kind?: Kind["kind"], args?: Record<string, unknown>, importId?: string) => () => {
    const rtk = sdk();
    const app = new rtk.App("app", { name: APP_NAME, importId: appId });
    if (kind) new rtk[kind]("obj", { appId: app.id, ...args, ...(importId && { importId }) } as never);
  };

  beforeAll(async () => {
    const { accountId, apiToken, baseUrl } = target();
    const { RealtimeKit, all } = provider();
    api = new RealtimeKit({ accountId, apiToken, baseUrl });
    host = await startHost({
      cwd: root,
      config: { "realtimekit:accountId": accountId, "realtimekit:apiToken": apiToken, ...(baseUrl && { "realtimekit:baseUrl": baseUrl }) },
    });
    // The oldest app of the name, if an earlier run made it; else the provider makes it now.
    const apps = (await all(api.apps.list({ search: APP_NAME }))).filter((a) => a.name === APP_NAME);
    appId = apps.sort((a, b) => a.created_at.localeCompare(b.created_at))[0]?.id;
    if (!appId) {
      const run = await runProgram(() => void new (sdk().App)("app", { name: APP_NAME }), { host });
      appId = run.steps[0].id;
    }
  });

  afterAll(async () => {
    if (api && appId) await cleanUp(api, appId);
    await host?.stop();
  });

  describe("App", () => {
    it("the suite's app is adopted through importId: no changes after, no drift on refresh", async () => {
      const run = await runProgram(program(), { host });
      expect(run.steps).toEqual([expect.objectContaining({ op: "create", id: appId })]);
      expect(byName(run.state, "app").outputs).toMatchObject({ name: APP_NAME, createdAt: expect.any(String) });
      const again = await runProgram(program(), { host, state: run.state });
      expect(ops(again)).toEqual({ app: "same" });
      expect(await refresh(again.state, host)).toEqual([expect.objectContaining({ changed: false, dropped: false })]);
    });
  });

  // The program is the whole object: an argument left out is the API's default (docs/api-behaviour.md, "Defaults").
  // A default the live API does not give, or a field it fills that the provider does not know of, shows here as drift.
  describe("defaults: objects whose arguments leave out every optional field (a title or a name aside)", () => {
    const cases: [Kind["kind"], (name: string) => Record<string, unknown>][] = [
      ["Meeting", (name) => ({ title: name })],
      ["Meeting", (name) => ({ title: name, recordingConfig: { maxSeconds: 600, videoConfig: { width: 640 } }, aiConfig: { summarization: { wordLimit: 200 } } })],
      ["Webhook", (name) => ({ name, url: `https://example.com/${name}`, events: ["meeting.started"] })],
      ["Preset", (name) => ({ name })],
    ];
    it.each(cases)("a minimal %s shows no changes on its first refresh, and the next preview is the same", async (kind, args) => {
      const name = unique();
      const run = await runProgram(program(kind, args(name)), { host });
      try {
        expect((await refresh(run.state, host)).filter((r) => r.changed || r.dropped)).toEqual([]);
        expect(ops(await runProgram(program(kind, args(name)), { host, state: run.state, preview: true }))).toEqual({ app: "same", obj: "same" });
      } finally {
        await runProgram(program(), { host, state: run.state });
      }
    });
  });

  describe.each(KINDS)("$kind", (k) => {
    const name = unique();
    const args = k.args(name);
    let state: EngineState;
    let id: string;

    it("create", async () => {
      const run = await runProgram(program(k.kind, args), { host });
      expect(ops(run)).toEqual({ app: "create", obj: "create" });
      state = run.state;
      id = byName(state, "obj").id;
      expect(byName(state, "obj").outputs.appId).toBe(appId);
      expect((await k.read(api, appId, id)).id).toBe(id);
    });

    it("the same program again: no changes", async () => {
      const run = await runProgram(program(k.kind, args), { host, state });
      expect(ops(run)).toEqual({ app: "same", obj: "same" });
      state = run.state;
    });

    it("refresh right after: no drift", async () => {
      const results = await refresh(state, host);
      expect(results.filter((r) => r.changed || r.dropped)).toEqual([]);
    });

    it("a change made out of band through the API: refresh sees it, up reverts it", async () => {
      await k.changeOutOfBand(api, appId, id);
      const results = await refresh(state, host);
      expect(results.find((r) => r.name === "obj")).toMatchObject({ changed: true, dropped: false });
      expect(k.touched(byName(state, "obj").outputs)).not.toEqual(k.wanted);
      const run = await runProgram(program(k.kind, args), { host, state });
      expect(ops(run)).toEqual({ app: "same", obj: "update" });
      state = run.state;
      expect(k.touched(byName(state, "obj").outputs)).toEqual(k.wanted);
      expect(k.touched(camel(k.schema, await k.read(api, appId, id)))).toEqual(k.wanted);
    });

    it("adoption through importId (a stack that never made it): the same object, then no changes", async () => {
      const adopted = await runProgram(program(k.kind, args, `${appId}/${id}`), { host });
      expect(ops(adopted)).toEqual({ app: "create", obj: "create" });
      expect(byName(adopted.state, "obj").id).toBe(id);
      const again = await runProgram(program(k.kind, args, `${appId}/${id}`), { host, state: adopted.state });
      expect(ops(again)).toEqual({ app: "same", obj: "same" });
    });

    it("an update in place", async () => {
      const run = await runProgram(program(k.kind, k.updated(args)), { host, state });
      expect(ops(run)).toEqual({ app: "same", obj: "update" });
      state = run.state;
      expect(byName(state, "obj").id).toBe(id);
      const again = await runProgram(program(k.kind, k.updated(args)), { host, state });
      expect(ops(again)).toEqual({ app: "same", obj: "same" });
    });

    // A refresh trusts a list item as the kind's table says (`listing.proof` in
    // provider/resources/*.ts): as the whole object (webhooks), or as proof that
    // the object is unchanged when its updated_at equals the state's (meetings,
    // presets), which holds only if every edit, nested ones included, moves the
    // stamp and the list shows it. Where this fails on a real account, the kind's
    // `listing` is removed: it is then read with a GET, and this check is moot.
    it("an edit below the top level, made out of band, moves updated_at; the list shows what a refresh trusts", async () => {
      const proof = listingProof(k.kind);
      const fallBack = `so refresh must not trust the ${k.kind} list: remove \`listing\` from provider/resources/${k.kind.toLowerCase()}.ts`;
      const before = await k.read(api, appId, id);
      await k.nestedEdit(api, appId, id);
      const after = await k.read(api, appId, id);
      // A full object without a stamp (the reference's presets) leaves nothing in a state for a list item to equal.
      if (before.updated_at !== undefined || after.updated_at !== undefined) {
        expect(after.updated_at, `a nested edit left updated_at as it was, ${fallBack}`).not.toBe(before.updated_at);
      }
      // The list may lag behind for a moment (the API is not immediately consistent).
      const shows = (i: Outputs | undefined) =>
        !!i && (proof === "whole" ? sameJson(camel(k.schema, i), camel(k.schema, after)) : i.updated_at === undefined || i.updated_at === after.updated_at);
      let item: Outputs | undefined;
      for (let wait = 250; wait <= 4000 && !shows(item); wait *= 2) {
        item = (await k.list(api, appId)).find((i) => i.id === id);
        if (!shows(item)) await sleep(wait);
      }
      expect(item, `the object is missing from its list`).toBeDefined();
      if (proof === "whole") expect(camel(k.schema, item!), `the list item is not the whole object, ${fallBack}`).toEqual(camel(k.schema, after));
      // Slim items (the live API's presets) carry no stamp: each object is then read with a GET.
      else if (proof === "stamp" && item!.updated_at !== undefined) {
        expect(item!.updated_at, `the list shows another updated_at than the object, ${fallBack}`).toBe(after.updated_at);
      }
    });

    it(k.kind === "Meeting" ? "delete: the meeting is left INACTIVE (the API cannot delete meetings)" : "delete: gone", async () => {
      const run = await runProgram(program(), { host, state });
      expect(ops(run)).toEqual({ app: "same", obj: "delete" });
      if (k.kind === "Meeting") expect((await k.read(api, appId, id)).status).toBe("INACTIVE");
      else await expectGone(() => k.read(api, appId, id));
    });
  });
}

/** Deletes the suite's presets and webhooks, and sets its meetings INACTIVE, including what an interrupted run left. */
export async function cleanUp(api: Client, appId: string): Promise<void> {
  const { all } = provider();
  const ours = (name: string | null | undefined) => !!name?.startsWith(PREFIX);
  const gone = (e: { notFound?: boolean }) => {
    if (!e.notFound) throw e;
  };
  for (const p of await all(api.presets.list(appId, { search: PREFIX }))) if (ours(p.name)) await api.presets.delete(appId, p.id).catch(gone);
  for (const w of await api.webhooks.list(appId)) if (ours(w.name)) await api.webhooks.delete(appId, w.id).catch(gone);
  for (const m of await all(api.meetings.list(appId, { search: PREFIX, status: "ACTIVE" }))) {
    if (ours(m.title)) await api.meetings.update(appId, m.id, { status: "INACTIVE" });
  }
}
