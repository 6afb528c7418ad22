// Issue 20: the emulator's participant endpoints. Every endpoint and rule is
// tested twice, the same way: over plain HTTP (global fetch) and through the
// official `cloudflare` SDK pointed at the emulator, as a backend would call it.
// Then what only the emulator has: the request limit, the state file, faults.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APIError, Cloudflare, type APIPromise } from "cloudflare";
import type { MeetingAddParticipantParams, MeetingEditParticipantParams } from "cloudflare/resources/realtime-kit/meetings";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator";
import { DeletedParticipant, Participant, ParticipantToken, ParticipantWithToken } from "../provider/schema";
import { presetBody } from "./fixtures/bodies";

const TOKEN = "participants-api-token-0123456789";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING = "00000000-0000-4000-8000-000000000000";

let em: Emulator;
beforeAll(async () => {
  // Hundreds of unpaced requests within seconds, more than the API's 200 per second: the limits are
  // another test's (the one below, with an emulator of its own), lifted here.
  em = await startEmulator({ token: TOKEN, requestLimit: false });
});
afterAll(() => em?.close());

// Emulators of the tests that need their own (faults, a state file, a limit).
const own: Emulator[] = [];
afterEach(async () => {
  await Promise.all(own.splice(0).map((e) => e.close()));
});
async function emulatorWith(options: EmulatorOptions): Promise<Emulator> {
  const e = await startEmulator({ token: TOKEN, ...options });
  own.push(e);
  return e;
}

interface Answer {
  status: number;
  body: any; // the envelope as parsed JSON
}

