// The REST client (provider/client) against the emulator over real HTTP:
// every endpoint, paging, the error type, retries, and timeouts. Fault
// decisions are seeded, and the seeds are found by replaying the emulator's own
// FaultPlan, so every run sees the same faults.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { startEmulator, type Emulator, type EmulatorOptions, type Faults } from "../emulator";
import { FaultPlan } from "../emulator/faults";
import { all, paginate, RealtimeKit, RealtimeKitError, type ClientOptions } from "../provider/client";
import { newestCopies, walk } from "../provider/client/walk";
import type { MeetingCreate, PresetCreate } from "../provider/schema";
import { meetingBody as sharedMeetingBody, presetBody, webhookBody } from "./fixtures/bodies";

const ACCOUNT = "acct-1";
/** Distinctive, so a leak into an error would be found. */
const TOKEN = "tok-6c1f0e9b7a2d4e58";
const MISSING = "00000000-0000-4000-8000-000000000000";

// ---------------------------------------------------------------- helpers

let em: Emulator;
const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  em = await startEmulator({ token: TOKEN, ...options });
  started.push(em);
  return em;
}

/** A client of the current emulator: fast backoff, and a pacer that never holds a test back. */
function client(options: Partial<ClientOptions> = {}): RealtimeKit {
  return new RealtimeKit({
    accountId: ACCOUNT,
    apiToken: TOKEN,
    baseUrl: em.url,
    backoffMs: 5,
    retries: 3,
    // Pacing to one limit never reached: a 429's Retry-After is still shared through its pacer.
    limits: [{ per: "account", requests: 100_000, windowMs: 1_000 }],
    ...options,
  });
}

/** The RealtimeKitError a call fails with. */
async function failure(call: Promise<unknown>): Promise<RealtimeKitError> {
  const e = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof RealtimeKitError)) throw new Error(`expected a RealtimeKitError, got ${e === undefined ? "success" : String(e)}`);
  return e;
}

/** The error names what was asked and what the API answered, and carries no token. */
function expectDescribes(err: RealtimeKitError, method: string, pathEnd: string, status: number, apiMessage: RegExp, tokens = [TOKEN]) {
  expect(err.method).toBe(method);
  expect(err.path.startsWith(`/accounts/${ACCOUNT}/realtime/kit/`)).toBe(true);
  expect(err.path.endsWith(pathEnd)).toBe(true);
  expect(err.status).toBe(status);
  expect(err.apiMessage).toMatch(apiMessage);
  expect(err.message).toContain(`${method} ${err.path}`);
  expect(err.message).toContain(status ? `HTTP ${status}` : "no response");
  expect(err.message).toContain(err.apiMessage);
  if (status) expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/); // the emulator's x-request-id
  for (const token of tokens) {
    expect(String(err)).not.toContain(token);
    expect(err.stack ?? "").not.toContain(token);
    expect(JSON.stringify(err)).not.toContain(token);
  }
}

/** A seed whose first fault decisions (as `decide` draws them) are exactly `pattern`. */
function seedFor<T>(faults: Faults, decide: (plan: FaultPlan) => T, pattern: T[]): number {
  for (let seed = 1; seed < 100_000; seed++) {
    const plan = new FaultPlan({ ...faults, seed });
    if (pattern.every((want) => decide(plan) === want)) return seed;
  }
  throw new Error(`no seed gives ${JSON.stringify(pattern)}`);
}
const serverError = (p: FaultPlan) => p.serverError();
const drop = (p: FaultPlan) => p.dropAfterCommit();

// The shared fixture, plus a write-only field that must never come back.
const meetingBody = (title?: string): MeetingCreate => ({ ...sharedMeetingBody(title), transcribe_on_end: true });

async function newApp(rk: RealtimeKit, name = "app"): Promise<string> {
  return (await rk.apps.create({ name })).id;
}

// ------------------------------------------------------------ round trips

