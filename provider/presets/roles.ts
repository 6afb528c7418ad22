// Role templates: the full `config`, `ui` and `permissions` of the roles
// RealtimeKit's own default presets have. A preset's `role` argument picks one
// and the user's keys merge over it (desired.ts). What each role may do comes
// from RealtimeKit's public docs, cited on each function; where they are silent
// the template denies. Frozen like the defaults: test/presets.test.ts pins every
// template, and changing one is a breaking change (CHANGELOG.md).
//
// Sources:
//   [presets]    Dyte's preset guide (RealtimeKit was Dyte): docs.dyte.io/guides/capabilities/presets
//   [concept]    developers.cloudflare.com/realtime/realtimekit/concepts/preset
//   [livestream] docs.dyte.io/guides/livestream/advanced/configuring-permissions, and
//                docs.realtime.cloudflare.com/ios-core/livestream/introduction
//   [stage]      developers.cloudflare.com/realtime/realtimekit/core/stage-management, and
//                docs.realtime.cloudflare.com/ios-core/stage-management/host-controls
//   [voice]      developers.cloudflare.com/realtime/realtimekit/voice-meetings
import { defaultConfig, defaultUi, type PresetPermissions, type PresetSections, type ViewType } from "./defaults";
import { deepMerge } from "./merge";
import type { DeepPartial, PresetRole } from "../schema";

export { DEFAULT_ROLE, ROLE_NAMES, type PresetRole } from "../schema";

type Changes = DeepPartial<PresetPermissions>;

/** Deep-frozen: the templates below are built from these and must never change at run time. */
function frozen<T>(v: T): T {
  if (v && typeof v === "object") Object.values(Object.freeze(v)).forEach(frozen);
  return v;
}

/**
 * A group-call participant [presets]: talks, shows video, shares the screen,
 * chats, creates polls and votes. Silent in the docs, so denied: moderating
 * others, recording, livestreaming, spotlighting, plugins, breakout rooms.
 */
const PARTICIPANT: PresetPermissions = frozen({
  acceptWaitingRequests: false,
  canAcceptProductionRequests: false,
  canChangeParticipantPermissions: false,
  // [presets]: even a webinar viewer may edit their display name.
  canEditDisplayName: true,
  canLivestream: false,
  canRecord: false,
  canSpotlight: false,
  chat: {
    private: { canReceive: true, canSend: true, files: true, text: true },
    public: { canSend: true, files: true, text: true },
  },
  connectedMeetings: { canAlterConnectedMeetings: false, canSwitchConnectedMeetings: false, canSwitchToParentMeeting: false },
  disableParticipantAudio: false,
  disableParticipantScreensharing: false,
  disableParticipantVideo: false,
  hiddenParticipant: false,
  kickParticipant: false,
  media: { audio: { canProduce: "ALLOWED" }, screenshare: { canProduce: "ALLOWED" }, video: { canProduce: "ALLOWED" } },
  pinParticipant: false,
  plugins: { canClose: false, canEditConfig: false, canStart: false, config: {} },
  polls: { canCreate: true, canView: true, canVote: true },
  recorderType: "NONE",
  showParticipantList: true,
  // No waiting room: one would lock out a meeting that has no host in it.
  waitingRoomType: "SKIP",
});

/**
 * What every host role may do besides a participant: the host controls of
 * [concept] and [livestream]: remove participants, mute their audio, turn off
 * their video, pin, record, change their preset, admit them from the waiting
 * room. Silent, so denied: stopping others' screen shares, spotlight, breakout rooms.
 */
const HOST_CONTROLS: Changes = frozen({
  acceptWaitingRequests: true,
  canChangeParticipantPermissions: true,
  canRecord: true,
  disableParticipantAudio: true,
  disableParticipantVideo: true,
  kickParticipant: true,
  pinParticipant: true,
});

/** A host of a stage [stage]: goes on stage directly and lets viewers on (accepts their requests). */
const STAGE_HOST: Changes = frozen({ canAcceptProductionRequests: true, stageEnabled: true, stageAccess: "ALLOWED", acceptStageRequests: true });

/**
 * A viewer [presets]: edits their display name, views polls and votes; chats
 * in public ([concept]: "cannot share media but can use features like chat").
 * Silent, so denied: creating polls, private chat, files in chat, the
 * participant list.
 */
const VIEWER: Changes = frozen({
  chat: {
    private: { canReceive: false, canSend: false, files: false, text: false },
    public: { canSend: true, files: false, text: true },
  },
  media: { audio: { canProduce: "NOT_ALLOWED" }, screenshare: { canProduce: "NOT_ALLOWED" }, video: { canProduce: "NOT_ALLOWED" } },
  polls: { canCreate: false, canView: true, canVote: true },
  showParticipantList: false,
});

