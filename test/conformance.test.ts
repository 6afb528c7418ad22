// Conformance: the official `cloudflare` SDK, which nobody here wrote, pointed
// at the emulator, calls every endpoint of apps, presets, meetings, webhooks and
// meeting participants unchanged. What the real API's own SDK sends, the emulator must accept.
// Bodies are typed with the SDK's own parameter types (`satisfies`), so they are
// what a user of that SDK would write.
import { AuthenticationError, BadRequestError, Cloudflare, ConflictError, NotFoundError } from "cloudflare";
import type {
  MeetingAddParticipantParams,
  MeetingCreateParams,
  MeetingEditParticipantParams,
  MeetingUpdateMeetingByIDParams,
} from "cloudflare/resources/realtime-kit/meetings";
import type { PresetCreateParams, PresetUpdateParams } from "cloudflare/resources/realtime-kit/presets";
import type { WebhookCreateWebhookParams } from "cloudflare/resources/realtime-kit/webhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { presetBody, type PresetBody } from "./fixtures/bodies";

const account_id = "023e105f4ecef8ad9ca31a8372d0c353";
const TOKEN = "conformance-token";

let em: Emulator;
let cf: Cloudflare;
let app_id: string;

/** The SDK's view of the emulator; credentials from the environment must not sneak in. */
const sdk = (apiToken = TOKEN) =>
  new Cloudflare({ apiToken, apiKey: null, apiEmail: null, userServiceKey: null, baseURL: em.url, maxRetries: 0 });

beforeAll(async () => {
  em = await startEmulator({ token: TOKEN });
  cf = sdk();
});
afterAll(async () => {
  await em?.close();
});
beforeEach(async () => {
  const res = await cf.realtimeKit.apps.post({ account_id, name: `app-${Math.random().toString(36).slice(2)}` });
  app_id = res.data!.app!.id!;
});

type PluginAccess = PresetBody["permissions"]["plugins"]["config"];
/** Plugin access as a map from plugin id to access setting, the form the fixture has. */
function pluginMap(config: PluginAccess): Extract<PluginAccess, Record<string, object>> {
  if (typeof config === "string" || "access_control" in config) throw new Error("expected plugin access as a map from plugin id");
  return config;
}

/** The shared preset, with the SDK's optional fields and other enum values added. */
const presetParams = (name: string) => {
  const { config, permissions, ui, ...shared } = presetBody(name);
  return {
    account_id,
    ...shared,
    config: {
      ...config,
      media: {
        ...config.media,
        video: { ...config.media.video, simulcast: true },
        audio: { enable_high_bitrate: true, enable_stereo: false },
      },
      livestream_viewer_qualities: [360, 720],
    },
    permissions: {
      ...permissions,
      media: { ...permissions.media, screenshare: { can_produce: "CAN_REQUEST" } },
      // The SDK types plugin access only in its map form (plugin id to access setting), the fixture's.
      plugins: { ...permissions.plugins, config: pluginMap(permissions.plugins.config) },
      waiting_room_type: "SKIP_ON_ACCEPT",
      accept_stage_requests: true,
      stage_access: "CAN_REQUEST",
      stage_enabled: true,
      is_recorder: false,
      transcription_enabled: true,
    },
    // The live create requires ui.config_diff (Alchemy's Preset.ts), which the SDK's types leave out: it comes with the fixture's `ui`.
    ui: { ...ui, design_tokens: { ...ui.design_tokens, font_family: "Inter", logo: "https://example.com/logo.svg" } },
  } satisfies PresetCreateParams;
};

const meetingParams = (title: string) =>
  ({
    account_id,
    title,
    live_stream_on_start: false,
    record_on_start: null,
    persist_chat: true,
    session_keep_alive_time_in_secs: 300,
    summarize_on_end: true,
    transcribe_on_end: true,
    ai_config: {
      summarization: { summary_type: "team_meeting", text_format: "markdown", word_limit: 500 },
      transcription: { keywords: ["RealtimeKit", "Pulumi"], language: "en-US", profanity_filter: true },
    },
    recording_config: {
      file_name_prefix: "standup",
      max_seconds: 3600,
      audio_config: { channel: "stereo", codec: "AAC", export_file: true },
      live_streaming_config: { rtmp_url: "rtmp://live.example.com/app/key" },
      realtimekit_bucket_config: { enabled: false },
      storage_config: { type: "aws", bucket: "recordings", region: "us-east-1", path: "meetings/", access_key: "AKIAEXAMPLE", secret: "s3cr3t" },
      video_config: {
        codec: "H264",
        export_file: true,
        width: 1280,
        height: 720,
        watermark: { position: "right bottom", size: { width: 64, height: 64 }, url: "https://example.com/mark.png" },
      },
    },
  }) satisfies MeetingCreateParams;