describe("every endpoint round-trips", () => {
  it("apps: create unwraps data.app; list pages through and searches", async () => {
    await emulator();
    const rk = client();
    const first = await rk.apps.create({ name: "first" });
    const second = await rk.apps.create({ name: "second" });
    expect(first).toEqual({ id: expect.any(String), name: "first", created_at: expect.any(String) });
    expect(em.store.apps(ACCOUNT)).toEqual([first, second]);
    expect(await all(rk.apps.list())).toEqual([first, second]);
    expect(await all(rk.apps.list({ sort_order: "DESC" }))).toEqual([second, first]);
    expect(await all(rk.apps.list({ search: "SEC" }))).toEqual([second]);
    expect(em.requests.count("POST", "/apps")).toBe(2);
  });

  it("presets: create, get, list (slim items), PATCH (merge, answered without id), PUT (replace), delete (data: null)", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);

    const created = await rk.presets.create(app, presetBody());
    // The server fills simulcast, which nobody sent, and the API's defaults of the optional fields left out.
    const echoed = structuredClone(presetBody()) as ReturnType<typeof presetBody> & { permissions: { is_recorder?: boolean } };
    echoed.config.media.video.simulcast = false;
    echoed.config.media.audio = { enable_high_bitrate: false, enable_stereo: false };
    echoed.permissions.is_recorder = false;
    expect(created).toEqual({ id: expect.any(String), ...echoed, created_at: expect.any(String), updated_at: expect.any(String) });
    expect(await rk.presets.get(app, created.id)).toEqual(created);

    await rk.presets.create(app, presetBody("guest"));
    const listed = await all(rk.presets.list(app));
    expect(listed).toEqual([
      { id: created.id, name: "host" },
      { id: expect.any(String), name: "guest" },
    ]);
    expect((await all(rk.presets.list(app, { search: "GUE" }))).map((p) => p.name)).toEqual(["guest"]);

    const patched = await rk.presets.update(app, created.id, { name: "host-2", config: { media: { video: { quality: "fhd" } } } });
    expect(patched).not.toHaveProperty("id"); // as the live PATCH answer
    expect(patched.name).toBe("host-2");
    expect(patched.config?.media.video).toEqual({ frame_rate: 30, quality: "fhd", simulcast: false }); // frame_rate kept
    expect(patched.config?.media.screenshare).toEqual(presetBody().config.media.screenshare);
    expect(patched.permissions).toEqual(echoed.permissions);

    const next = presetBody("host-3");
    next.permissions.can_record = false;
    const replaced = await rk.presets.replace(app, created.id, { ...next, config: { ...presetBody().config, view_type: "WEBINAR" } });
    expect(replaced.id).toBe(created.id);
    expect(replaced.config?.view_type).toBe("WEBINAR");
    expect(replaced.permissions?.can_record).toBe(false);
    expect(await rk.presets.get(app, created.id)).toEqual(replaced);

    expect(await rk.presets.delete(app, created.id)).toBeUndefined();
    expect((await failure(rk.presets.get(app, created.id))).notFound).toBe(true);
    expect((await all(rk.presets.list(app))).map((p) => p.name)).toEqual(["guest"]);
  });

  it("meetings: create, get, list with filters, PATCH (merge), PUT (replace, status kept); write-only fields never come back", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);

    const created = await rk.meetings.create(app, meetingBody());
    expect(created).toMatchObject({ id: expect.any(String), title: "Daily standup", status: "ACTIVE", persist_chat: true });
    expect(created).not.toHaveProperty("transcribe_on_end");
    expect(created.recording_config?.storage_config).toEqual({ type: "aws", bucket: "recordings", region: "us-east-1" });
    expect(await rk.meetings.get(app, created.id)).toEqual(created);

    const listed = await all(rk.meetings.list(app));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: created.id, title: "Daily standup", status: "ACTIVE" });
    expect(listed[0]).not.toHaveProperty("recording_config");

    const patched = await rk.meetings.update(app, created.id, { title: "Retro", recording_config: { max_seconds: 120 } });
    expect(patched.title).toBe("Retro");
    expect(patched.recording_config).toMatchObject({ max_seconds: 120, file_name_prefix: "standup" });
    expect(patched.ai_config).toEqual(created.ai_config);

    const inactive = await rk.meetings.update(app, created.id, { status: "INACTIVE" });
    expect(inactive.status).toBe("INACTIVE");
    const replaced = await rk.meetings.replace(app, created.id, { title: "Replaced" });
    expect(replaced).toMatchObject({ id: created.id, title: "Replaced", status: "INACTIVE", created_at: created.created_at });
    expect(replaced).not.toHaveProperty("recording_config");
    expect(await rk.meetings.get(app, created.id)).toEqual(replaced);

    const other = await rk.meetings.create(app, { title: "Planning" });
    expect((await all(rk.meetings.list(app, { status: "INACTIVE" }))).map((m) => m.id)).toEqual([created.id]);
    expect((await all(rk.meetings.list(app, { status: "ACTIVE" }))).map((m) => m.id)).toEqual([other.id]);
    expect((await all(rk.meetings.list(app, { search: "plan" }))).map((m) => m.id)).toEqual([other.id]);
    expect((await all(rk.meetings.list(app, { search: created.id }))).map((m) => m.id)).toEqual([created.id]);
  });

  it("webhooks: list (404 = none), create, get, PATCH, PUT re-read past an incomplete answer, delete (data: null)", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);

    expect(await rk.webhooks.list(app)).toEqual([]); // the API answers 404 for an app without webhooks
    expect(em.requests.count("GET", "/:app/webhooks")).toBe(1); // a 404 is not retried

    const created = await rk.webhooks.create(app, webhookBody());
    expect(created).toEqual({ ...webhookBody(), id: expect.any(String), enabled: true, created_at: expect.any(String), updated_at: expect.any(String) });
    expect(await rk.webhooks.get(app, created.id)).toEqual(created);
    expect(await rk.webhooks.list(app)).toEqual([created]);

    const edited = await rk.webhooks.edit(app, created.id, { enabled: false });
    expect(edited).toMatchObject({ id: created.id, name: "events", enabled: false, url: webhookBody().url });

    const readsBefore = em.requests.count("GET", "/:app/webhooks/:id");
    const replaced = await rk.webhooks.replace(app, created.id, { name: "renamed", url: "https://ops.example.com/rtk/v2", events: ["meeting.summary"] });
    // The emulator answered the PUT with only {id, name}: the full webhook comes from the re-read.
    expect(replaced).toEqual({
      id: created.id,
      name: "renamed",
      url: "https://ops.example.com/rtk/v2",
      events: ["meeting.summary"],
      enabled: true,
      created_at: created.created_at,
      updated_at: expect.any(String),
    });
    expect(em.requests.count("PUT", "/:app/webhooks/:id")).toBe(1);
    expect(em.requests.count("GET", "/:app/webhooks/:id")).toBe(readsBefore + 1);

    expect(await rk.webhooks.delete(app, created.id)).toBeUndefined();
    expect(await rk.webhooks.list(app)).toEqual([]);
    expect((await failure(rk.webhooks.get(app, created.id))).notFound).toBe(true);
  });
});