const sections = (viewType: ViewType, ...changes: Changes[]): PresetSections => ({
  config: defaultConfig(viewType),
  ui: defaultUi(),
  permissions: changes.reduce<PresetPermissions>((p, c) => deepMerge(p, c), structuredClone(PARTICIPANT)),
});

/**
 * Group-call participant, the role of a preset without `role`: audio, video,
 * screen share, chat, polls ([presets]); no moderation, recording, plugins or
 * breakout rooms (the docs are silent: denied). No waiting room.
 */
export const groupCallParticipant = (): PresetSections => sections("GROUP_CALL");

/**
 * Group-call host: a participant who may also remove participants, mute their
 * audio and turn off their video ([presets], [concept]), pin, record, change
 * their preset and admit them from the waiting room ([livestream]'s host
 * controls). The docs are silent on spotlight, stopping others' screen shares,
 * plugins, breakout rooms and media requests: denied.
 */
export const groupCallHost = (): PresetSections => sections("GROUP_CALL", HOST_CONTROLS);

/**
 * Webinar presenter: on stage directly, accepts viewers' requests to join it
 * ([stage]); removes participants, mutes their audio and video, records,
 * starts and closes plugins ([presets]), with the other host controls of
 * `groupCallHost`. Silent, so denied: editing plugin config, spotlight,
 * stopping others' screen shares, breakout rooms.
 */
export const webinarPresenter = (): PresetSections =>
  sections("WEBINAR", HOST_CONTROLS, STAGE_HOST, { plugins: { canClose: true, canStart: true } });

/**
 * Webinar viewer: edits their display name, views polls and votes ([presets]);
 * shares no media, chats in public ([concept]). Stage enabled without access:
 * to let viewers ask to join the stage, set
 * `permissions: { stageAccess: "CAN_REQUEST", media: { audio: { canProduce: "CAN_REQUEST" }, video: { canProduce: "CAN_REQUEST" } } }`.
 * Silent, so denied: creating polls, private chat, files in chat, the participant list.
 */
export const webinarViewer = (): PresetSections =>
  sections("WEBINAR", VIEWER, { stageEnabled: true, stageAccess: "NOT_ALLOWED", acceptStageRequests: false });

/**
 * Livestream host: starts the livestream, removes participants, mutes their
 * audio and video, pins, records, and admits viewers to the stage ([livestream],
 * [stage]), with the other host controls of `groupCallHost`. Silent, so
 * denied: plugins, spotlight, stopping others' screen shares, breakout rooms.
 */
export const livestreamHost = (): PresetSections => sections("LIVESTREAM", HOST_CONTROLS, STAGE_HOST, { canLivestream: true });

/**
 * Livestream viewer: watches, and may ask to join the stage with audio and
 * video ([livestream]: "viewers can request to join it"; [stage]: a viewer's
 * media permission is "can request"). Otherwise a webinar viewer ([stage]
 * treats webinar and livestream viewers alike). Silent, so denied: screen
 * share, creating polls, private chat, files in chat, the participant list.
 */
export const livestreamViewer = (): PresetSections =>
  sections("LIVESTREAM", VIEWER, {
    media: { audio: { canProduce: "CAN_REQUEST" }, video: { canProduce: "CAN_REQUEST" } },
    stageEnabled: true,
    stageAccess: "CAN_REQUEST",
    acceptStageRequests: false,
  });

/**
 * Audio-room speaker: speaks and hears others, no camera ([voice]: "cannot use
 * their camera"); chat and polls as a group-call participant. Silent, so
 * denied: screen share, and the moderation a host has.
 */
export const audioRoomSpeaker = (): PresetSections =>
  sections("AUDIO_ROOM", { media: { screenshare: { canProduce: "NOT_ALLOWED" }, video: { canProduce: "NOT_ALLOWED" } } });

/**
 * Audio-room listener: hears the speakers ([voice]), with a viewer's chat and
 * polls (see `webinarViewer`). The docs are silent on listeners asking to
 * speak: denied; set `permissions: { media: { audio: { canProduce: "CAN_REQUEST" } } }` to allow it.
 */
export const audioRoomListener = (): PresetSections => sections("AUDIO_ROOM", VIEWER);

/** Every role's template, by its name (../schema/roles.ts lists the names, in this order). */
export const ROLES: { readonly [R in PresetRole]: () => PresetSections } = {
  groupCallParticipant,
  groupCallHost,
  webinarPresenter,
  webinarViewer,
  livestreamHost,
  livestreamViewer,
  audioRoomSpeaker,
  audioRoomListener,
};
