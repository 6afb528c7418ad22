// Pulumi's conventions for reading what a program does not manage: X.get (a Read
// through the host) and getApp/getPreset/getWebhook/getMeeting (lookups by name in
// the program, with the stack's credentials, in any account the token may use).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "./harness";
import { meetingArgs, presetArgs, webhookArgs } from "./fixtures/args";
import { byName } from "./support/live";
import { sdk, startStack, type Stack } from "./support/stack";

let stack: Stack;
let other: string; // a second account the same token may use
beforeAll(async () => {
  stack = await startStack();
  other = `${stack.account}-other`;
  stack.em.store.createApp(other, "elsewhere");
});
afterAll(() => stack?.close());

/** The stack config of the program, as `pulumi config set` gives it to both the program and the provider. */
const config = () => ({ "realtimekit:accountId": stack.account, "realtimekit:apiToken": stack.token, "realtimekit:baseUrl": stack.em.url });

describe("X.get: an object read, not managed", () => {
  it("App.get, Preset.get, Webhook.get and Meeting.get read through the host, write nothing, and leave without a delete", async () => {
    const made = await runProgram(
      () => {
        const rtk = sdk();
        const app = new rtk.App("app", { name: "made-elsewhere" });
        new rtk.Preset("p", { appId: app.id, ...presetArgs("made") } as never);
        new rtk.Webhook("w", { appId: app.id, ...webhookArgs("made") } as never);
        new rtk.Meeting("m", { appId: app.id, ...meetingArgs("Made elsewhere") } as never);
      },
      { host: stack.host },
    );
    const appId = byName(made.state, "app").id;
    const id = (name: string) => byName(made.state, name).id;

    stack.em.requests.reset();
    const program = () => {
      const rtk = sdk();
      const app = rtk.App.get("seen-app", appId);
      const preset = rtk.Preset.get("seen-preset", id("p"), { appId });
      const webhook = rtk.Webhook.get("seen-webhook", id("w"), { appId: app.id });
      const meeting = rtk.Meeting.get("seen-meeting", id("m"), { appId });
      const theirs = rtk.App.get("their-app", stack.em.store.apps(other)[0].id, { accountId: other }); // another account, the same token
      return {
        theirs: { name: theirs.name, accountId: theirs.accountId },
        app: { id: app.id, name: app.name, accountId: app.accountId },
        preset: { id: preset.id, appId: preset.appId, name: preset.name, viewType: preset.config.apply((c) => c.viewType) },
        webhook: { id: webhook.id, url: webhook.url },
        meeting: { id: meeting.id, title: meeting.title },
      };
    };
    const read = await runProgram(program, { host: stack.host });
    expect(read.steps.map((s) => s.op)).toEqual(["read", "read", "read", "read", "read"]);
    expect(read.outputs).toEqual({
      theirs: { name: "elsewhere", accountId: other },
      app: { id: appId, name: "made-elsewhere", accountId: stack.account },
      preset: { id: id("p"), appId, name: "made", viewType: "GROUP_CALL" },
      webhook: { id: id("w"), url: "https://ops.example.com/rtk/made" },
      meeting: { id: id("m"), title: "Made elsewhere" },
    });
    expect(stack.em.requests.total()).toBe(stack.em.requests.count("GET", "/apps") + 3); // apps have no GET by id: a list each
    for (const method of ["POST", "PATCH", "PUT", "DELETE"]) expect(stack.em.requests.count(method, "")).toBe(0);

    // Gone from the program: dropped from the state, never deleted.
    const dropped = await runProgram(() => undefined, { host: stack.host, state: read.state });
    expect(dropped.steps).toEqual([]);
    expect(stack.em.store.get(stack.account, "presets", appId, id("p"))).toBeDefined();
    expect(stack.em.store.get(stack.account, "webhooks", appId, id("w"))).toBeDefined();
    await runProgram(() => undefined, { host: stack.host, state: made.state });
  });

  it("without the app it fails, saying what is missing; an unknown id says it does not exist", async () => {
    const bad = await runProgram(() => void sdk().Preset.get("p", "some-id", {} as never), { host: stack.host }).catch((e) => e);
    expect(bad.message).toContain("Preset.get: the app is missing: Preset.get(name, id, { appId })");
    const app = await runProgram(() => void new (sdk().App)("app", { name: "empty" }), { host: stack.host });
    const appId = byName(app.state, "app").id;
    const missing = await runProgram(() => void sdk().Webhook.get("w", "no-such-webhook", { appId }), { host: stack.host }).catch((e) => e);
    expect(missing.message).toBe("resource 'no-such-webhook' does not exist");
  });

  it("an id that goes into the URL and is no URL path segment (malformed text, \"..\") is refused before any request", async () => {
    const app = await runProgram(() => void new (sdk().App)("app", { name: "ids" }), { host: stack.host });
    const appId = byName(app.state, "app").id;
    stack.em.requests.reset();
    const fails = async (program: () => void) => (await runProgram(program, { host: stack.host }).catch((e) => e)).message;
    // A lone low surrogate: Pulumi's protobuf encoding passes it on as it is (issue 18, 2.7).
    expect(await fails(() => void sdk().Preset.get("p", "p\udc00", { appId }))).toContain(
      "Preset.get: id: malformed text: a lone UTF-16 surrogate (half of a pair) at index 1 (the id of the preset, one URL path segment)",
    );
    expect(await fails(() => void sdk().Webhook.get("w", "w-1", { appId: ".." }))).toContain('Webhook.get: appId: must be one URL path segment (no "/", not "." or ".."), got ".."');
    expect(await fails(() => void sdk().App.get("a", appId, { accountId: "acct\udc00" }))).toContain("App.get: accountId: malformed text");
    expect(stack.em.requests.total()).toBe(0);
  });
});

