// Answers that lack what they must hold, from a scripted server: every such
// answer is an error that names the request, and none leaves a resource with an
// empty id or drops a live one, through the client and the real dynamic-provider host.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { all, RealtimeKit, RealtimeKitError } from "../provider/client";
import { ProgramError, refresh, runProgram } from "./harness";
import { presetArgs } from "./fixtures/args";
import { presetBody } from "./fixtures/bodies";
import { ACCOUNT, closeScripted, closeServers, hostOf, serve, TOKEN, type Handler } from "./support/scripted";
import { sdk } from "./support/stack";

afterEach(closeServers);
afterAll(closeScripted);

const client = (url: string) => new RealtimeKit({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl: url, backoffMs: 5, retries: 1 });

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as RealtimeKitError);

describe("an answer without data", () => {
  it("is an error that names the request (method and path), never the token", async () => {
    const { url } = await serve(() => ({ body: { success: true } }));
    const err = await failure(client(url).presets.get("app-1", "p-1"));
    expect(err).toBeInstanceOf(RealtimeKitError);
    expect(err!.message).toBe(`RealtimeKit API GET /accounts/${ACCOUNT}/realtime/kit/app-1/presets/p-1 failed: HTTP 2xx: answered without data`);
    expect(err!.ambiguous).toBe(false);
    const nul = await serve(() => ({ body: { success: true, data: null } }));
    expect((await failure(client(nul.url).meetings.update("app-1", "m-1", { title: "x" })))!.message).toMatch(/PATCH \/accounts\/.*\/meetings\/m-1 failed: HTTP 2xx: answered without data/);
  });
});

describe("a create answer without an id", () => {
  const withoutId: Handler = (method, p) =>
    method === "POST" ? { status: 201, body: { success: true, data: { name: "host" } } } : p.endsWith("/presets") ? { body: { success: true, data: [] } } : { status: 404, body: { success: false, error: { code: 404, message: "not found" } } };

  it("is an error naming the request, and ambiguous (the object may exist)", async () => {
    const { url } = await serve(withoutId);
    const err = await failure(client(url).presets.create("app-1", presetBody()));
    expect(err!.message).toBe(`RealtimeKit API POST /accounts/${ACCOUNT}/realtime/kit/app-1/presets failed: HTTP 2xx: answered without the new object's id`);
    expect(err!.ambiguous).toBe(true);
    const app = await serve(() => ({ status: 201, body: { success: true, data: { app: { name: "a" } } } }));
    expect((await failure(client(app.url).apps.create({ name: "a" })))!.message).toMatch(/POST \/accounts\/.*\/apps failed: HTTP 2xx: answered without the new object's id/);
  });

  it("through the host: never a resource with an empty id; the object is looked for, and without it the create fails naming the request", async () => {
    const { url, requests } = await serve(withoutId);
    const error = await runProgram(() => void new (sdk().Preset)("p", { appId: "app-1", ...presetArgs() } as never), { host: await hostOf(url) }).catch((e) => e);
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toContain(`POST /accounts/${ACCOUNT}/realtime/kit/app-1/presets failed: HTTP 2xx: answered without the new object's id`);
    expect(error.state).toEqual({});
    expect(error.steps).toEqual([]);
    // Each POST was followed by a lookup before it was sent again.
    expect(requests.filter((r) => r === "POST /app-1/presets")).toHaveLength(6);
    expect(requests.filter((r) => r === "GET /app-1/presets")).toHaveLength(5);
  });

  it("through the host: the object the lookup finds is the resource, with its id", async () => {
    const made = { ...presetBody(), id: "0b7c9a52-4d4e-4c61-9c33-5f3b1d2a6e01" };
    const { url } = await serve((method, p) => {
      if (method === "POST") return { status: 201, body: { success: true, data: { name: made.name } } };
      if (p.endsWith("/presets")) return { body: { success: true, data: [{ id: made.id, name: made.name }] } };
      return { body: { success: true, data: made } };
    });
    const run = await runProgram(() => void new (sdk().Preset)("p", { appId: "app-1", ...presetArgs() } as never), { host: await hostOf(url) });
    expect(run.steps).toEqual([expect.objectContaining({ op: "create", id: made.id })]);
  });
});

describe("an app list without a paging block, cut short by the server", () => {
  // Five apps; the server gives at most two a page, whatever per_page asks, and no paging block.
  const apps = [...Array(5).keys()].map((i) => ({ id: `app-${i}`, name: `app ${i}`, created_at: "2025-01-01T00:00:00Z" }));
  const truncating: Handler = (method, _p, query) => {
    if (method === "POST") return { status: 201, body: { success: true, data: { app: apps[4] } } };
    const page = Number(query.get("page_no") ?? 1);
    return { body: { success: true, data: apps.slice((page - 1) * 2, page * 2) } };
  };

  it("is read to its end: every app is listed", async () => {
    const { url, requests } = await serve(truncating);
    expect((await all(client(url).apps.list())).map((a) => a.id)).toEqual(apps.map((a) => a.id));
    expect(requests).toEqual(["GET /apps", "GET /apps", "GET /apps", "GET /apps"]); // three pages, then an empty one
  });

  it("a refresh keeps an app that is on a later page", async () => {
    const { url } = await serve(truncating);
    const host = await hostOf(url);
    const run = await runProgram(() => void new (sdk().App)("last", { name: "app 4" }), { host });
    expect(run.steps[0].id).toBe("app-4");
    const results = await refresh(run.state, host);
    expect(results).toEqual([expect.objectContaining({ name: "last", dropped: false, changed: false })]);
    expect(Object.values(run.state)[0].id).toBe("app-4");
  });
});