// ---------------------------------------------------------------- paging

describe("paging", () => {
  it("yields all 120 meetings exactly once, over two pages of the client's 100", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    const ids = new Set<string>();
    for (let i = 0; i < 120; i++) ids.add(em.store.create(ACCOUNT, "meetings", app, { title: `m${i}`, status: "ACTIVE" }).id);
    em.requests.reset();

    const seen = (await all(rk.meetings.list(app))).map((m) => m.id);
    expect(seen).toHaveLength(120);
    expect(new Set(seen)).toEqual(ids);
    expect(em.requests.count("GET", "/:app/meetings")).toBe(2);
    expect(em.requests.total()).toBe(2);
  });

  it("presets over more than one page, with a search", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    for (let i = 0; i < 105; i++) em.store.create(ACCOUNT, "presets", app, presetBody(`p${i}`));
    em.store.create(ACCOUNT, "presets", app, presetBody("other"));
    em.requests.reset();
    expect(await all(rk.presets.list(app))).toHaveLength(106);
    expect(await all(rk.presets.list(app, { search: "p" }))).toHaveLength(105);
    expect(em.requests.count("GET", "/:app/presets")).toBe(4);
  });

  it("paginate trusts total_count when a server caps per_page, and stops when a server ignores paging", async () => {
    const items = Array.from({ length: 23 }, (_, i) => ({ id: `i${i}` }));
    const asked: number[] = [];
    const capped = paginate<{ id: string }>(async ({ page_no }) => {
      asked.push(page_no);
      const data = items.slice((page_no - 1) * 10, page_no * 10); // asked for 100, got 10
      return { data, paging: { start_offset: (page_no - 1) * 10, end_offset: (page_no - 1) * 10 + data.length - 1, total_count: items.length } };
    });
    expect((await all(capped)).map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect(asked).toEqual([1, 2, 3]);

    let calls = 0;
    const deaf = paginate<{ id: string }>(async () => {
      calls++;
      return { data: items.slice(0, 10), paging: { start_offset: 0, end_offset: 9, total_count: 23 } };
    });
    expect(await all(deaf)).toHaveLength(10);
    expect(calls).toBe(2);
  });

  it("walk is whole only where pages agree with total_count: each way a list hides an object is a gap", async () => {
    type Item = { id: string; updated_at?: string };
    const items: Item[] = Array.from({ length: 5 }, (_, i) => ({ id: `i${i}` }));
    /** Pages from `page`, with total_count `total` (null: no paging block). */
    const pages = (page: (n: number) => Item[], total: number | null = 5) =>
      walk<Item>(async ({ page_no }) => ({ data: page(page_no), ...(total !== null && { paging: { start_offset: 0, end_offset: 0, total_count: total } }) }));
    /** Two a page, whatever per_page asks (a server may cap it). */
    const two = (list: Item[]) => (n: number) => list.slice((n - 1) * 2, n * 2);

    const whole = await pages(two(items));
    expect([[...whole.items.keys()], whole.gap]).toEqual([items.map((i) => i.id), undefined]);
    // A server that ignores page_no is whole when its one page holds the total.
    expect((await pages(() => items)).gap).toBeUndefined();

    const gaps = await Promise.all([
      pages((n) => two(items)(n === 3 ? 2 : n)),
      pages((n) => (n === 2 ? [] : two(items)(n))),
      pages(() => two(items)(1)),
      pages(two(items.slice(1))),
      pages(two(items), 4),
      pages(two(items), null),
      walk<Item>(async ({ page_no }) => ({ data: two(items)(page_no), paging: { start_offset: 0, end_offset: 0, total_count: 5 + page_no } })),
    ]);
    expect(gaps.map((g) => g.gap)).toEqual([
      "page 3 lists objects that earlier pages listed",
      "its pages hold 2 objects, its total_count says 5",
      "page 2 is page 1 again (the server ignores page_no), and its pages hold 2 objects, its total_count says 5",
      "its pages hold 4 objects, its total_count says 5",
      "its pages hold 5 objects, its total_count says 4",
      "its pages carry no total_count to check them against",
      "its total_count changed from 6 to 7 between pages",
    ]);
    // Past a total_count that is too low, the walk still sees every object.
    expect([...gaps[4].items.keys()]).toEqual(items.map((i) => i.id));

    // An object listed twice: its newest copy; copies that cannot be ordered: left to be read again.
    const stale = { id: "i1", updated_at: "2025-01-01T00:00:00Z", name: "old" };
    const fresh = { id: "i1", updated_at: "2025-02-01T00:00:00Z", name: "new" };
    expect(newestCopies([fresh, stale]).get("i1")).toBe(fresh);
    expect(newestCopies([{ id: "i1", name: "a" }, { id: "i1", name: "b" }]).get("i1")).toBeUndefined();
    expect(newestCopies([{ ...stale }, stale]).get("i1")).toEqual(stale);
  });
});