const webhookParams = (name: string) =>
  ({
    account_id,
    name,
    url: `https://hooks.example.com/rtk/${name}`,
    events: ["meeting.started", "meeting.ended", "recording.statusUpdate"],
    enabled: true,
  }) satisfies WebhookCreateWebhookParams;

/** The body of a params object: everything but the path parameters. */
function body<T extends { account_id: string; app_id?: string }>(params: T): Omit<T, "account_id" | "app_id"> {
  const { account_id: _a, app_id: _p, ...rest } = params;
  return rest;
}

describe("the official cloudflare SDK against the emulator", () => {
  it("apps: post (data.app envelope) and get (paged, searched, sorted)", async () => {
    const created = await cf.realtimeKit.apps.post({ account_id, name: "conformance-app" });
    expect(created.success).toBe(true);
    expect(created.data?.app).toEqual({ id: expect.any(String), name: "conformance-app", created_at: expect.any(String) });

    const listed = await cf.realtimeKit.apps.get({ account_id, page_no: 1, per_page: 100, sort_order: "DESC" });
    expect(listed.success).toBe(true);
    expect(listed.data?.[0]).toEqual(created.data?.app);
    expect(listed.paging?.total_count).toBe(listed.data?.length);

    const found = await cf.realtimeKit.apps.get({ account_id, search: "CONFORMANCE" });
    expect(found.data?.map((a) => a.id)).toEqual([created.data?.app?.id]);
  });

  it("presets: create, get (list), getPresetByID, update, replacePresetByID, delete", async () => {
    const params = presetParams("host");
    const created = await cf.realtimeKit.presets.create(app_id, params);
    expect(created.success).toBe(true);
    const id = created.data.id;
    expect(created.data).toMatchObject({ id: expect.any(String), ...body(params) });

    const list = await cf.realtimeKit.presets.get(app_id, { account_id, page_no: 1, per_page: 10, search: "ho" });
    expect(list.success).toBe(true);
    expect(list.data?.map((p) => [p.id, p.name])).toEqual([[id, "host"]]);
    expect(list.paging?.total_count).toBe(1);

    const read = await cf.realtimeKit.presets.getPresetByID(id, { account_id, app_id });
    expect(read.success).toBe(true);
    expect(read.data).toEqual(created.data);

    const update = {
      account_id,
      app_id,
      name: "host-hd",
      config: { media: { video: { quality: "fhd" } } },
      permissions: { polls: { can_vote: false } },
    } satisfies PresetUpdateParams;
    const updated = await cf.realtimeKit.presets.update(id, update);
    expect(updated.success).toBe(true);
    expect(updated.data.name).toBe("host-hd");
    expect(updated.data.config.media.video).toEqual({ frame_rate: 30, quality: "fhd", simulcast: true });
    expect(updated.data.permissions.polls).toEqual({ can_create: true, can_view: true, can_vote: false });
    expect(updated.data.ui).toEqual(params.ui);

    const next = presetParams("webinar-host");
    const replaced = await cf.realtimeKit.presets.replacePresetByID(id, {
      ...next,
      app_id,
      config: { ...next.config, view_type: "WEBINAR" },
    });
    expect(replaced.success).toBe(true);
    expect(replaced.data.id).toBe(id);
    expect(replaced.data).toMatchObject({ name: "webinar-host", config: { view_type: "WEBINAR", media: next.config.media } });

    const deleted = await cf.realtimeKit.presets.delete(id, { account_id, app_id });
    expect(deleted.success).toBe(true);
    expect(deleted.data).toBeNull(); // as the live API answers (the SDK types it as the preset)
    await expect(cf.realtimeKit.presets.getPresetByID(id, { account_id, app_id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("meetings: create, get (list), getMeetingByID, updateMeetingByID, replaceMeetingByID", async () => {
    const params = meetingParams("Daily standup");
    const created = await cf.realtimeKit.meetings.create(app_id, params);
    expect(created.success).toBe(true);
    const id = created.data!.id;
    expect(created.data).toMatchObject({ id: expect.any(String), title: "Daily standup", status: "ACTIVE", persist_chat: true });
    expect(created.data?.ai_config).toEqual(params.ai_config);
    // Write-only fields are accepted but never returned.
    expect(created.data).not.toHaveProperty("transcribe_on_end");
    expect(created.data?.recording_config?.storage_config).toEqual({ type: "aws", bucket: "recordings", region: "us-east-1", path: "meetings/" });

    const list = await cf.realtimeKit.meetings.get(app_id, {
      account_id,
      page_no: 1,
      per_page: 25,
      search: "standup",
      status: "ACTIVE",
      start_time: new Date(Date.now() - 60_000).toISOString(),
      end_time: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(list.success).toBe(true);
    expect(list.data.map((m) => m.id)).toEqual([id]);
    expect(list.paging.total_count).toBe(1);

    const read = await cf.realtimeKit.meetings.getMeetingByID(id, { account_id, app_id, name: "Alice" });
    expect(read.success).toBe(true);
    expect(read.data).toEqual(created.data);

    const update = {
      account_id,
      app_id,
      title: "Retro",
      status: "INACTIVE",
      ai_config: { summarization: { word_limit: 200 } },
    } satisfies MeetingUpdateMeetingByIDParams;
    const updated = await cf.realtimeKit.meetings.updateMeetingByID(id, update);
    expect(updated.success).toBe(true);
    expect(updated.data).toMatchObject({ id, title: "Retro", status: "INACTIVE" });
    expect(updated.data?.ai_config?.summarization).toEqual({ summary_type: "team_meeting", text_format: "markdown", word_limit: 200 });
    expect(updated.data?.ai_config?.transcription).toEqual(params.ai_config.transcription);

    const replaced = await cf.realtimeKit.meetings.replaceMeetingByID(id, { account_id, app_id, title: "Replaced", persist_chat: false });
    expect(replaced.success).toBe(true);
    expect(replaced.data).toMatchObject({ id, title: "Replaced", persist_chat: false, status: "INACTIVE" });
    expect(replaced.data).not.toHaveProperty("ai_config");
    expect((await cf.realtimeKit.meetings.getMeetingByID(id, { account_id, app_id })).data).toEqual(replaced.data);
  });

  it("webhooks: createWebhook, getWebhooks, getWebhookByID, editWebhook, replaceWebhook, deleteWebhook", async () => {
    const params = webhookParams("events");
    const created = await cf.realtimeKit.webhooks.createWebhook(app_id, params);
    expect(created.success).toBe(true);
    const id = created.data.id;
    expect(created.data).toEqual({ ...body(params), id: expect.any(String), created_at: expect.any(String), updated_at: expect.any(String) });

    const list = await cf.realtimeKit.webhooks.getWebhooks(app_id, { account_id });
    expect(list.success).toBe(true);
    expect(list.data).toEqual([created.data]);

    const read = await cf.realtimeKit.webhooks.getWebhookByID(id, { account_id, app_id });
    expect(read.data).toEqual(created.data);

    const edited = await cf.realtimeKit.webhooks.editWebhook(id, { account_id, app_id, enabled: false, events: ["meeting.summary"] });
    expect(edited.success).toBe(true);
    expect(edited.data).toMatchObject({ id, name: "events", url: params.url, enabled: false, events: ["meeting.summary"] });

    const replaced = await cf.realtimeKit.webhooks.replaceWebhook(id, {
      account_id,
      app_id,
      name: "events-v2",
      url: "https://hooks.example.com/rtk/v2",
      events: ["meeting.participantJoined", "meeting.participantLeft"],
    });
    expect(replaced.success).toBe(true);
    expect(replaced.data).toEqual({ id, name: "events-v2" }); // partial, as the live PUT answer
    expect((await cf.realtimeKit.webhooks.getWebhookByID(id, { account_id, app_id })).data).toMatchObject({
      id,
      name: "events-v2",
      url: "https://hooks.example.com/rtk/v2",
      enabled: true,
      created_at: created.data.created_at,
    });

    const deleted = await cf.realtimeKit.webhooks.deleteWebhook(id, { account_id, app_id });
    expect(deleted.success).toBe(true);
    expect(deleted.data).toBeNull(); // as the live API answers
    // The real API answers 404 for an app without webhooks.
    await expect(cf.realtimeKit.webhooks.getWebhooks(app_id, { account_id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("participants: addParticipant, getMeetingParticipants, getMeetingParticipant, editParticipant, refreshParticipantToken, deleteMeetingParticipant", async () => {
    await cf.realtimeKit.presets.create(app_id, presetParams("host"));
    const guest = (await cf.realtimeKit.presets.create(app_id, presetParams("guest"))).data;
    const meeting_id = (await cf.realtimeKit.meetings.create(app_id, meetingParams("Office hours"))).data!.id;

    const params = {
      account_id,
      app_id,
      custom_participant_id: "user-42",
      preset_name: "host",
      name: "Ada",
      picture: "https://example.com/ada.png",
    } satisfies MeetingAddParticipantParams;
    const added = await cf.realtimeKit.meetings.addParticipant(meeting_id, params);
    expect(added.success).toBe(true);
    const id = added.data!.id;
    expect(added.data).toEqual({ ...body(params), id: expect.any(String), token: expect.any(String), created_at: expect.any(String), updated_at: expect.any(String) });
    const { token: _token, ...participant } = added.data!;

    const list = await cf.realtimeKit.meetings.getMeetingParticipants(meeting_id, { account_id, app_id, page_no: 1, per_page: 10 });
    expect(list.success).toBe(true);
    expect(list.data).toEqual([participant]);
    expect(list.paging).toEqual({ start_offset: 0, end_offset: 0, total_count: 1 });

    const read = await cf.realtimeKit.meetings.getMeetingParticipant(id, { account_id, app_id, meeting_id });
    expect(read).toEqual({ success: true, data: participant });

    const edit = { account_id, app_id, meeting_id, name: "Ada Lovelace", preset_name: "guest", picture: null } satisfies MeetingEditParticipantParams;
    const edited = await cf.realtimeKit.meetings.editParticipant(id, edit);
    expect(edited.success).toBe(true);
    expect(edited.data).toMatchObject({ id, name: "Ada Lovelace", preset_name: "guest", picture: null, custom_participant_id: "user-42", token: added.data!.token });

    const refreshed = await cf.realtimeKit.meetings.refreshParticipantToken(id, { account_id, app_id, meeting_id });
    expect(refreshed.success).toBe(true);
    expect(refreshed.data.token).not.toBe(added.data!.token);

    const deleted = await cf.realtimeKit.meetings.deleteMeetingParticipant(id, { account_id, app_id, meeting_id });
    expect(deleted).toEqual({
      success: true,
      data: { created_at: added.data!.created_at, updated_at: expect.any(String), custom_participant_id: "user-42", preset_id: guest.id },
    });
    await expect(cf.realtimeKit.meetings.getMeetingParticipant(id, { account_id, app_id, meeting_id })).rejects.toBeInstanceOf(NotFoundError);

    // The rules a backend meets, as the SDK's error classes.
    const unknownPreset = cf.realtimeKit.meetings.addParticipant(meeting_id, { ...params, preset_name: "never-deployed" });
    await expect(unknownPreset).rejects.toBeInstanceOf(BadRequestError);
    await expect(unknownPreset).rejects.toThrow(/preset_name: .*never-deployed/);
    await cf.realtimeKit.meetings.addParticipant(meeting_id, params);
    await expect(cf.realtimeKit.meetings.addParticipant(meeting_id, params)).rejects.toBeInstanceOf(ConflictError);
    await cf.realtimeKit.meetings.updateMeetingByID(meeting_id, { account_id, app_id, status: "INACTIVE" });
    await expect(cf.realtimeKit.meetings.addParticipant(meeting_id, { ...params, custom_participant_id: "user-43" })).rejects.toBeInstanceOf(ConflictError);
    expect(em.store.list(account_id, "participants", app_id).map((p) => p.custom_participant_id)).toEqual(["user-42"]);
  });

  it("errors arrive as the SDK's own error classes", async () => {
    await expect(sdk("wrong-token").realtimeKit.apps.get({ account_id })).rejects.toBeInstanceOf(AuthenticationError);

    const bad = presetParams("bad");
    const rejected = cf.realtimeKit.presets.create(app_id, { ...bad, config: { ...bad.config, max_video_streams: { desktop: -1, mobile: 4 } } });
    await expect(rejected).rejects.toBeInstanceOf(BadRequestError);
    await expect(rejected).rejects.toThrow(/config\.max_video_streams\.desktop/);

    await cf.realtimeKit.webhooks.createWebhook(app_id, webhookParams("dup"));
    // Webhooks collide on the url, not the name.
    const duplicate = cf.realtimeKit.webhooks.createWebhook(app_id, { ...webhookParams("dup"), name: "another" });
    await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
    expect(em.store.list(account_id, "webhooks", app_id)).toHaveLength(1);
  });
});