/** A request over plain HTTP; the path is below /accounts/{account}/realtime/kit. */
async function raw(account: string, method: string, path: string, body?: unknown, opts: { on?: Emulator; text?: string } = {}): Promise<Answer> {
  const res = await fetch(`${(opts.on ?? em).url}/accounts/${account}/realtime/kit${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...((body !== undefined || opts.text !== undefined) && { "content-type": "application/json" }) },
    body: opts.text ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The six endpoints, as one transport calls them for one account and app. */
interface Participants {
  list(meeting: string, query?: { page_no?: number; per_page?: number }): Promise<Answer>;
  add(meeting: string, body: unknown): Promise<Answer>;
  get(meeting: string, id: string): Promise<Answer>;
  edit(meeting: string, id: string, body: unknown): Promise<Answer>;
  remove(meeting: string, id: string): Promise<Answer>;
  refresh(meeting: string, id: string): Promise<Answer>;
}
type Transport = (account: string, app: string, on?: Emulator) => Participants;

const overHttp: Transport = (account, app, on) => {
  const at = (meeting: string, rest = "") => `/${app}/meetings/${meeting}/participants${rest}`;
  return {
    list: (m, query = {}) => raw(account, "GET", at(m, `?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`), undefined, { on }),
    add: (m, body) => raw(account, "POST", at(m), body, { on }),
    get: (m, id) => raw(account, "GET", at(m, `/${id}`), undefined, { on }),
    edit: (m, id, body) => raw(account, "PATCH", at(m, `/${id}`), body, { on }),
    remove: (m, id) => raw(account, "DELETE", at(m, `/${id}`), undefined, { on }),
    refresh: (m, id) => raw(account, "POST", at(m, `/${id}/token`), undefined, { on }),
  };
};

/** The SDK's answer as status and body; its errors (thrown) likewise. */
async function answer(call: APIPromise<unknown>): Promise<Answer> {
  try {
    const { data, response } = await call.withResponse();
    return { status: response.status, body: data };
  } catch (e) {
    if (e instanceof APIError && e.status !== undefined) return { status: e.status, body: e.error };
    throw e;
  }
}

// Bodies pass through as given (bad ones too): the SDK sends whatever it is handed.
const throughSdk: Transport = (account_id, app_id, on) => {
  // Credentials from the environment must not sneak in.
  const cf = new Cloudflare({ apiToken: TOKEN, apiKey: null, apiEmail: null, userServiceKey: null, baseURL: (on ?? em).url, maxRetries: 0 });
  const m = cf.realtimeKit.meetings;
  const at = (meeting_id: string) => ({ account_id, app_id, meeting_id });
  return {
    list: (meeting, query = {}) => answer(m.getMeetingParticipants(meeting, { account_id, app_id, ...query })),
    add: (meeting, body) => answer(m.addParticipant(meeting, { account_id, app_id, ...(body as object) } as MeetingAddParticipantParams)),
    get: (meeting, id) => answer(m.getMeetingParticipant(id, at(meeting))),
    edit: (meeting, id, body) => answer(m.editParticipant(id, { ...at(meeting), ...(body as object) } as MeetingEditParticipantParams)),
    remove: (meeting, id) => answer(m.deleteMeetingParticipant(id, at(meeting))),
    refresh: (meeting, id) => answer(m.refreshParticipantToken(id, at(meeting))),
  };
};

let accounts = 0;
/** A fresh account (the request limit is per account) with an app, its presets "host" and "participant", and a meeting. */
async function world(transport: Transport, on?: Emulator) {
  const account = `acct-${process.pid}-${++accounts}`;
  const post = async (path: string, body: unknown) => {
    const r = await raw(account, "POST", path, body, { on });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.data;
  };
  const app: string = (await post("/apps", { name: "support-calls" })).app.id;
  const host = await post(`/${app}/presets`, presetBody("host"));
  const guest = await post(`/${app}/presets`, presetBody("participant"));
  const meeting: string = (await post(`/${app}/meetings`, { title: "Daily standup" })).id;
  const stored = () => (on ?? em).store.list(account, "participants", app);
  return { account, app, meeting, presets: { host, participant: guest }, api: transport(account, app, on), post, stored };
}

function expectError(r: Answer, status: number, message: RegExp) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body).toEqual({ success: false, error: { code: status, message: expect.stringMatching(message) } });
}

/** The JWT claims of a token (its middle segment). */
const claims = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

const ada = { custom_participant_id: "user-1", preset_name: "host", name: "Ada", picture: "https://example.com/ada.png" };

describe.each([
  ["plain HTTP", overHttp],
  ["the official cloudflare SDK", throughSdk],
] as const)("participants over %s", (_, transport) => {
  it("add: 201 with the participant and its token; get and list answer it without the token", async () => {
    const w = await world(transport);
    const added = await w.api.add(w.meeting, ada);
    expect(added.status).toBe(201);
    expect(added.body.success).toBe(true);
    const p = ParticipantWithToken.parse(added.body.data);
    expect(p).toEqual({ ...ada, id: expect.stringMatching(UUID), token: expect.any(String), created_at: expect.any(String), updated_at: p.created_at });
    // Nothing the server keeps for itself leaks out.
    expect(Object.keys(added.body.data).sort()).toEqual(["created_at", "custom_participant_id", "id", "name", "picture", "preset_name", "token", "updated_at"]);

    const { token: _t, ...withoutToken } = p;
    const read = await w.api.get(w.meeting, p.id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ success: true, data: withoutToken });
    Participant.parse(read.body.data);
    const list = await w.api.list(w.meeting);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ success: true, data: [withoutToken], paging: { start_offset: 0, end_offset: 0, total_count: 1 } });
    // Optional fields not sent are not answered.
    const bare = await w.api.add(w.meeting, { custom_participant_id: "user-2", preset_name: "participant" });
    expect(bare.status).toBe(201);
    expect(Object.keys(bare.body.data).sort()).toEqual(["created_at", "custom_participant_id", "id", "preset_name", "token", "updated_at"]);
  });

  it("list: pages (page_no, per_page) with the paging block, and only this meeting's participants", async () => {
    const w = await world(transport);
    const other: string = (await w.post(`/${w.app}/meetings`, { title: "Retro" })).id;
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await w.api.add(w.meeting, { custom_participant_id: `user-${i}`, preset_name: "participant" })).body.data.id);
    expect((await w.api.add(other, { custom_participant_id: "user-1", preset_name: "host" })).status).toBe(201);

    const pages = [];
    for (const page_no of [1, 2, 3]) {
      const r = await w.api.list(w.meeting, { page_no, per_page: 2 });
      expect(r.status).toBe(200);
      pages.push(r.body);
    }
    expect(pages.map((p) => p.data.map((x: { id: string }) => x.id))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(pages.map((p) => p.paging)).toEqual([
      { start_offset: 0, end_offset: 1, total_count: 5 },
      { start_offset: 2, end_offset: 3, total_count: 5 },
      { start_offset: 4, end_offset: 4, total_count: 5 },
    ]);
    const beyond = await w.api.list(w.meeting, { page_no: 4, per_page: 2 });
    expect(beyond.body).toEqual({ success: true, data: [], paging: { start_offset: 6, end_offset: 5, total_count: 5 } });
    for (const p of pages.flatMap((page) => page.data)) expect(p).not.toHaveProperty("token");
    expect((await w.api.list(other)).body.data.map((p: { custom_participant_id: string }) => p.custom_participant_id)).toEqual(["user-1"]);
    expectError(await w.api.list(w.meeting, { per_page: 0 }), 400, /^per_page: /);
  });

  it("edit: changes name, picture and preset, keeps what it does not name, answers the current token", async () => {
    const w = await world(transport);
    const p = ParticipantWithToken.parse((await w.api.add(w.meeting, ada)).body.data);
    const edited = await w.api.edit(w.meeting, p.id, { name: "Ada L.", preset_name: "participant" });
    expect(edited.status).toBe(200);
    const e = ParticipantWithToken.parse(edited.body.data);
    expect(e).toEqual({ ...p, name: "Ada L.", preset_name: "participant", updated_at: expect.any(String) });
    expect(e.updated_at > p.updated_at).toBe(true);
    expect(w.stored()[0].preset_id).toBe(w.presets.participant.id);
    // A null preset_name leaves the preset; null clears a name or picture.
    const cleared = await w.api.edit(w.meeting, p.id, { preset_name: null, picture: null });
    expect(cleared.body.data).toMatchObject({ preset_name: "participant", picture: null, name: "Ada L.", token: p.token });
    // Only name, picture and preset_name can change.
    expectError(await w.api.edit(w.meeting, p.id, { custom_participant_id: "someone-else" }), 400, /custom_participant_id/);
    expect((await w.api.get(w.meeting, p.id)).body.data).toMatchObject({ custom_participant_id: "user-1", name: "Ada L.", picture: null });
  });

  it("delete: answers the reduced participant (preset_id, no name or token); then get is 404 and the custom id is free again", async () => {
    const w = await world(transport);
    const p = ParticipantWithToken.parse((await w.api.add(w.meeting, ada)).body.data);
    const deleted = await w.api.remove(w.meeting, p.id);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({
      success: true,
      data: { created_at: p.created_at, updated_at: p.updated_at, custom_participant_id: "user-1", preset_id: w.presets.host.id },
    });
    DeletedParticipant.parse(deleted.body.data);
    expectError(await w.api.get(w.meeting, p.id), 404, new RegExp(`^Participant ${p.id} not found$`));
    expectError(await w.api.remove(w.meeting, p.id), 404, /not found/);
    expectError(await w.api.edit(w.meeting, p.id, { name: "x" }), 404, /not found/);
    expectError(await w.api.refresh(w.meeting, p.id), 404, /not found/);
    expect((await w.api.list(w.meeting)).body.data).toEqual([]);
    expect(w.stored()).toEqual([]);
    const again = await w.api.add(w.meeting, ada);
    expect(again.status).toBe(201);
    expect(again.body.data.id).not.toBe(p.id);
  });

  it("refresh: a new token each time, and from then on the one edit answers; the participant is otherwise the same", async () => {
    const w = await world(transport);
    const p = ParticipantWithToken.parse((await w.api.add(w.meeting, ada)).body.data);
    const first = await w.api.refresh(w.meeting, p.id);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ success: true, data: { token: expect.any(String) } });
    ParticipantToken.parse(first.body.data);
    const second = (await w.api.refresh(w.meeting, p.id)).body.data.token;
    expect(new Set([p.token, first.body.data.token, second]).size).toBe(3);
    // The old tokens are no longer the participant's current one (though, as live, not revoked: see docs/api-behaviour.md).
    expect((await w.api.edit(w.meeting, p.id, {})).body.data.token).toBe(second);
    expect(w.stored()[0].token).toBe(second);
    expect((await w.api.get(w.meeting, p.id)).body.data).toMatchObject({ id: p.id, name: "Ada", preset_name: "host", custom_participant_id: "user-1" });
  });

  it("tokens: JWT-shaped, one per participant and per refresh, scoped to the meeting and participant, never holding the API token", async () => {
    const w = await world(transport);
    const a = ParticipantWithToken.parse((await w.api.add(w.meeting, ada)).body.data);
    const b = ParticipantWithToken.parse((await w.api.add(w.meeting, { ...ada, custom_participant_id: "user-2" })).body.data);
    const refreshed = (await w.api.refresh(w.meeting, a.id)).body.data.token as string;
    const tokens = [a.token, b.token, refreshed];
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) {
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(token).not.toContain(TOKEN);
      expect(Buffer.from(token.split(".")[1], "base64url").toString("utf8")).not.toContain(TOKEN);
    }
    expect(claims(a.token)).toMatchObject({ meetingId: w.meeting, participantId: a.id });
    expect(claims(b.token)).toMatchObject({ meetingId: w.meeting, participantId: b.id });
    expect(claims(refreshed)).toMatchObject({ meetingId: w.meeting, participantId: a.id });
    // Valid for 100 days from issue, as the live API's.
    const { iat, exp } = claims(refreshed);
    expect(exp - iat).toBe(100 * 24 * 3600);
    expect(Math.abs(iat * 1000 - Date.now())).toBeLessThan(60_000);
  });

  it("a preset_name that is not a preset of the meeting's app is refused, 400 naming it, on add and edit; nothing changes", async () => {
    const w = await world(transport);
    const refused = await w.api.add(w.meeting, { ...ada, preset_name: "moderator" });
    expectError(refused, 400, /^preset_name: app \S+ has no preset named "moderator"; its presets are "host", "participant"$/);
    expect(w.stored()).toEqual([]);
    // A preset of another app of the account is no preset of this meeting's app.
    const other: string = (await w.post("/apps", { name: "other" })).app.id;
    await w.post(`/${other}/presets`, presetBody("moderator"));
    expectError(await w.api.add(w.meeting, { ...ada, preset_name: "moderator" }), 400, /no preset named "moderator"/);
    // Names are matched exactly.
    expectError(await w.api.add(w.meeting, { ...ada, preset_name: "Host" }), 400, /no preset named "Host"/);

    const p = (await w.api.add(w.meeting, ada)).body.data;
    expectError(await w.api.edit(w.meeting, p.id, { name: "Renamed", preset_name: "moderator" }), 400, /^preset_name: .*"moderator"/);
    expect((await w.api.get(w.meeting, p.id)).body.data).toMatchObject({ name: "Ada", preset_name: "host", updated_at: p.updated_at });
  });

  it("an INACTIVE meeting refuses new participants (409); those it has can still be read, edited, refreshed", async () => {
    const w = await world(transport);
    const p = (await w.api.add(w.meeting, ada)).body.data;
    expect((await raw(w.account, "PATCH", `/${w.app}/meetings/${w.meeting}`, { status: "INACTIVE" })).status).toBe(200);
    expectError(await w.api.add(w.meeting, { ...ada, custom_participant_id: "user-2" }), 409, new RegExp(`^Meeting ${w.meeting} is INACTIVE`));
    expect(w.stored()).toHaveLength(1);
    expect((await w.api.get(w.meeting, p.id)).status).toBe(200);
    expect((await w.api.edit(w.meeting, p.id, { name: "Ada L." })).status).toBe(200);
    expect((await w.api.refresh(w.meeting, p.id)).status).toBe(200);
    // Active again, it takes them.
    expect((await raw(w.account, "PATCH", `/${w.app}/meetings/${w.meeting}`, { status: "ACTIVE" })).status).toBe(200);
    expect((await w.api.add(w.meeting, { ...ada, custom_participant_id: "user-2" })).status).toBe(201);
    // A meeting made INACTIVE from the start too.
    const closed: string = (await w.post(`/${w.app}/meetings`, { title: "Closed", status: "INACTIVE" })).id;
    expectError(await w.api.add(closed, ada), 409, /INACTIVE/);
  });

  it("custom_participant_id is unique within a meeting (409 naming it), not across meetings; it may be left out", async () => {
    const w = await world(transport);
    const first = (await w.api.add(w.meeting, ada)).body.data;
    const dup = await w.api.add(w.meeting, { ...ada, name: "Someone else", preset_name: "participant" });
    expectError(dup, 409, new RegExp(`^custom_participant_id: "user-1" is already participant ${first.id} of meeting ${w.meeting}$`));
    expect(w.stored()).toHaveLength(1);
    const other: string = (await w.post(`/${w.app}/meetings`, { title: "Retro" })).id;
    expect((await w.api.add(other, ada)).status).toBe(201);
    // Left out (the Cloudflare docs call it optional): accepted, and any number of times.
    for (let i = 0; i < 2; i++) {
      const anonymous = await w.api.add(w.meeting, { preset_name: "participant", name: "Guest" });
      expect(anonymous.status).toBe(201);
      expect(anonymous.body.data).not.toHaveProperty("custom_participant_id");
    }
    expect(w.stored()).toHaveLength(4);
  });

  it("bad input: 400 naming the field, and nothing stored or changed", async () => {
    const w = await world(transport);
    const cases: [unknown, RegExp][] = [
      [{ ...ada, role: "host" }, /^Unrecognized key: "role"$/],
      [{ ...ada, name: 42 }, /^name: Invalid input: expected string, received number$/],
      [{ ...ada, custom_participant_id: 7 }, /^custom_participant_id: Invalid input: expected string/],
      [{ ...ada, name: "x".repeat(10 * 1024) }, /^name: Too big: expected string to have <=1024 characters$/],
      [{ custom_participant_id: "user-1", name: "Ada" }, /^preset_name: Invalid input: expected string, received undefined$/],
      [{ ...ada, preset_name: "" }, /^preset_name: Too small/],
      [{ ...ada, picture: "not a url" }, /^picture: Invalid URL$/],
      [{ ...ada, custom_participant_id: "" }, /^custom_participant_id: Too small/],
    ];
    for (const [body, message] of cases) expectError(await w.api.add(w.meeting, body), 400, message);
    expect(w.stored()).toEqual([]);
    expect((await w.api.list(w.meeting)).body.paging.total_count).toBe(0);

    const p = (await w.api.add(w.meeting, ada)).body.data;
    const edits: [unknown, RegExp][] = [
      [{ token: "mine" }, /^Unrecognized key: "token"$/],
      [{ name: "x".repeat(10 * 1024) }, /^name: Too big/],
      [{ picture: 5 }, /^picture: /],
      [{ preset_name: 1 }, /^preset_name: /],
    ];
    for (const [body, message] of edits) expectError(await w.api.edit(w.meeting, p.id, body), 400, message);
    expect(w.stored()).toEqual([expect.objectContaining({ ...ada, token: p.token, updated_at: p.updated_at })]);
  });

  it("404 for an unknown app, meeting or participant, and for a participant of another meeting", async () => {
    const w = await world(transport);
    const p = (await w.api.add(w.meeting, ada)).body.data;
    const other: string = (await w.post(`/${w.app}/meetings`, { title: "Retro" })).id;
    expectError(await w.api.get(other, p.id), 404, new RegExp(`^Participant ${p.id} not found$`));
    expectError(await w.api.remove(other, p.id), 404, /not found/);
    expectError(await w.api.get(w.meeting, MISSING), 404, /^Participant \S+ not found$/);
    expectError(await w.api.add(MISSING, ada), 404, new RegExp(`^Meeting ${MISSING} not found$`));
    expectError(await w.api.list(MISSING), 404, /^Meeting /);
    const wrongApp = transport(w.account, MISSING);
    expectError(await wrongApp.list(w.meeting), 404, new RegExp(`^App ${MISSING} not found$`));
    expectError(await wrongApp.add(w.meeting, ada), 404, /^App /);
    // Another account sees nothing of it.
    expectError(await transport(`${w.account}-other`, w.app).get(w.meeting, p.id), 404, /^App /);
    expect(w.stored()).toHaveLength(1);
  });
});

describe("participants over plain HTTP only", () => {
  it("a refresh's body is none or {}: anything else is a 400 naming it; bad JSON and bad queries are 400s", async () => {
    const w = await world(overHttp);
    const p = (await w.api.add(w.meeting, ada)).body.data;
    const path = `/${w.app}/meetings/${w.meeting}/participants`;
    expect((await raw(w.account, "POST", `${path}/${p.id}/token`, {})).status).toBe(200);
    expectError(await raw(w.account, "POST", `${path}/${p.id}/token`, { expires_in: 60 }), 400, /^Unrecognized key: "expires_in"$/);
    expectError(await raw(w.account, "POST", path, undefined, { text: "{not json" }), 400, /^Invalid JSON body$/);
    expectError(await raw(w.account, "POST", path, ["host"]), 400, /expected object/);
    expectError(await raw(w.account, "GET", `${path}?page_no=zero`), 400, /^page_no: /);
    expectError(await raw(w.account, "GET", `${path}?search=ada`), 400, /^Unrecognized key: "search"$/);
    // No PUT for participants (the reference has none).
    const put = await raw(w.account, "PUT", `${path}/${p.id}`, ada);
    expectError(put, 405, /^PUT is not supported/);
    expect(w.stored()).toHaveLength(1);
  });

  it("a renamed preset shows under its new name; a deleted one under the name it was applied with", async () => {
    const w = await world(overHttp);
    const p = (await w.api.add(w.meeting, ada)).body.data;
    expect((await raw(w.account, "PATCH", `/${w.app}/presets/${w.presets.host.id}`, { name: "moderator" })).status).toBe(200);
    expect((await w.api.get(w.meeting, p.id)).body.data.preset_name).toBe("moderator");
    expect((await w.api.list(w.meeting)).body.data[0].preset_name).toBe("moderator");
    // The old name is no preset now; the new one is.
    expectError(await w.api.add(w.meeting, { ...ada, custom_participant_id: "user-2" }), 400, /no preset named "host"; its presets are "moderator", "participant"/);
    expect((await w.api.add(w.meeting, { ...ada, custom_participant_id: "user-2", preset_name: "moderator" })).status).toBe(201);
    expect((await raw(w.account, "DELETE", `/${w.app}/presets/${w.presets.host.id}`)).status).toBe(200);
    expect((await w.api.get(w.meeting, p.id)).body.data.preset_name).toBe("host");
  });

  it("participant requests count toward the account's request limit like every other, 429 with Retry-After beyond it", async () => {
    const limited = await emulatorWith({ requestLimit: { requests: 8, windowMs: 60_000 } });
    const w = await world(overHttp, limited); // 4 requests
    const p = (await w.api.add(w.meeting, ada)).body.data; // 5
    expect((await w.api.get(w.meeting, p.id)).status).toBe(200); // 6
    expect((await w.api.refresh(w.meeting, p.id)).status).toBe(200); // 7
    expect((await w.api.list(w.meeting)).status).toBe(200); // 8
    const over = await fetch(`${limited.url}/accounts/${w.account}/realtime/kit/${w.app}/meetings/${w.meeting}/participants`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ ...ada, custom_participant_id: "user-2" }),
    });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(w.stored()).toHaveLength(1);
    // Any route counts against the same budget: an app read is refused too.
    expect((await raw(w.account, "GET", "/apps", undefined, { on: limited })).status).toBe(429);
    expect(limited.requests.count("POST", "/:meeting/participants")).toBe(2);
  });

  it("kept in the state file: across a restart, token included; a write that cannot be saved is not applied", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rtk-participants-"));
    try {
      const statePath = join(dir, "state.json");
      let e = await emulatorWith({ statePath });
      const w = await world(overHttp, e);
      const p = (await w.api.add(w.meeting, ada)).body.data;
      const token = (await w.api.refresh(w.meeting, p.id)).body.data.token;
      const saved = JSON.parse(readFileSync(statePath, "utf8"));
      expect(saved.accounts[w.account][w.app].participants[p.id]).toMatchObject({ ...ada, meeting_id: w.meeting, preset_id: w.presets.host.id, token });
      expect(readFileSync(statePath, "utf8")).not.toContain(TOKEN);
      const shown = (await w.api.get(w.meeting, p.id)).body.data;
      await e.close();

      e = await emulatorWith({ statePath });
      const again = overHttp(w.account, w.app, e);
      expect((await again.get(w.meeting, p.id)).body.data).toEqual(shown);
      expect((await again.edit(w.meeting, p.id, {})).body.data.token).toBe(token);

      // A non-empty folder where the file goes: saving fails, and no participant write is applied.
      const before = e.store.toJSON();
      rmSync(statePath);
      mkdirSync(join(statePath, "blocker"), { recursive: true });
      const log = console.error;
      console.error = () => undefined;
      try {
        expect((await again.add(w.meeting, { ...ada, custom_participant_id: "user-2" })).status).toBe(500);
        expect((await again.edit(w.meeting, p.id, { name: "lost" })).status).toBe(500);
        expect((await again.refresh(w.meeting, p.id)).status).toBe(500);
        expect((await again.remove(w.meeting, p.id)).status).toBe(500);
      } finally {
        console.error = log;
      }
      expect(e.store.toJSON()).toEqual(before);
      expect((await again.edit(w.meeting, p.id, {})).status).toBe(500); // still unsaved: nothing changes
      expect(e.store.list(w.account, "participants", w.app).map((x) => [x.name, x.token])).toEqual([["Ada", token]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a state file saved before participants were served loads, with none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rtk-participants-"));
    try {
      const statePath = join(dir, "state.json");
      const e = await emulatorWith({ statePath });
      const w = await world(overHttp, e);
      await e.close();
      const old = JSON.parse(readFileSync(statePath, "utf8"));
      delete old.accounts[w.account][w.app].participants;
      writeFileSync(statePath, JSON.stringify(old));
      const reopened = await emulatorWith({ statePath });
      const api = overHttp(w.account, w.app, reopened);
      expect((await api.list(w.meeting)).body.paging.total_count).toBe(0);
      expect((await api.add(w.meeting, ada)).status).toBe(201);
      // A file whose participants are not a mapping is no state file.
      const broken = JSON.parse(readFileSync(statePath, "utf8"));
      broken.accounts[w.account][w.app].participants = [];
      writeFileSync(statePath, JSON.stringify(broken));
      await expect(startEmulator({ statePath })).rejects.toThrow(/has participants that are not a mapping/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("faults apply to the participant routes as to the others", () => {
  it("error-rate: 500/503 before anything is done", async () => {
    const e = await emulatorWith({});
    const w = await world(overHttp, e);
    e.setFaults({ errorRate: 1, seed: 5 });
    const statuses = new Set<number>();
    for (let i = 0; i < 8; i++) statuses.add((await w.api.add(w.meeting, { ...ada, custom_participant_id: `user-${i}` })).status);
    expect([...statuses].sort()).toEqual([500, 503]);
    expect(w.stored()).toEqual([]);
    e.setFaults({});
    expect((await w.api.add(w.meeting, ada)).status).toBe(201);
  });

  it("injected 429 bursts, --no-realtimekit and --new-token-403 answer participant requests as any other", async () => {
    const e = await emulatorWith({});
    const w = await world(overHttp, e);
    e.setFaults({ rateLimit: { every: 1, burst: 1, retryAfterSeconds: 7 } });
    expect((await w.api.list(w.meeting)).status).toBe(200);
    expectError(await w.api.add(w.meeting, ada), 429, /injected/);
    e.setFaults({});
    expect(w.stored()).toEqual([]);

    const closed = await emulatorWith({ noRealtimekit: ["acct-closed"] });
    expectError(await overHttp("acct-closed", w.app, closed).add(w.meeting, ada), 403, /RealtimeKit is not enabled/);
    const fresh = await emulatorWith({ newToken403Ms: 60_000 });
    expectError(await overHttp(w.account, w.app, fresh).list(w.meeting), 403, /not active yet/);
  });

  it("latency delays participant answers", async () => {
    const e = await emulatorWith({});
    const w = await world(overHttp, e);
    e.setFaults({ latencyMs: 200 });
    const started = Date.now();
    expect((await w.api.list(w.meeting)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("drop-after-commit: the participant is added but the answer is lost; drop-before-commit: nothing is done", async () => {
    const e = await emulatorWith({});
    const w = await world(overHttp, e);
    e.setFaults({ dropAfterCommitRate: 1 });
    await expect(w.api.add(w.meeting, ada)).rejects.toThrow();
    expect(w.stored().map((p) => p.custom_participant_id)).toEqual(["user-1"]);
    // Reads are never dropped: the backend finds it (and a second add of the same id is refused).
    expect((await w.api.list(w.meeting)).body.data.map((p: { custom_participant_id: string }) => p.custom_participant_id)).toEqual(["user-1"]);
    e.setFaults({ dropBeforeCommitRate: 1 });
    const id = w.stored()[0].id;
    const token = w.stored()[0].token;
    await expect(w.api.refresh(w.meeting, id)).rejects.toThrow();
    await expect(w.api.remove(w.meeting, id)).rejects.toThrow();
    await expect(w.api.add(w.meeting, { ...ada, custom_participant_id: "user-2" })).rejects.toThrow();
    expect(w.stored().map((p) => [p.custom_participant_id, p.token])).toEqual([["user-1", token]]);
    e.setFaults({});
    expectError(await w.api.add(w.meeting, ada), 409, /already participant/);
  });

  it("consistency-lag: lists show a new or deleted participant late; reads by id and the uniqueness check do not lag", async () => {
    const e = await emulatorWith({ consistencyLagMs: 1500 });
    const w = await world(overHttp, e);
    const p = (await w.api.add(w.meeting, ada)).body.data;
    expect((await w.api.list(w.meeting)).body.data).toEqual([]);
    expect((await w.api.get(w.meeting, p.id)).status).toBe(200);
    expectError(await w.api.add(w.meeting, ada), 409, /already participant/);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await w.api.list(w.meeting)).body.data.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await w.api.remove(w.meeting, p.id)).status).toBe(200);
    expect((await w.api.list(w.meeting)).body.data.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await w.api.get(w.meeting, p.id)).status).toBe(404);
  });

  it("--partial-write-answers: an edit answers only the fields it named", async () => {
    const e = await emulatorWith({ partialWriteAnswers: true });
    const w = await world(overHttp, e);
    const p = (await w.api.add(w.meeting, ada)).body.data;
    expect((await w.api.edit(w.meeting, p.id, { name: "Ada L." })).body).toEqual({ success: true, data: { name: "Ada L." } });
    expect((await w.api.get(w.meeting, p.id)).body.data.name).toBe("Ada L.");
  });
});