// ---------------------------------------------------------------- errors

describe("errors", () => {
  it("an invalid body is a ZodError before any request is sent", async () => {
    await emulator();
    const rk = client();
    const bad = { ...presetBody(), config: { ...presetBody().config, view_type: "PARTY" } } as unknown as PresetCreate;
    await expect(rk.presets.create("some-app", bad)).rejects.toBeInstanceOf(ZodError);
    await expect(rk.apps.create({ name: "" })).rejects.toBeInstanceOf(ZodError);
    await expect(rk.webhooks.create("some-app", { ...webhookBody(), url: "not a url" })).rejects.toBeInstanceOf(ZodError);
    expect(em.requests.total()).toBe(0);
  });

  it("400 names the failing field, and is not retried", async () => {
    await emulator();
    const rk = client();
    // Past the client's own validation, straight to the server.
    const body = await failure(rk.http.request("POST", "/apps", { body: { name: "" } }));
    expectDescribes(body, "POST", "/apps", 400, /^name: /);
    expect(body.ambiguous).toBe(false);

    const app = await newApp(rk);
    // Queries are not validated by the client: the server rejects the bad enum value.
    const query = await failure(all(rk.meetings.list(app, { status: "DONE" as "ACTIVE" })));
    expectDescribes(query, "GET", `/${app}/meetings`, 400, /^status: /);

    expect(em.requests.count("POST", "/apps")).toBe(2);
    expect(em.requests.count("GET", "/:app/meetings")).toBe(1);
  });

  it("401 for a wrong token, without either token in the error", async () => {
    await emulator();
    const wrong = "wrong-7d3e2a91c4b8";
    const err = await failure(all(client({ apiToken: wrong }).apps.list()));
    expectDescribes(err, "GET", "/apps", 401, /token/i, [TOKEN, wrong]);
    expect(em.requests.count("GET", "/apps")).toBe(1);
  });

  it("404 for an unknown preset id", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    const err = await failure(rk.presets.get(app, MISSING));
    expectDescribes(err, "GET", `/${app}/presets/${MISSING}`, 404, new RegExp(`Preset ${MISSING} not found`));
    expect(err.notFound).toBe(true);
    expect(em.requests.count("GET", "/:app/presets/:id")).toBe(1);
  });

  it("409 for a duplicate webhook url; the duplicate is not created", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    await rk.webhooks.create(app, webhookBody("dup"));
    const err = await failure(rk.webhooks.create(app, { ...webhookBody("dup"), name: "another name" }));
    expectDescribes(err, "POST", `/${app}/webhooks`, 409, /for https:\/\/ops.example.com\/rtk\/dup already exists/);
    expect(err.ambiguous).toBe(false);
    expect(em.requests.count("POST", "/:app/webhooks")).toBe(2);
    expect(em.store.list(ACCOUNT, "webhooks", app)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------- retries

describe("retries", () => {
  it("a GET succeeds after 429s; the emulator counted each attempt", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    const preset = await rk.presets.create(app, presetBody());
    em.setFaults({ rateLimit: { every: 1, burst: 2, retryAfterSeconds: 0 } });
    await rk.presets.get(app, preset.id); // the one request let through
    em.requests.reset();
    expect(await rk.presets.get(app, preset.id)).toEqual(preset); // 429, 429, 200
    expect(em.requests.count("GET", "/:app/presets/:id")).toBe(3);
  });

  it("honours Retry-After", async () => {
    await emulator();
    const rk = client();
    em.setFaults({ rateLimit: { every: 1, burst: 1, retryAfterSeconds: 1 } });
    await all(rk.apps.list());
    const t0 = performance.now();
    await all(rk.apps.list()); // 429 with Retry-After: 1, then 200
    expect(performance.now() - t0).toBeGreaterThanOrEqual(0.9 * 1000);
    expect(em.requests.count("GET", "/apps")).toBe(3);
  });

  it("a 429's Retry-After holds back every client of the account, not just the one answered 429", async () => {
    await emulator();
    const a = client();
    const app = await newApp(a);
    // Two requests let through, then one 429 (Retry-After: 1), then two more through.
    em.setFaults({ rateLimit: { every: 2, burst: 1, retryAfterSeconds: 1 } });
    await all(a.apps.list());
    await all(a.apps.list());
    const t0 = performance.now();
    const first = all(a.apps.list()); // answered 429
    while (em.requests.count("GET", "/apps") < 3) await sleep(5);
    await sleep(200); // the 429 has been read by now
    // Another client instance of the same account and endpoint shares the pacer.
    const b = client();
    await all(b.presets.list(app));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(0.9 * 1000);
    expect(em.requests.count("GET", "/:app/presets")).toBe(1); // b waited instead of being answered 429
    await first;
    expect(em.requests.count("GET", "/apps")).toBe(4);
  });

  it("a GET succeeds after 500/503s; with too few retries the last answer is thrown after retries + 1 attempts", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    const preset = await rk.presets.create(app, presetBody());

    em.setFaults({ errorRate: 0.5, seed: seedFor({ errorRate: 0.5 }, serverError, [503, 500, 503, undefined]) });
    em.requests.reset();
    expect(await rk.presets.get(app, preset.id)).toEqual(preset);
    expect(em.requests.count("GET", "/:app/presets/:id")).toBe(4);

    const faults = { errorRate: 1, seed: 7 };
    const plan = new FaultPlan(faults);
    const expected = [plan.serverError(), plan.serverError(), plan.serverError()];
    em.setFaults(faults);
    em.requests.reset();
    const err = await failure(client({ retries: 2 }).presets.get(app, preset.id));
    expect(em.requests.count("GET", "/:app/presets/:id")).toBe(3);
    expectDescribes(err, "GET", `/${app}/presets/${preset.id}`, expected[2]!, /\(injected\)/);
    expect(err.ambiguous).toBe(false);
  });

  it("options given as undefined take their defaults (5 retries), not endless retries", async () => {
    await emulator({ faults: { errorRate: 1, seed: 3 } });
    // Were `retries: undefined` to mean "no limit", the request would succeed once the faults stop.
    const stop = setTimeout(() => em.setFaults({}), 1_000);
    try {
      const err = await failure(client({ retries: undefined, timeoutMs: undefined, backoffMs: 1 }).http.request("GET", "/apps"));
      expect([500, 503]).toContain(err.status);
      expect(em.requests.count("GET", "/apps")).toBe(6);
    } finally {
      clearTimeout(stop);
    }
  });

  it("a POST is re-sent after 429 and 503 (definitely not done), and creates one object", async () => {
    await emulator();
    const rk = client();
    em.setFaults({ rateLimit: { every: 1, burst: 2, retryAfterSeconds: 0 } });
    await all(rk.apps.list());
    const a = await rk.apps.create({ name: "after-429" }); // 429, 429, 201
    expect(em.requests.count("POST", "/apps")).toBe(3);

    em.setFaults({ errorRate: 0.5, seed: seedFor({ errorRate: 0.5 }, serverError, [503, 503, undefined]) });
    const b = await rk.apps.create({ name: "after-503" }); // 503, 503, 201
    expect(em.requests.count("POST", "/apps")).toBe(6);
    expect(em.store.apps(ACCOUNT)).toEqual([a, b]);
  });

  it("a POST answered 500 is not re-sent: the error is ambiguous", async () => {
    await emulator();
    const rk = client();
    em.setFaults({ errorRate: 0.5, seed: seedFor({ errorRate: 0.5 }, serverError, [500]) });
    const err = await failure(rk.apps.create({ name: "maybe" }));
    expectDescribes(err, "POST", "/apps", 500, /\(injected\)/);
    expect(err.ambiguous).toBe(true);
    expect(em.requests.count("POST", "/apps")).toBe(1);
  });

  it("a POST cut off after the commit is not re-sent: ambiguous, status 0, exactly one object", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    em.setFaults({ dropAfterCommitRate: 1 });

    const appErr = await failure(rk.apps.create({ name: "ghost" }));
    expectDescribes(appErr, "POST", "/apps", 0, /UND_ERR_SOCKET|ECONNRESET|socket|closed/i);
    expect(appErr.ambiguous).toBe(true);
    expect(em.requests.count("POST", "/apps")).toBe(2); // newApp's, and this one once
    expect(em.store.apps(ACCOUNT).map((a) => a.name)).toEqual(["app", "ghost"]);

    const presetErr = await failure(rk.presets.create(app, presetBody()));
    expect(presetErr).toMatchObject({ status: 0, ambiguous: true, method: "POST" });
    expect(em.requests.count("POST", "/:app/presets")).toBe(1);
    expect(em.store.list(ACCOUNT, "presets", app)).toHaveLength(1);

    // Reads are never dropped.
    em.requests.reset();
    expect(await all(rk.presets.list(app))).toHaveLength(1);
    expect(em.requests.total()).toBe(1);
  });

  it("PATCH and PUT cut off after the commit are re-sent and converge", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    const preset = await rk.presets.create(app, presetBody());
    const meeting = await rk.meetings.create(app, meetingBody());
    const hook = await rk.webhooks.create(app, webhookBody());
    const dropOnce = { dropAfterCommitRate: 0.5, seed: seedFor({ dropAfterCommitRate: 0.5 }, drop, [true, false]) };
    em.requests.reset();

    em.setFaults(dropOnce);
    expect((await rk.presets.update(app, preset.id, { name: "patched" })).name).toBe("patched");
    em.setFaults(dropOnce);
    expect((await rk.presets.replace(app, preset.id, presetBody("replaced"))).name).toBe("replaced");
    em.setFaults(dropOnce);
    expect((await rk.meetings.update(app, meeting.id, { title: "patched" })).title).toBe("patched");
    em.setFaults(dropOnce);
    expect((await rk.meetings.replace(app, meeting.id, { title: "replaced" })).title).toBe("replaced");
    em.setFaults(dropOnce);
    expect((await rk.webhooks.edit(app, hook.id, { enabled: false })).enabled).toBe(false);
    em.setFaults(dropOnce);
    expect(await rk.webhooks.replace(app, hook.id, webhookBody("renamed"))).toMatchObject({ name: "renamed", enabled: true });

    expect(em.requests.snapshot()).toMatchObject({
      "PATCH /accounts/:account/realtime/kit/:app/presets/:id": 2,
      "PUT /accounts/:account/realtime/kit/:app/presets/:id": 2,
      "PATCH /accounts/:account/realtime/kit/:app/meetings/:id": 2,
      "PUT /accounts/:account/realtime/kit/:app/meetings/:id": 2,
      "PATCH /accounts/:account/realtime/kit/:app/webhooks/:id": 2,
      "PUT /accounts/:account/realtime/kit/:app/webhooks/:id": 2,
    });
    expect(em.store.get(ACCOUNT, "presets", app, preset.id)?.name).toBe("replaced");
    expect(em.store.list(ACCOUNT, "webhooks", app)).toHaveLength(1);
  });

  it("a DELETE cut off after the commit is re-sent; the retry's 404 is surfaced (the resource layer treats it as done)", async () => {
    await emulator();
    const rk = client();
    const app = await newApp(rk);
    const preset = await rk.presets.create(app, presetBody());
    em.setFaults({ dropAfterCommitRate: 1 });
    const err = await failure(rk.presets.delete(app, preset.id));
    // The client does not guess that a 404 after a dropped DELETE means success: it
    // reports the 404, and provider/resource.ts's delete treats "not found" as deleted.
    expectDescribes(err, "DELETE", `/${app}/presets/${preset.id}`, 404, /not found/);
    expect(err.notFound).toBe(true);
    expect(em.requests.count("DELETE", "/:app/presets/:id")).toBe(2);
    expect(em.store.get(ACCOUNT, "presets", app, preset.id)).toBeUndefined();
  });

  it("a POST refused at connect is re-sent (nothing reached a server), and creates one object", async () => {
    const gone = await emulator();
    const { port, url } = gone;
    await gone.close();

    const refused = await failure(client({ baseUrl: url, retries: 1 }).apps.create({ name: "nobody-home" }));
    expectDescribes(refused, "POST", "/apps", 0, /ECONNREFUSED/);
    expect(refused.ambiguous).toBe(false);

    const pending = client({ baseUrl: url, backoffMs: 100, retries: 10 }).apps.create({ name: "late" });
    await sleep(150); // the first attempt is refused well before this
    await emulator({ port });
    const app = await pending;
    expect(em.store.apps(ACCOUNT)).toEqual([app]);
    expect(em.requests.count("POST", "/apps")).toBe(1);
  });
});

