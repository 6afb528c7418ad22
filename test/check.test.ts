// Bad input fails at `check`, in the dynamic-provider host, naming the
// argument's path and what is allowed, before any request reaches the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProgramError, runProgram } from "./harness";
import { meetingArgs, presetArgs, webhookArgs } from "./fixtures/args";
import { sdk, startStack, type Stack } from "./support/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Kind = "App" | "Preset" | "Meeting" | "Webhook";
type Args = Record<string, any>;

/** Deep-sets `value` at a dotted path in a copy of `base` (undefined deletes). */
function withValue(base: Args, path: string, value: unknown): Args {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let cur = copy;
  for (const k of keys.slice(0, -1)) cur = cur[k] ??= {};
  if (value === undefined) delete cur[keys.at(-1)!];
  else cur[keys.at(-1)!] = value;
  return copy;
}

const base: Record<Kind, () => Args> = {
  App: () => ({ name: "bad-input-app" }),
  Preset: () => ({ appId: "app-1", ...presetArgs() }),
  Meeting: () => ({ appId: "app-1", ...meetingArgs() }),
  Webhook: () => ({ appId: "app-1", ...webhookArgs() }),
};

// [kind, argument path, bad value, what the message must say]
const corpus: [Kind, string, unknown, RegExp][] = [
  ["App", "name", undefined, /required/],
  ["App", "name", 42, /expected string/],
  ["App", "name", "", /too small|>=1/i],
  ["App", "importId", "a/b", /importId: must be "<appId>"/],
  ["Preset", "appId", undefined, /appId: required/],
  ["Preset", "name", undefined, /required/],
  ["Preset", "config.viewType", "MEETING", /"GROUP_CALL"\|"WEBINAR"\|"AUDIO_ROOM"\|"LIVESTREAM"/],
  ["Preset", "config.media.video.quality", "4k", /"hd"\|"vga"\|"qvga"\|"fhd"\|"uhd"/],
  ["Preset", "config.media.video.frameRate", 60, /<=30/],
  ["Preset", "config.media.screenshare.frameRate", 2.5, /expected int/],
  ["Preset", "config.maxScreenshareCount", "one", /expected number/],
  ["Preset", "config.maxVideoStreams.desktop", -1, />=0/],
  ["Preset", "config.maxVideoStreams", 9, /expected object/],
  // Our own argument: an unknown role names the allowed ones.
  ["Preset", "role", "moderator", /role: Invalid option: expected one of "groupCallParticipant"\|"groupCallHost"\|"webinarPresenter"\|"webinarViewer"\|"livestreamHost"\|"livestreamViewer"\|"audioRoomSpeaker"\|"audioRoomListener"/],
  ["Preset", "ui.designTokens.theme", "neon", /"darkest"\|"dark"\|"light"/],
  ["Preset", "ui.designTokens.borderRadius", "square", /"sharp"\|"rounded"\|"extra-rounded"\|"circular"/],
  ["Preset", "ui.designTokens.colors.background.1000", "", />=1/],
  ["Preset", "ui.designTokens.colours", {}, /colours: unknown argument/],
  ["Preset", "permissions.media.video.canProduce", "MAYBE", /"ALLOWED"\|"NOT_ALLOWED"\|"CAN_REQUEST"/],
  ["Preset", "permissions.waitingRoomType", "LOBBY", /"SKIP"\|"ON_PRIVILEGED_USER_ENTRY"\|"SKIP_ON_ACCEPT"/],
  ["Preset", "permissions.recorderType", "BOT", /"RECORDER"\|"LIVESTREAMER"\|"NONE"/],
  ["Preset", "permissions.kickParticipant", "yes", /expected boolean/],
  ["Preset", "permissions.chat.public.canSend", null, /expected boolean/],
  ["Meeting", "sessionKeepAliveTimeInSecs", 30, />=60/],
  ["Meeting", "sessionKeepAliveTimeInSecs", 601, /<=600/],
  ["Meeting", "aiConfig.summarization.wordLimit", 100, />=150/],
  ["Meeting", "aiConfig.summarization.wordLimit", 5000, /<=1000/],
  ["Meeting", "aiConfig.summarization.summaryType", "poem", /"general"\|"team_meeting"/],
  ["Meeting", "aiConfig.transcription.language", "xx", /"en-US"\|"en-IN"/],
  ["Meeting", "recordingConfig.maxSeconds", 10, />=60/],
  ["Meeting", "recordingConfig.maxSeconds", 90000, /<=86400/],
  ["Meeting", "recordingConfig.videoConfig.width", 4096, /<=1920/],
  ["Meeting", "recordingConfig.videoConfig.height", 0, />=1/],
  ["Meeting", "recordingConfig.videoConfig.codec", "AV1", /"H264"\|"VP8"\|"VP9"/],
  ["Meeting", "recordingConfig.videoConfig.watermark.url", "not a url", /URL/i],
  ["Meeting", "recordingConfig.videoConfig.watermark.position", "center", /"left top"\|"right top"/],
  ["Meeting", "recordingConfig.audioConfig.codec", "FLAC", /"MP3"\|"AAC"/],
  ["Meeting", "recordingConfig.storageConfig.type", "dropbox", /"aws"\|"azure"\|"digitalocean"\|"gcs"\|"sftp"/],
  ["Meeting", "recordingConfig.liveStreamingConfig.rtmpUrl", "rtmp server", /URL/i],
  ["Meeting", "status", "PAUSED", /"ACTIVE"\|"INACTIVE"/],
  ["Meeting", "recordOnStart", "true", /expected boolean/],
  ["Meeting", "importId", "just-an-id", /importId: must be "<appId>\/<meetingId>"/],
  ["Webhook", "url", "ops.example.com/hook", /URL/i],
  ["Webhook", "url", undefined, /required/],
  ["Webhook", "events", ["meeting.started", "meeting.exploded"], /"meeting.started"\|"meeting.ended"/],
  ["Webhook", "events", "meeting.started", /expected array/],
  ["Webhook", "enabled", "on", /expected boolean/],
  ["Webhook", "secretHeader", "x", /secretHeader: unknown argument/],
  // Ids become URL path segments: ".." would send the request to another URL (`POST …/realtime/presets`).
  ["Preset", "appId", "..", /appId: must be one URL path segment \(no "\/", not "\." or "\.\."\), got "\.\."/],
  ["Preset", "appId", ".", /must be one URL path segment/],
  ["Webhook", "appId", "app/presets", /must be one URL path segment/],
  ["Meeting", "appId", 42, /appId: must be a string \(the id of the RealtimeKit app\), got 42/],
  ["Preset", "appId", "", /appId: required/],
  ["Preset", "importId", "app-1/..", /importId: must be "<appId>\/<presetId>".*not "\." or "\.\."/],
  ["Webhook", "importId", "app-1/", /importId: must be/],
  ["Meeting", "importId", "app-1/a/b", /importId: must be/],
  ["App", "importId", "..", /importId: must be "<appId>"/],
  ["App", "importId", 7, /importId: must be "<appId>".*got 7/],
  // Malformed text (a lone UTF-16 surrogate) goes into no URL: `up` failed with a bare "URI malformed" (issue 18, 2.7).
  // Lone low surrogates, or a high one at the end: Pulumi's protobuf encoding passes these on as they are.
  ["App", "accountId", "acct\udc00", /accountId: malformed text: a lone UTF-16 surrogate \(half of a pair\) at index 4 \(a Cloudflare account id, one URL path segment\)/],
  ["Webhook", "accountId", "acct\ud800", /accountId: malformed text: .* at index 4/],
  ["Preset", "appId", "\udc00app", /appId: malformed text: .* at index 0 \(the id of the RealtimeKit app/],
  ["Meeting", "importId", "app-1/m\udc00", /importId: must be "<appId>\/<meetingId>".*no lone UTF-16 surrogate/],
  ["App", "importId", "a\udc00", /importId: must be "<appId>".*no lone UTF-16 surrogate/],
  // Names go into the query of a lost create's lookup (`?search=`), and any text is mangled on its way.
  ["Meeting", "title", "Daily\udc00", /title: malformed text: a lone UTF-16 surrogate \(half of a pair\) at index 5$/m],
  ["Preset", "name", "host\udc00", /name: malformed text/],
  ["Webhook", "events", ["meeting.started", "x\udc00"], /events\[1\]: malformed text/],
];

describe("invalid arguments fail at check, naming the argument, with no request sent", () => {
  it(`the corpus has at least 30 cases across the four resources (${corpus.length})`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(new Set(corpus.map(([k]) => k))).toEqual(new Set(["App", "Preset", "Meeting", "Webhook"]));
  });

  it.each(corpus)("%s %s = %j", async (kind, path, value, reason) => {
    stack.em.requests.reset();
    const args = withValue(base[kind](), path, value);
    const error = await runProgram(() => void new (sdk()[kind])("bad", args as never), { host: stack.host }).catch((e) => e);
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toContain("check failed");
    // The argument's path, down to the list item where one is wrong (events[1]).
    expect(error.message).toMatch(new RegExp(`${path.replace(/\./g, "\\.")}(\\[\\d+\\])?: `));
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain(stack.token);
    expect(stack.em.requests.total()).toBe(0);
  });

  // Keys are text too. Where a key is a fixed field, an unknown one is refused anyway; a free-form
  // map (plugin access by plugin id, the UI's configDiff at any depth) takes any key but a malformed one.
  // The key is named escaped, never quoted as it is.
  it.each([
    ["permissions.plugins.config", { "\udc00": { accessControl: "FULL_ACCESS" } }, 'permissions.plugins.config["\\udc00"]', 0],
    ["ui.configDiff", { sidebar: { "ab\udc00": true } }, 'ui.configDiff.sidebar["ab\\udc00"]', 2],
  ])("a lone surrogate in a key of the free-form map %s: fails check naming the key, with no request sent", async (path, map, property, index) => {
    stack.em.requests.reset();
    const args = withValue(base.Preset(), path, map);
    const error = await runProgram(() => void new (sdk().Preset)("bad", args as never), { host: stack.host }).catch((e) => e);
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toContain("check failed");
    expect(error.message).toContain(`${property}: a key of malformed text: a lone UTF-16 surrogate (half of a pair) at index ${index}`);
    expect(error.message).not.toMatch(/\p{Cs}/u);
    expect(stack.em.requests.total()).toBe(0);
  });

  it("valid arguments pass check for every resource", async () => {
    stack.em.requests.reset();
    for (const kind of Object.keys(base) as Kind[]) {
      const state = await runProgram(() => void new (sdk()[kind])("ok", base[kind]() as never), { host: stack.host }).catch((e) => e);
      // Only the App can be created with a made-up appId; the others reach the API and get its 404.
      if (kind === "App") expect(state.steps).toEqual([expect.objectContaining({ op: "create" })]);
      else expect(String(state.message)).toMatch(/HTTP 404/);
    }
  });
});
