// The RealtimeKit emulator over real HTTP (global fetch), and its CLI (dist/emulator/cli.js: build first).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator";
import { mulberry32 } from "../emulator/faults";
import { App, Meeting, MeetingSummary, Preset, PresetSummary, Webhook } from "../provider/schema";
import { presetBody as fullPresetBody } from "./fixtures/bodies";

const ACCOUNT = "account-1";
const TOKEN = "test-token";
const CLI = join(__dirname, "..", "dist", "emulator", "cli.js");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------- helpers

interface Answer {
  status: number;
  headers: Headers;
  body: any; // the envelope as parsed JSON
}

let emu: Emulator;
afterEach(async () => {
  await emu?.close(); // idempotent: tests that closed it already are fine
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string | null; raw?: string; base?: string } = {},
): Promise<Answer> {
  const token = opts.token === undefined ? TOKEN : opts.token;
  const res = await fetch(`${opts.base ?? emu.url}${path}`, {
    method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...((body !== undefined || opts.raw !== undefined) && { "content-type": "application/json" }),
    },
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const kit = (path: string, account = ACCOUNT) => `/accounts/${account}/realtime/kit${path}`;

async function newApp(name = "app", account = ACCOUNT): Promise<string> {
  const r = await call("POST", kit("/apps", account), { name });
  expect(r.status).toBe(201);
  return r.body.data.app.id;
}

const STAMPS = { created_at: expect.any(String), updated_at: expect.any(String) };

// The shared preset, and its permissions with plugin access in the plain plugin-id form.
const presetBody = fullPresetBody;
const permissions = () => {
  const shared = fullPresetBody().permissions;
  return { ...shared, plugins: { ...shared.plugins, config: "plugin-id" } };
};

/**
 * A preset body as the server keeps it: `config.media.video.simulcast` filled in, as the live API echoes it,
 * and the API's defaults of the optional fields it leaves out (docs/api-behaviour.md, "Defaults").
 */
function stored<T extends { config: { media: { video: object; audio?: object } }; permissions: object }>(body: T): T {
  const out = structuredClone(body);
  out.config.media.video = { simulcast: false, ...out.config.media.video };
  out.config.media.audio = { enable_high_bitrate: false, enable_stereo: false, ...out.config.media.audio };
  out.permissions = { is_recorder: false, ...out.permissions };
  return out;
}

const SECRETS = { access_key: "AKIA-secret", secret: "s3cr3t", password: "pw", private_key: "-----KEY-----" };

function meetingBody() {
  return {
    title: "Weekly sync",
    record_on_start: false,
    transcribe_on_end: true,
    ai_config: { transcription: { language: "en-US" } },
    recording_config: {
      max_seconds: 3600,
      storage_config: { type: "sftp", bucket: "recordings", ...SECRETS },
      video_config: { codec: "H264", width: 1280, height: 720 },
    },
  };
}

const webhookBody = (n = 1) => ({ name: `hook-${n}`, url: `https://example.com/hook/${n}`, events: ["meeting.started"] });

/** A JSON text contains none of the secret values nor the write-only keys. */
function expectNoWriteOnly(value: unknown) {
  const text = JSON.stringify(value);
  for (const [key, secret] of Object.entries(SECRETS)) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(`"${key}"`);
  }
  expect(text).not.toContain("transcribe_on_end");
}

function expectError(r: Answer, status: number) {
  expect(r.status).toBe(status);
  expect(r.body).toEqual({ success: false, error: { code: status, message: expect.any(String) } });
}

// -------------------------------------------------------------- API tests

describe("emulator API", () => {
  beforeEach(async () => {
    emu = await startEmulator();
  });

  it("serves on 127.0.0.1 under /client/v4 and tags every answer with x-request-id", async () => {
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}/client/v4`);
    const ok = await call("GET", kit("/apps"));
    const err = await call("GET", kit("/apps"), undefined, { token: null });
    for (const r of [ok, err]) expect(r.headers.get("x-request-id")).toMatch(UUID);
    expect(ok.headers.get("x-request-id")).not.toBe(err.headers.get("x-request-id"));
  });

  describe("apps", () => {
    it("creates an app wrapped in data.app and lists it with paging", async () => {
      const created = await call("POST", kit("/apps"), { name: "first" });
      expect(created.status).toBe(201);
      expect(created.body.success).toBe(true);
      const app = App.parse(created.body.data.app);
      expect(app.id).toMatch(UUID);
      expect(app.name).toBe("first");
      await newApp("second");

      const list = await call("GET", kit("/apps"));
      expect(list.status).toBe(200);
      expect(list.body.data.map((a: App) => a.name)).toEqual(["first", "second"]);
      list.body.data.forEach((a: unknown) => App.parse(a));
      expect(list.body.paging).toEqual({ start_offset: 0, end_offset: 1, total_count: 2 });

      const desc = await call("GET", kit("/apps?sort_order=DESC&search=SEC"));
      expect(desc.body.data.map((a: App) => a.name)).toEqual(["second"]);
    });

    it("has no read, update or delete of a single app", async () => {
      const id = await newApp();
      expectError(await call("GET", kit(`/apps/${id}`)), 404);
      expectError(await call("PATCH", kit("/apps"), { name: "x" }), 405);
      expectError(await call("DELETE", kit("/apps")), 405);
    });

    it("rejects a bad body or query with 400 and stores nothing", async () => {
      const r = await call("POST", kit("/apps"), { name: "" });
      expectError(r, 400);
      expect(r.body.error.message).toMatch(/^name: /);
      expectError(await call("POST", kit("/apps"), { name: "a", extra: 1 }), 400);
      expectError(await call("GET", kit("/apps?sort_order=UP")), 400);
      expect((await call("GET", kit("/apps"))).body.data).toEqual([]);
    });
  });

  describe("presets", () => {
    let app: string;
    beforeEach(async () => {
      app = await newApp();
    });

    it("creates, reads, replaces and deletes a preset, with timestamps as the newer API has them", async () => {
      const created = await call("POST", kit(`/${app}/presets`), { ...presetBody(), permissions: permissions() });
      expect(created.status).toBe(201);
      const preset = Preset.parse(created.body.data); // strict: any field beyond the schema would fail it
      expect(preset).toEqual({ id: expect.stringMatching(UUID), ...stored({ ...presetBody(), permissions: permissions() }), ...STAMPS });

      const read = await call("GET", kit(`/${app}/presets/${preset.id}`));
      expect(read.body).toEqual({ success: true, data: preset });

      const replaced = await call("PUT", kit(`/${app}/presets/${preset.id}`), presetBody("guest"));
      expect(replaced.status).toBe(200);
      expect(replaced.body.data).toEqual({ id: preset.id, ...stored(presetBody("guest")), ...STAMPS }); // plugin access replaced too

      // As the live API: DELETE answers data: null.
      const deleted = await call("DELETE", kit(`/${app}/presets/${preset.id}`));
      expect(deleted.body).toEqual({ success: true, data: null });
      expectError(await call("GET", kit(`/${app}/presets/${preset.id}`)), 404);
      expectError(await call("DELETE", kit(`/${app}/presets/${preset.id}`)), 404);
    });

    it("lists slim summaries ({id, name}, as the live API) over several pages with the right total_count, and searches by name", async () => {
      for (const name of ["a1", "a2", "b3", "a4", "b5"]) await call("POST", kit(`/${app}/presets`), presetBody(name));
      const names: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const r = await call("GET", kit(`/${app}/presets?page_no=${page}&per_page=2`));
        expect(r.body.success).toBe(true);
        expect(r.body.paging.total_count).toBe(5);
        expect(r.body.paging.start_offset).toBe((page - 1) * 2);
        r.body.data.forEach((p: unknown) => expect(Object.keys(PresetSummary.parse(p))).toEqual(["id", "name"]));
        names.push(...r.body.data.map((p: PresetSummary) => p.name));
      }
      expect(names).toEqual(["a1", "a2", "b3", "a4", "b5"]);
      const beyond = await call("GET", kit(`/${app}/presets?page_no=4&per_page=2`));
      expect(beyond.body.data).toEqual([]);
      expect(beyond.body.paging.total_count).toBe(5);

      const found = await call("GET", kit(`/${app}/presets?search=B`));
      expect(found.body.data.map((p: PresetSummary) => p.name)).toEqual(["b3", "b5"]);
      expect(found.body.paging.total_count).toBe(2);
      expectError(await call("GET", kit(`/${app}/presets?per_page=0`)), 400);
    });

    it("PATCH deep-merges: fields not named are kept, updated_at moves; the answer has no id (as the live API's)", async () => {
      const { id } = (await call("POST", kit(`/${app}/presets`), presetBody())).body.data;
      const before = emu.store.get(ACCOUNT, "presets", app, id)!;
      const r = await call("PATCH", kit(`/${app}/presets/${id}`), {
        config: { media: { video: { quality: "vga" } } },
        ui: { design_tokens: { colors: { brand: { "500": "#123456" } } } },
      });
      expect(r.status).toBe(200);
      const expected = presetBody();
      expected.config.media.video.quality = "vga";
      (expected.ui.design_tokens.colors.brand as Record<string, string>)["500"] = "#123456";
      expect(r.body.data).toEqual({ ...stored(expected), ...STAMPS });
      const after = emu.store.get(ACCOUNT, "presets", app, id)!;
      expect(after.created_at).toBe(before.created_at);
      expect(after.updated_at > before.updated_at).toBe(true);
    });

    it("answers 400 naming the field and the allowed values, and stores nothing", async () => {
      const bad = presetBody();
      (bad.config.media.video as { quality: string }).quality = "8k";
      const r = await call("POST", kit(`/${app}/presets`), bad);
      expectError(r, 400);
      expect(r.body.error.message).toContain('config.media.video.quality: Invalid option: expected one of "hd"|"vga"');
      expect((await call("GET", kit(`/${app}/presets`))).body.paging.total_count).toBe(0);

      const tooFast = await call("POST", kit(`/${app}/presets`), { ...presetBody(), config: { ...bad.config, media: { ...bad.config.media, video: { frame_rate: 60, quality: "hd" } } } });
      expect(tooFast.body.error.message).toContain("config.media.video.frame_rate: Too big: expected number to be <=30");

      const { id } = (await call("POST", kit(`/${app}/presets`), presetBody())).body.data;
      const patch = await call("PATCH", kit(`/${app}/presets/${id}`), { config: { view_type: "PARTY" } });
      expectError(patch, 400);
      expect(patch.body.error.message).toMatch(/^config\.view_type: Invalid option/);
      // Valid as a patch, but the merged preset lacks required permission fields (stored without them behind the API).
      const { permissions: _p, ...bare } = presetBody("bare");
      const bareId = emu.store.create(ACCOUNT, "presets", app, bare as ReturnType<typeof presetBody>).id;
      const partial = await call("PATCH", kit(`/${app}/presets/${bareId}`), { permissions: { can_record: true } });
      expectError(partial, 400);
      expect(partial.body.error.message).toContain("permissions.chat");
      expect((await call("GET", kit(`/${app}/presets/${id}`))).body.data).toEqual({ id, ...stored(presetBody()), ...STAMPS });

      const json = await call("POST", kit(`/${app}/presets`), undefined, { raw: "{not json" });
      expectError(json, 400);
      expect(json.body.error.message).toMatch(/JSON/);
      expect((await call("GET", kit(`/${app}/presets`))).body.paging.total_count).toBe(2);
    });

    it("answers 409 when another preset of the app has the same name (POST, PUT, PATCH)", async () => {
      const first = (await call("POST", kit(`/${app}/presets`), presetBody("host"))).body.data;
      const second = (await call("POST", kit(`/${app}/presets`), presetBody("guest"))).body.data;
      const dup = await call("POST", kit(`/${app}/presets`), presetBody("host"));
      expectError(dup, 409);
      expect(dup.body.error.message).toContain('"host"');
      expectError(await call("PUT", kit(`/${app}/presets/${second.id}`), presetBody("host")), 409);
      expectError(await call("PATCH", kit(`/${app}/presets/${second.id}`), { name: "host" }), 409);
      const names = async () => (await call("GET", kit(`/${app}/presets`))).body.data.map((p: PresetSummary) => p.name).sort();
      expect(await names()).toEqual(["guest", "host"]);
      // A preset may keep its own name, and another app may use it.
      expect((await call("PUT", kit(`/${app}/presets/${first.id}`), presetBody("host"))).status).toBe(200);
      expect((await call("PATCH", kit(`/${app}/presets/${first.id}`), { name: "host" })).status).toBe(200);
      expect((await call("POST", kit(`/${await newApp("other")}/presets`), presetBody("host"))).status).toBe(201);
      // Once the first is deleted, the name is free again.
      await call("DELETE", kit(`/${app}/presets/${first.id}`));
      expect((await call("PATCH", kit(`/${app}/presets/${second.id}`), { name: "host" })).status).toBe(200);
      expect(await names()).toEqual(["host"]);
    });
  });

  describe("meetings", () => {
    let app: string;
    beforeEach(async () => {
      app = await newApp();
    });

    it("creates with status ACTIVE by default and never returns write-only fields", async () => {
      const created = await call("POST", kit(`/${app}/meetings`), meetingBody());
      expect(created.status).toBe(201);
      const meeting = Meeting.parse(created.body.data);
      expect(meeting.status).toBe("ACTIVE");
      expect(meeting.recording_config?.storage_config).toEqual({ type: "sftp", bucket: "recordings" });
      expectNoWriteOnly(created.body);

      // Stored all the same.
      const stored = emu.store.get(ACCOUNT, "meetings", app, meeting.id)!;
      expect(stored.transcribe_on_end).toBe(true);
      expect(stored.recording_config?.storage_config).toMatchObject(SECRETS);

      const read = await call("GET", kit(`/${app}/meetings/${meeting.id}`));
      expect(read.body).toEqual({ success: true, data: meeting });
      const patched = await call("PATCH", kit(`/${app}/meetings/${meeting.id}`), { recording_config: { max_seconds: 120 } });
      const put = await call("PUT", kit(`/${app}/meetings/${meeting.id}`), meetingBody());
      const list = await call("GET", kit(`/${app}/meetings`));
      for (const r of [read, patched, put, list]) expectNoWriteOnly(r.body);
      // The merge kept the secrets.
      expect(emu.store.get(ACCOUNT, "meetings", app, meeting.id)!.recording_config?.storage_config).toMatchObject(SECRETS);
    });

    it("PATCH merges, PUT replaces but keeps the status", async () => {
      const { id } = (await call("POST", kit(`/${app}/meetings`), meetingBody())).body.data;
      const patched = await call("PATCH", kit(`/${app}/meetings/${id}`), {
        status: "INACTIVE",
        recording_config: { video_config: { codec: "VP8" } },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({
        id,
        title: "Weekly sync",
        status: "INACTIVE",
        recording_config: { max_seconds: 3600, video_config: { codec: "VP8", width: 1280, height: 720 } },
      });

      const put = await call("PUT", kit(`/${app}/meetings/${id}`), { title: "Replaced" });
      // What the PUT leaves out has its default again (docs/api-behaviour.md, "Defaults"); recording_config and ai_config are gone.
      expect(put.body.data).toEqual({
        id,
        title: "Replaced",
        status: "INACTIVE",
        live_stream_on_start: false,
        persist_chat: false,
        record_on_start: false,
        session_keep_alive_time_in_secs: 60,
        summarize_on_end: false,
        created_at: patched.body.data.created_at,
        updated_at: expect.any(String),
      });
      expectError(await call("PATCH", kit(`/${app}/meetings/${id}`), { session_keep_alive_time_in_secs: 5 }), 400);
    });

    it("lists summaries without ai_config/recording_config, filtered by search, status and time", async () => {
      const a = (await call("POST", kit(`/${app}/meetings`), { ...meetingBody(), title: "Alpha" })).body.data;
      await new Promise((r) => setTimeout(r, 5));
      const b = (await call("POST", kit(`/${app}/meetings`), { title: "Beta", status: "INACTIVE" })).body.data;

      const all = await call("GET", kit(`/${app}/meetings`));
      expect(all.body.paging).toEqual({ start_offset: 0, end_offset: 1, total_count: 2 });
      for (const m of all.body.data) {
        MeetingSummary.parse(m);
        expect(m).not.toHaveProperty("ai_config");
        expect(m).not.toHaveProperty("recording_config");
      }
      const ids = async (query: string) =>
        (await call("GET", kit(`/${app}/meetings?${query}`))).body.data.map((m: { id: string }) => m.id);
      expect(await ids("search=alp")).toEqual([a.id]);
      expect(await ids(`search=${b.id}`)).toEqual([b.id]);
      expect(await ids("status=INACTIVE")).toEqual([b.id]);
      expect(await ids(`start_time=${encodeURIComponent(b.created_at)}`)).toEqual([b.id]);
      expect(await ids(`end_time=${encodeURIComponent(a.created_at)}`)).toEqual([a.id]);
      expectError(await call("GET", kit(`/${app}/meetings?start_time=yesterday`)), 400);
    });

    it("has no DELETE (405 with the error envelope)", async () => {
      const { id } = (await call("POST", kit(`/${app}/meetings`), {})).body.data;
      const r = await call("DELETE", kit(`/${app}/meetings/${id}`));
      expectError(r, 405);
      expect(r.headers.get("allow")).toBe("GET, PATCH, PUT");
      expect((await call("GET", kit(`/${app}/meetings/${id}`))).status).toBe(200);
    });
  });

  describe("webhooks", () => {
    let app: string;
    beforeEach(async () => {
      app = await newApp();
    });

    it("answers 404 for the list of an app without webhooks", async () => {
      expectError(await call("GET", kit(`/${app}/webhooks`)), 404);
    });

    it("creates (enabled by default), lists without paging, patches, replaces and deletes", async () => {
      const created = await call("POST", kit(`/${app}/webhooks`), webhookBody(1));
      expect(created.status).toBe(201);
      const hook = Webhook.parse(created.body.data);
      expect(hook).toMatchObject({ ...webhookBody(1), enabled: true });

      const list = await call("GET", kit(`/${app}/webhooks`));
      expect(list.body).toEqual({ success: true, data: [hook] });

      const patched = await call("PATCH", kit(`/${app}/webhooks/${hook.id}`), { enabled: false });
      expect(patched.body.data).toMatchObject({ ...webhookBody(1), enabled: false });
      expect(Webhook.parse(patched.body.data).updated_at > hook.updated_at).toBe(true);

      const put = await call("PUT", kit(`/${app}/webhooks/${hook.id}`), { ...webhookBody(2), events: ["meeting.ended"] });
      expect(put.body.data).toEqual({ id: hook.id, name: "hook-2" }); // partial, as the live PUT answer
      expect((await call("GET", kit(`/${app}/webhooks/${hook.id}`))).body.data).toMatchObject({
        id: hook.id,
        ...webhookBody(2),
        events: ["meeting.ended"],
        enabled: true,
      });

      const deleted = await call("DELETE", kit(`/${app}/webhooks/${hook.id}`));
      expect(deleted.body).toEqual({ success: true, data: null });
      expectError(await call("GET", kit(`/${app}/webhooks/${hook.id}`)), 404);
    });

    it("answers 409 when another webhook has the same url; a shared name alone is no clash (as the live API)", async () => {
      const first = (await call("POST", kit(`/${app}/webhooks`), webhookBody(1))).body.data;
      const second = (await call("POST", kit(`/${app}/webhooks`), webhookBody(2))).body.data;
      expect((await call("POST", kit(`/${app}/webhooks`), { ...webhookBody(3), name: "hook-1" })).status).toBe(201);
      expectError(await call("POST", kit(`/${app}/webhooks`), { ...webhookBody(4), url: first.url }), 409);
      expectError(await call("PUT", kit(`/${app}/webhooks/${second.id}`), webhookBody(1)), 409);
      expectError(await call("PATCH", kit(`/${app}/webhooks/${second.id}`), { url: first.url }), 409);
      expect((await call("PATCH", kit(`/${app}/webhooks/${second.id}`), { name: "hook-1" })).status).toBe(200);
      // Its own url is no clash.
      expect((await call("PUT", kit(`/${app}/webhooks/${first.id}`), webhookBody(1))).status).toBe(200);
      expect((await call("GET", kit(`/${app}/webhooks`))).body.data).toHaveLength(3);
      // Another app may reuse both.
      const other = await newApp("other");
      expect((await call("POST", kit(`/${other}/webhooks`), webhookBody(1))).status).toBe(201);
    });

    it("rejects an unknown event with 400 naming the field", async () => {
      const r = await call("POST", kit(`/${app}/webhooks`), { ...webhookBody(), events: ["meeting.exploded"] });
      expectError(r, 400);
      expect(r.body.error.message).toMatch(/^events\.0: Invalid option: expected one of "meeting.started"/);
    });
  });

  it("answers 401 without the right bearer token, before anything else", async () => {
    expectError(await call("GET", kit("/apps"), undefined, { token: null }), 401);
    expectError(await call("GET", kit("/apps"), undefined, { token: "wrong" }), 401);
    expectError(await call("POST", kit("/apps"), { name: "x" }, { token: "wrong" }), 401);
    expectError(await call("GET", "/nowhere", undefined, { token: null }), 401);
    expect(emu.store.apps(ACCOUNT)).toEqual([]);
  });

  it("answers 404 for unknown apps, ids and routes", async () => {
    const app = await newApp();
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const path of ["/presets", "/meetings", "/webhooks", `/presets/${missing}`, `/meetings/${missing}`]) {
      expectError(await call("GET", kit(`/${missing}${path}`)), 404);
    }
    expectError(await call("POST", kit(`/${missing}/presets`), presetBody()), 404);
    for (const kind of ["presets", "meetings", "webhooks"]) {
      expectError(await call("GET", kit(`/${app}/${kind}/${missing}`)), 404);
      expectError(await call("PATCH", kit(`/${app}/${kind}/${missing}`), {}), 404);
      expectError(await call("GET", kit(`/${app}/${kind}/__proto__`)), 404);
    }
    expectError(await call("GET", kit(`/${app}/recordings`)), 404);
    expectError(await call("GET", "/accounts"), 404);
  });

  it("keeps accounts apart", async () => {
    const app = await newApp("mine", "acc-a");
    const preset = (await call("POST", kit(`/${app}/presets`, "acc-a"), presetBody())).body.data;
    expect((await call("GET", kit("/apps", "acc-b"))).body.data).toEqual([]);
    expectError(await call("GET", kit(`/${app}/presets`, "acc-b")), 404);
    expectError(await call("GET", kit(`/${app}/presets/${preset.id}`, "acc-b")), 404);
    expectError(await call("POST", kit(`/${app}/meetings`, "acc-b"), {}), 404);
    expect((await call("GET", kit("/apps", "acc-a"))).body.data).toHaveLength(1);
  });

  it("lets tests change and delete objects behind the API's back", async () => {
    const app = await newApp();
    const { id } = (await call("POST", kit(`/${app}/presets`), presetBody())).body.data;
    const patched = emu.store.patch(ACCOUNT, "presets", app, id, { config: { max_screenshare_count: 3 } });
    expect(patched?.config.max_screenshare_count).toBe(3);
    expect(patched?.config.view_type).toBe("GROUP_CALL");
    expect((await call("GET", kit(`/${app}/presets/${id}`))).body.data.config.max_screenshare_count).toBe(3);
    expect(emu.store.list(ACCOUNT, "presets", app)).toHaveLength(1);
    expect(emu.store.remove(ACCOUNT, "presets", app, id)?.id).toBe(id);
    expectError(await call("GET", kit(`/${app}/presets/${id}`)), 404);
    expect(emu.store.patch(ACCOUNT, "presets", app, id, { name: "gone" })).toBeUndefined();
    // Returned objects are copies.
    emu.store.apps(ACCOUNT)[0].name = "changed";
    expect(emu.store.app(ACCOUNT, app)?.name).toBe("app");
  });

  it("counts requests per method and route template", async () => {
    const app = await newApp();
    const { id } = (await call("POST", kit(`/${app}/presets`), presetBody())).body.data;
    await call("GET", kit(`/${app}/presets/${id}`));
    await call("PATCH", kit(`/${app}/presets/${id}`), { name: "x" });
    expect(emu.requests.count("POST", "/apps")).toBe(1);
    expect(emu.requests.count("POST", "/:app/presets")).toBe(1);
    expect(emu.requests.count("GET", "/presets/:id")).toBe(1);
    expect(emu.requests.count("patch", "/presets/:id")).toBe(1);
    expect(emu.requests.count("GET", "/:app/presets")).toBe(0);
    expect(emu.requests.snapshot()).toEqual({
      "POST /accounts/:account/realtime/kit/apps": 1,
      "POST /accounts/:account/realtime/kit/:app/presets": 1,
      "GET /accounts/:account/realtime/kit/:app/presets/:id": 1,
      "PATCH /accounts/:account/realtime/kit/:app/presets/:id": 1,
    });
    expect(emu.requests.total()).toBe(4);
    emu.requests.reset();
    expect(emu.requests.total()).toBe(0);
  });

  it("--partial-write-answers: PATCH and PUT answer only the fields the request named", async () => {
    await emu.close();
    emu = await startEmulator({ partialWriteAnswers: true });
    const app = await newApp();
    const { id } = (await call("POST", kit(`/${app}/webhooks`), webhookBody(1))).body.data;
    const patch = await call("PATCH", kit(`/${app}/webhooks/${id}`), { enabled: false });
    expect(patch.body).toEqual({ success: true, data: { enabled: false } });
    const meeting = (await call("POST", kit(`/${app}/meetings`), meetingBody())).body.data;
    const put = await call("PUT", kit(`/${app}/meetings/${meeting.id}`), { title: "Replaced" });
    expect(put.body).toEqual({ success: true, data: { title: "Replaced" } });
    expect((await call("GET", kit(`/${app}/meetings/${meeting.id}`))).body.data).toMatchObject({ id: meeting.id, title: "Replaced" });
  });
});

// ------------------------------------------------------------- faults

describe("fault injection", () => {
  it("errorRate 1 answers every request 500 or 503, and changes nothing", async () => {
    emu = await startEmulator({ faults: { errorRate: 1, seed: 7 } });
    const statuses = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const r = await call("POST", kit("/apps"), { name: `a${i}` });
      expectError(r, r.status);
      statuses.add(r.status);
    }
    expect([...statuses].sort()).toEqual([500, 503]);
    expect(emu.store.apps(ACCOUNT)).toEqual([]);
    emu.setFaults({});
    expect((await call("GET", kit("/apps"))).status).toBe(200);
  });

  it("the same seed gives the same fault decisions", async () => {
    const run = async () => {
      emu.setFaults({ errorRate: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await call("GET", kit("/apps"))).status);
      return out;
    };
    emu = await startEmulator();
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it("rate limit answers 429 with Retry-After after every N requests", async () => {
    emu = await startEmulator({ faults: { rateLimit: { every: 2, burst: 1, retryAfterSeconds: 3 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call("GET", kit("/apps"));
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get("retry-after")).toBe("3");
        expectError(r, 429);
      }
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it("enforces Cloudflare's documented limits by default: 200 per second, then 1,200 per five minutes per token; 429 with Retry-After", async () => {
    emu = await startEmulator();
    const burst = (account: string, n: number) => Promise.all(Array.from({ length: n }, () => call("GET", kit("/apps", account))));
    // 200 per second from one client: the 201st waits a second.
    const first = await burst(ACCOUNT, 201);
    const limited = first.filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    expectError(limited[0], 429);
    expect(limited[0].headers.get("retry-after")).toBe("1");
    // An unauthenticated request uses up no limit.
    expect((await call("GET", kit("/apps", "account-3"), undefined, { token: "wrong" })).status).toBe(401);
    // 1,200 per five minutes with one token, whichever accounts: five more seconds of 200, then 429 for most of five minutes.
    for (let s = 1; s <= 5; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      expect((await burst(`account-${s % 2}`, 200)).map((r) => r.status)).toEqual(Array(200).fill(200));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const over = await call("GET", kit("/apps", "account-9"));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(290);
    expect(Number(over.headers.get("retry-after"))).toBeLessThanOrEqual(300);
    expect(emu.requests.withStatus(429)).toBe(2);
  }, 30_000);

  it("counts each window per account, per token or per client, as each limit says", async () => {
    emu = await startEmulator({
      requestLimit: [
        { per: "account", requests: 2, windowMs: 60_000 },
        { per: "token", requests: 3, windowMs: 60_000 },
      ],
    });
    const status = async (account: string) => (await call("GET", kit("/apps", account))).status;
    // Two for account-1, then its own limit; one more for account-2, then the token's.
    expect([await status("account-1"), await status("account-1"), await status("account-1")]).toEqual([200, 200, 429]);
    expect([await status("account-2"), await status("account-2")]).toEqual([200, 429]);
  });

  it("a window of its own, or none, for tests that need one", async () => {
    emu = await startEmulator({ requestLimit: { requests: 3, windowMs: 300 } });
    const statuses = async () => (await Promise.all(Array.from({ length: 4 }, () => call("GET", kit("/apps"))))).map((r) => r.status).sort();
    expect(await statuses()).toEqual([200, 200, 200, 429]);
    await new Promise((r) => setTimeout(r, 350));
    expect(await statuses()).toEqual([200, 200, 200, 429]);
    await emu.close();
    emu = await startEmulator({ requestLimit: false });
    const many = await Promise.all(Array.from({ length: 400 }, () => call("GET", kit("/apps"))));
    expect(many.every((r) => r.status === 200)).toBe(true);
  });

  it("dropAfterCommit cuts the connection, but the change is there", async () => {
    emu = await startEmulator({ faults: { dropAfterCommitRate: 1 } });
    await expect(call("POST", kit("/apps"), { name: "ghost" })).rejects.toThrow();
    // Reads are never dropped.
    const list = await call("GET", kit("/apps"));
    expect(list.body.data.map((a: App) => a.name)).toEqual(["ghost"]);
    // A rejected write commits nothing, so there is nothing to drop.
    expectError(await call("POST", kit("/apps"), { name: "" }), 400);
  });

  it("dropBeforeCommit cuts the connection of a write without doing it", async () => {
    emu = await startEmulator({ faults: { dropBeforeCommitRate: 1 } });
    await expect(call("POST", kit("/apps"), { name: "ghost" })).rejects.toThrow();
    // Reads are never dropped, and nothing was written.
    expect((await call("GET", kit("/apps"))).body.data).toEqual([]);
    emu.setFaults({});
    const app = await newApp();
    const { id } = (await call("POST", kit(`/${app}/presets`), presetBody())).body.data;
    emu.setFaults({ dropBeforeCommitRate: 1 });
    await expect(call("PATCH", kit(`/${app}/presets/${id}`), { name: "renamed" })).rejects.toThrow();
    await expect(call("DELETE", kit(`/${app}/presets/${id}`))).rejects.toThrow();
    expect(emu.store.get(ACCOUNT, "presets", app, id)?.name).toBe("host");
  });

  it("latencyMs delays answers, latencyJitterMs by a random extra", async () => {
    emu = await startEmulator({ faults: { latencyMs: 150 } });
    const t0 = Date.now();
    await call("GET", kit("/apps"));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    emu.setFaults({ latencyMs: 5, latencyJitterMs: 100, seed: 3 });
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t = Date.now();
      await call("GET", kit("/apps"));
      times.push(Date.now() - t);
    }
    expect(Math.min(...times)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(20);
  });
});

// ------------------------------------------------- persistence and CLI

// CLI processes still running after a test (one that failed half-way) are killed.
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Starts the CLI and resolves with its first stdout line. */
function startCli(args: string[]): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (firstLine) => resolve({ child, firstLine }));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

describe("state file", () => {
  let statePath: string;
  beforeEach(() => {
    statePath = join(mkdtempSync(join(tmpdir(), "rtk-emulator-")), "state.json");
  });

  it("keeps objects across a restart", async () => {
    const options: EmulatorOptions = { statePath };
    emu = await startEmulator(options);
    const app = await newApp("persisted");
    const preset = (await call("POST", kit(`/${app}/presets`), presetBody())).body.data;
    const meeting = (await call("POST", kit(`/${app}/meetings`), meetingBody())).body.data;
    await emu.close();

    emu = await startEmulator(options);
    expect((await call("GET", kit("/apps"))).body.data.map((a: App) => a.name)).toEqual(["persisted"]);
    expect((await call("GET", kit(`/${app}/presets/${preset.id}`))).body.data).toEqual(preset);
    expect((await call("GET", kit(`/${app}/meetings/${meeting.id}`))).body.data).toEqual(meeting);
    // Write-only fields survive too, in the file (not over the API).
    expect(emu.store.get(ACCOUNT, "meetings", app, meeting.id)?.transcribe_on_end).toBe(true);
    await emu.close();
  });

  it("is never a partial JSON, even when the process is killed amid writes", async () => {
    const { child, firstLine } = await startCli(["--state", statePath, "--token", "cli-token"]);
    const base = firstLine.trim();
    const done = exited(child);
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { authorization: "Bearer cli-token", "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return ((await res.json()) as { data: { id: string; app?: { id: string } } }).data;
    };
    const app = (await post(kit("/apps"), { name: "crash" })).app!.id;
    // A big config_diff makes each rewrite of the file take a while.
    const big = { ...presetBody(), ui: { ...presetBody().ui, config_diff: { blob: "x".repeat(50_000) } } };
    const committed: string[] = [];
    let n = 0; // preset names are unique within an app
    const writer = async () => {
      for (;;) committed.push((await post(kit(`/${app}/presets`), { ...big, name: `crash-${++n}` })).id);
    };
    let stopped = false;
    const writers = Promise.allSettled([writer(), writer(), writer(), writer()]).finally(() => (stopped = true));
    while (committed.length < 40 && !stopped) await new Promise((r) => setTimeout(r, 5));
    expect(committed.length).toBeGreaterThanOrEqual(40);
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");
    await writers;

    const saved = JSON.parse(readFileSync(statePath, "utf8"));
    expect(saved.version).toBe(1);
    emu = await startEmulator({ statePath });
    const ids = new Set(emu.store.list(ACCOUNT, "presets", app).map((p) => p.id));
    for (const id of committed) expect(ids.has(id)).toBe(true);
    await emu.close();
  });
});

describe("CLI", () => {
  it("prints the base URL first, serves, and stops cleanly on SIGTERM and SIGINT", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const { child, firstLine } = await startCli(["--port", "0", "--token", "t0k"]);
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
      const res = await fetch(`${firstLine}${kit("/apps")}`, { headers: { authorization: "Bearer t0k" } });
      expect(res.status).toBe(200);
      const done = exited(child);
      child.kill(signal);
      expect(await done).toEqual({ code: 0, signal: null });
    }
  });

  it("applies fault flags", async () => {
    const { child, firstLine } = await startCli(["--rate-limit", "1,1,9", "--partial-write-answers"]);
    const get = () => fetch(`${firstLine}${kit("/apps")}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("9");
    const done = exited(child);
    child.kill("SIGTERM");
    await done;

    // Every write is cut off before it is done: nothing is stored.
    // The limit counts every request that arrives, a write cut off too.
    const dropping = await startCli(["--drop-before-commit", "1", "--latency", "1", "--latency-jitter", "5", "--arrival-jitter", "5", "--request-limit", "2/60"]);
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    const post = fetch(`${dropping.firstLine}${kit("/apps")}`, { method: "POST", headers, body: JSON.stringify({ name: "x" }) });
    await expect(post).rejects.toThrow();
    const list = await fetch(`${dropping.firstLine}${kit("/apps")}`, { headers });
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
    const third = await fetch(`${dropping.firstLine}${kit("/apps")}`, { headers });
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("60");
    const stopped = exited(dropping.child);
    dropping.child.kill("SIGTERM");
    await stopped;
  });

  it("prints usage for --help and rejects bad flags", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args]);
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("exit", (code) => resolve({ code, out, err }));
      });
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: realtimekit-emulator/);
    const limit = await run(["--request-limit", "250"]);
    expect(limit.code).toBe(2);
    expect(limit.err).toContain('--request-limit wants N/SECONDS[/account|token|client] (e.g. 1200/300/token) or off, got "250"');
    expect((await run(["--request-limit", "5/1/ip"])).err).toContain('got "5/1/ip"');
    const mixed = await run(["--request-limit", "5/1", "--request-limit", "off"]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain("--request-limit off lifts every limit: give it alone");
    const bad = await run(["--error-rate", "lots"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--error-rate wants a number");
    expect((await run(["--frobnicate"])).code).toBe(2);
  });
});