// ---------------------------------------------------------------- timeouts

/**
 * A server on 127.0.0.1 that answers every request with 200 headers and the
 * start of a JSON body, then hands the answer to `rest`, which never ends it.
 */
async function halfAnswers(rest: (res: ServerResponse) => void) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"success":true,"data":');
    rest(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  closers.push(close);
  const client = (options: Partial<ClientOptions>) =>
    new RealtimeKit({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`, backoffMs: 5, ...options });
  return { received, client };
}
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe("timeouts", () => {
  it("a GET that times out is retried, then fails with status 0", async () => {
    await emulator({ faults: { latencyMs: 1_000 } });
    const err = await failure(client({ timeoutMs: 200, retries: 1 }).http.request("GET", "/apps"));
    expectDescribes(err, "GET", "/apps", 0, /^timed out after 200 ms$/);
    expect(em.requests.count("GET", "/apps")).toBe(2);
  });

  it("a POST that times out is not re-sent: ambiguous, and indeed the server carries it out", async () => {
    await emulator({ faults: { latencyMs: 600 } });
    const err = await failure(client({ timeoutMs: 150 }).apps.create({ name: "slow" }));
    expectDescribes(err, "POST", "/apps", 0, /^timed out after 150 ms$/);
    expect(err.ambiguous).toBe(true);
    expect(em.requests.count("POST", "/apps")).toBe(1);
    for (let i = 0; i < 40 && em.store.apps(ACCOUNT).length === 0; i++) await sleep(50);
    expect(em.store.apps(ACCOUNT).map((a) => a.name)).toEqual(["slow"]);
  });

  // ofetch's own timeout ends when the headers arrive; without a bound on the
  // whole exchange, these would hang until undici's 300 s body timeout, twice.
  it("a GET whose body stalls after the headers times out, and is retried like any timeout", async () => {
    const server = await halfAnswers(() => undefined);
    const err = await failure(server.client({ timeoutMs: 300, retries: 1 }).http.request("GET", "/apps"));
    expectDescribes(err, "GET", "/apps", 0, /^timed out after 300 ms$/);
    expect(server.received).toEqual([`GET /client/v4/accounts/${ACCOUNT}/realtime/kit/apps`, `GET /client/v4/accounts/${ACCOUNT}/realtime/kit/apps`]);
  });

  it("a POST whose body stalls is a lost answer: not re-sent, and ambiguous (the resource layer looks the object up)", async () => {
    const server = await halfAnswers(() => undefined);
    const err = await failure(server.client({ timeoutMs: 300, retries: 3 }).apps.create({ name: "half-answered" }));
    expectDescribes(err, "POST", "/apps", 0, /^timed out after 300 ms$/);
    expect(err.ambiguous).toBe(true);
    expect(server.received).toEqual([`POST /client/v4/accounts/${ACCOUNT}/realtime/kit/apps`]);
  });

  it("a body trickled one byte per 100 ms times out all the same: the bound is on the whole request, not between bytes", async () => {
    let trickled = 0;
    const server = await halfAnswers((res) => {
      const drip = setInterval(() => res.write(" ", () => trickled++), 100);
      res.on("close", () => clearInterval(drip));
    });
    const err = await failure(server.client({ timeoutMs: 500, retries: 0 }).http.request("GET", "/apps"));
    expectDescribes(err, "GET", "/apps", 0, /^timed out after 500 ms$/);
    expect(trickled).toBeGreaterThan(0); // the answer was still moving when the bound ended it
    expect(server.received).toHaveLength(1);
  });
});
