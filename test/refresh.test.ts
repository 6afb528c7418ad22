// Refresh from list snapshots (provider/snapshot.ts), through the real
// dynamic-provider host against the emulator, with the HTTP calls counted on
// the emulator: reads that come together share one paginated list, an item
// proves its object unchanged only as its kind says (whole object, or an
// updated_at equal to the state's), and everything else is read with a GET,
// so no out-of-band change is missed, nested ones included.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram, startHost, urn, type EngineState, type Host } from "./harness";
import { meetingArgs, presetArgs, webhookArgs } from "./fixtures/args";
import { byName } from "./support/live";
import { nodeRequire, root, sdk } from "./support/stack";

const TOKEN = "refresh-token";
const ACCOUNT = "acct-refresh";
type Emulator = Awaited<ReturnType<typeof import("../emulator").startEmulator>>;

let em: Emulator;
let host: Host;
beforeAll(async () => {
  const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../emulator");
  // Neither side limits the rate: the point is the number of calls, and 1,000 creates at 250 per 10 s take 40 s.
  em = await startEmulator({ port: 0, token: TOKEN, requestLimit: false });
  host = await startHost({
    cwd: root,
    config: { "realtimekit:accountId": ACCOUNT, "realtimekit:apiToken": TOKEN, "realtimekit:baseUrl": em.url, "realtimekit:rateLimit": "1000000" },
  });
}, 60_000);
afterAll(async () => void (await Promise.all([host?.stop(), em?.close()])));

interface Refreshed {
  /** Names of the resources whose refresh reported drift (the provider's Diff of the read state against the inputs). */
  drifted: string[];
  /** Names of the resources the refresh dropped (read answered "gone"). */
  dropped: string[];
  /** HTTP calls the emulator received during the refresh. */
  calls: number;
}