describe("lookups by name", () => {
  let appId: string;
  beforeAll(async () => {
    const run = await runProgram(
      () => {
        const rtk = sdk();
        const app = new rtk.App("app", { name: "lookups" });
        new rtk.Preset("p", { appId: app.id, ...presetArgs("host") } as never);
        new rtk.Webhook("w", { appId: app.id, ...webhookArgs("events") } as never);
        new rtk.Meeting("m1", { appId: app.id, ...meetingArgs("Standup") } as never);
        new rtk.Meeting("m2", { appId: app.id, ...meetingArgs("Retro") } as never);
        new rtk.Meeting("m3", { appId: app.id, ...meetingArgs("Retro") } as never);
        // Webhooks collide on URL, not on name.
        new rtk.Webhook("w2", { appId: app.id, ...webhookArgs("twin") } as never);
        new rtk.Webhook("w3", { appId: app.id, ...webhookArgs("twin"), url: "https://ops.example.com/rtk/twin-2" } as never);
      },
      { host: stack.host },
    );
    appId = byName(run.state, "app").id;
    // Apps may share a name too (one program never declares two: the SDK refuses it).
    for (let i = 0; i < 2; i++) stack.em.store.createApp(stack.account, "twins");
  });

  it("getApp, getPreset, getWebhook and getMeeting find the one object of that name, with the stack config's credentials", async () => {
    const run = await runProgram(
      async () => {
        const rtk = sdk();
        const app = await rtk.getApp({ name: "lookups" });
        const preset = await rtk.getPreset({ appId: app.id, name: "host" });
        const webhook = await rtk.getWebhook({ appId: app.id, name: "events" });
        const meeting = await rtk.getMeeting({ appId: app.id, title: "Standup" });
        const elsewhere = await rtk.getApp({ name: "elsewhere", accountId: other }); // same token, another account
        return {
          app,
          preset: { id: preset.id, appId: preset.appId, accountId: preset.accountId, config: preset.config },
          webhook,
          meeting: meeting.title,
          elsewhere: { id: elsewhere.id, accountId: elsewhere.accountId },
        };
      },
      { host: stack.host, config: config(), secretKeys: ["realtimekit:apiToken"] },
    );
    const live = (kind: "presets" | "webhooks", name: string) => stack.em.store.list(stack.account, kind, appId).find((o) => o.name === name)!;
    expect(run.outputs.app).toMatchObject({ id: appId, name: "lookups", accountId: stack.account });
    // The live config: the program's, plus what the server fills in (simulcast, docs/api-behaviour.md).
    expect(run.outputs.preset).toMatchObject({ id: live("presets", "host").id, appId, accountId: stack.account, config: presetArgs().config });
    expect(run.outputs.webhook).toMatchObject({ id: live("webhooks", "events").id, name: "events", url: "https://ops.example.com/rtk/events", appId });
    expect(run.outputs.meeting).toBe("Standup");
    expect(run.outputs.elsewhere).toEqual({ id: stack.em.store.apps(other)[0].id, accountId: other });
  });

  it("credentials from the environment when the stack config has none", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { CLOUDFLARE_ACCOUNT_ID: stack.account, CLOUDFLARE_API_TOKEN: stack.token, CLOUDFLARE_BASE_URL: stack.em.url });
    try {
      const run = await runProgram(async () => ({ id: (await sdk().getApp({ name: "lookups" })).id }), { host: stack.host, config: {} });
      expect(run.outputs).toEqual({ id: appId });
    } finally {
      for (const k of ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_BASE_URL"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it("zero or several matches fail clearly; so do missing credentials, and ids that cannot go into the URL", async () => {
    const fails = async (lookup: (rtk: ReturnType<typeof sdk>) => Promise<unknown>, cfg: Record<string, string> = config()) =>
      (await runProgram(async () => void (await lookup(sdk())), { host: stack.host, config: cfg }).catch((e) => e)).message;
    expect(await fails((rtk) => rtk.getPreset({ appId, name: "nobody" }))).toBe(`getPreset: no preset named "nobody" in app ${appId}; there: "host"`);
    expect(await fails((rtk) => rtk.getWebhook({ appId, name: "nope" }))).toBe(`getWebhook: no webhook named "nope" in app ${appId}; there: "events", "twin", "twin"`);
    const retros = stack.em.store.list(stack.account, "meetings", appId).filter((m) => m.title === "Retro").map((m) => m.id);
    expect(await fails((rtk) => rtk.getMeeting({ appId, title: "Retro" }))).toBe(
      `getMeeting: 2 matches for meeting titled "Retro" in app ${appId} (ids ${retros.join(", ")}): use the id instead`,
    );
    // Webhooks and apps may share a name: the first match would be a guess.
    const twins = stack.em.store.list(stack.account, "webhooks", appId).filter((w) => w.name === "twin").map((w) => w.id);
    expect(twins).toHaveLength(2);
    expect(await fails((rtk) => rtk.getWebhook({ appId, name: "twin" }))).toBe(
      `getWebhook: 2 matches for webhook named "twin" in app ${appId} (ids ${twins.join(", ")}): use the id instead`,
    );
    const apps = stack.em.store.apps(stack.account).filter((a) => a.name === "twins").map((a) => a.id);
    expect(await fails((rtk) => rtk.getApp({ name: "twins" }))).toBe(`getApp: 2 matches for app named "twins" in account ${stack.account} (ids ${apps.join(", ")}): use the id instead`);
    expect(await fails((rtk) => rtk.getApp({ name: "lookups", accountId: other }))).toBe(`getApp: no app named "lookups" in account ${other}; there: "elsewhere"`);
    // An id that goes into the URL and is no URL path segment: refused before any request (issue 18, 2.7).
    stack.em.requests.reset();
    expect(await fails((rtk) => rtk.getPreset({ appId: "a\udc00", name: "host" }))).toBe(
      "getPreset: appId: malformed text: a lone UTF-16 surrogate (half of a pair) at index 1",
    );
    expect(await fails((rtk) => rtk.getWebhook({ appId: "..", name: "events" }))).toBe('getWebhook: appId: must be one URL path segment (not empty, no "/", not "." or "..")');
    expect(await fails((rtk) => rtk.getApp({ name: "lookups", accountId: "acct\ud800x" }))).toContain("getApp: accountId: malformed text");
    expect(stack.em.requests.total()).toBe(0);
    const noCredentials = await fails((rtk) => rtk.getApp({ name: "lookups" }), { "realtimekit:baseUrl": stack.em.url });
    for (const way of ["realtimekit:accountId", "CLOUDFLARE_ACCOUNT_ID", "realtimekit:apiToken", "CLOUDFLARE_API_TOKEN"]) expect(noCredentials).toContain(way);
  });
});