/** `pulumi refresh` as the engine runs it: every resource read at once, then diffed against its inputs. */
async function refreshAll(state: EngineState, only: (name: string) => boolean): Promise<Refreshed> {
  const before = em.requests.total();
  const drifted: string[] = [];
  const dropped: string[] = [];
  await Promise.all(
    Object.entries(state)
      .filter(([, r]) => only(r.name))
      .map(async ([urn, r]) => {
        const read = await host.read(r.id, urn, r.outputs, r.inputs);
        if (!read.id) return void dropped.push(r.name);
        const diff = await host.diff(read.id, urn, read.props, r.inputs);
        if (diff.changes !== "none") drifted.push(r.name);
        state[urn] = { ...r, outputs: read.props };
      }),
  );
  return { drifted: drifted.sort(), dropped: dropped.sort(), calls: em.requests.total() - before };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const { IDLE_MS } = nodeRequire(path.join(root, "dist/provider/snapshot")) as typeof import("../provider/snapshot");

describe("refresh of 1,000 meetings", () => {
  const N = 1000;
  let state: EngineState;
  let appId: string;

  it("are created through the host", async () => {
    // The program makes the app and the first meeting; the engine's Check and Create for the others, 16 at once.
    const run = await runProgram(() => {
      const rtk = sdk();
      const app = new rtk.App("app", { name: "refresh-meetings" });
      new rtk.Meeting("m0", { appId: app.id, ...meetingArgs("m0") } as never);
    }, { host });
    state = run.state;
    appId = byName(state, "app").id;
    const first = byName(state, "m0");
    const type = first.type;
    let next = 1;
    const worker = async () => {
      for (let i = next++; i < N; i = next++) {
        const u = urn(type, `m${i}`);
        const { inputs } = await host.check(u, {}, { ...first.inputs, ...meetingArgs(`m${i}`) });
        const { id, outs } = await host.create(u, inputs);
        state[u] = { ...first, name: `m${i}`, id, inputs, outputs: outs };
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(em.store.list(ACCOUNT, "meetings", appId)).toHaveLength(N);
  }, 300_000);

  it("nothing changed: no drift, at most one HTTP call per 50 meetings", async () => {
    const { drifted, dropped, calls } = await refreshAll(state, (n) => n !== "app");
    expect({ drifted, dropped }).toEqual({ drifted: [], dropped: [] });
    expect(calls).toBeLessThanOrEqual(N / 50);
    // The list, page after page (100 a page), and not one GET of a meeting.
    expect(em.requests.count("GET", "/:app/meetings/:id")).toBe(0);
  }, 120_000);

  it("10 edits made out of band, spread among them and half in nested fields: each reported as drift, and nothing else", async () => {
    const edits: [number, object][] = [
      [7, { title: "renamed" }],
      [111, { ai_config: { transcription: { language: "de" } } }],
      [222, { recording_config: { max_seconds: 1800 } }],
      [333, { record_on_start: true }],
      [444, { recording_config: { video_config: { width: 640 } } }],
      [555, { session_keep_alive_time_in_secs: 300 }],
      [666, { ai_config: { summarization: { word_limit: 150 } } }],
      [777, { persist_chat: false }],
      [888, { recording_config: { audio_config: { channel: "mono" } } }],
      [999, { title: "retitled" }],
    ];
    for (const [i, change] of edits) em.store.patch(ACCOUNT, "meetings", appId, byName(state, `m${i}`).id, change as never);
    // As the next `pulumi refresh` comes: no sooner than the bound on a snapshot's idle time (or in a new host process).
    await sleep(IDLE_MS);
    em.requests.reset();
    const { drifted, dropped, calls } = await refreshAll(state, (n) => n !== "app");
    expect(dropped).toEqual([]);
    expect(drifted).toEqual(edits.map(([i]) => `m${i}`).sort());
    // The list, and one GET for each edited meeting (its list item shows another updated_at).
    expect(em.requests.count("GET", "/:app/meetings/:id")).toBe(edits.length);
    expect(calls).toBeLessThanOrEqual(N / 50 + edits.length);
    expect(byName(state, "m111").outputs.aiConfig).toMatchObject({ transcription: { language: "de" } });
  }, 120_000);
});

describe("presets: the live API's list items are slim ({id, name}), so each preset is read with a GET", () => {
  const N = 30;
  let state: EngineState;
  let appId: string;

  it("out-of-band edits (nested) are reported, a preset deleted out of band is dropped, nothing else", async () => {
    const run = await runProgram(() => {
      const rtk = sdk();
      const app = new rtk.App("app", { name: "refresh-presets" });
      for (let i = 0; i < N; i++) new rtk.Preset(`p${i}`, { appId: app.id, ...presetArgs(`p${i}`) } as never);
    }, { host });
    state = run.state;
    appId = byName(state, "app").id;
    em.store.patch(ACCOUNT, "presets", appId, byName(state, "p3").id, { config: { media: { screenshare: { frame_rate: 7 } } } } as never);
    em.store.patch(ACCOUNT, "presets", appId, byName(state, "p17").id, { permissions: { chat: { public: { can_send: false } } } } as never);
    em.store.remove(ACCOUNT, "presets", appId, byName(state, "p29").id);
    em.requests.reset();
    const { drifted, dropped } = await refreshAll(state, (n) => n !== "app");
    expect({ drifted, dropped }).toEqual({ drifted: ["p17", "p3"], dropped: ["p29"] });
    // One list call shows the items carry no updated_at; then every preset is read.
    expect(em.requests.count("GET", "/:app/presets")).toBeLessThanOrEqual(1);
    expect(em.requests.count("GET", "/:app/presets/:id")).toBe(N);
  }, 120_000);
});

describe("webhooks: the list holds whole objects, and a write of ours makes the list taken before it stale", () => {
  it("a refresh right after an update through the host shows the update, not the list taken before it", async () => {
    const names = ["w0", "w1", "w2", "w3"];
    const run = await runProgram(() => {
      const rtk = sdk();
      const app = new rtk.App("app", { name: "refresh-webhooks" });
      for (const n of names) new rtk.Webhook(n, { appId: app.id, ...webhookArgs(n) } as never);
    }, { host });
    const state = run.state;
    const appId = byName(state, "app").id;
    em.store.patch(ACCOUNT, "webhooks", appId, byName(state, "w1").id, { events: ["meeting.started"] });
    em.requests.reset();
    const first = await refreshAll(state, (n) => n !== "app");
    expect(first).toMatchObject({ drifted: ["w1"], dropped: [] });
    // One list call served all four reads: no GET of a webhook.
    expect(em.requests.count("GET", "/:app/webhooks/:id")).toBe(0);

    // Within the snapshot's lifetime: an update through the host, then a refresh.
    const [urn, w2] = Object.entries(state).find(([, r]) => r.name === "w2")!;
    const news = { ...w2.inputs, events: ["meeting.ended"] };
    const updated = await host.update(w2.id, urn, w2.outputs, news);
    state[urn] = { ...w2, inputs: news, outputs: updated.outs };
    em.requests.reset();
    const second = await refreshAll(state, (n) => n !== "app");
    expect(second).toMatchObject({ drifted: ["w1"], dropped: [] });
    expect(byName(state, "w2").outputs.events).toEqual(["meeting.ended"]);
    expect(em.requests.count("GET", "/:app/webhooks")).toBe(1); // a new list, taken after the write
  }, 120_000);
});
