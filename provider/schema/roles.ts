// The names a preset's `role` argument takes (ours, never sent to the API). The
// templates they stand for are ../presets/roles.ts, whose type requires one for
// each name. The names live here, below both, so that the templates import the
// schemas and never the other way round.

/** Every role, by the name the `role` argument takes. */
export const ROLE_NAMES = [
  "groupCallParticipant",
  "groupCallHost",
  "webinarPresenter",
  "webinarViewer",
  "livestreamHost",
  "livestreamViewer",
  "audioRoomSpeaker",
  "audioRoomListener",
] as const;
export type PresetRole = (typeof ROLE_NAMES)[number];

/** The role of a preset whose arguments name none. */
export const DEFAULT_ROLE: PresetRole = "groupCallParticipant";

/** What each role is, in a line (the templates' TSDoc, ../presets/roles.ts, says what each may do and why). */
export const ROLE_ABOUT: { readonly [R in PresetRole]: { description: string } } = {
  groupCallParticipant: { description: "A group-call participant: talks, shows video, shares the screen, chats, votes." },
  groupCallHost: { description: "A group-call host: a participant who also moderates, records and admits from the waiting room." },
  webinarPresenter: { description: "A webinar presenter: on stage directly, lets viewers on, with a host's controls." },
  webinarViewer: { description: "A webinar viewer: watches, chats in public, votes." },
  livestreamHost: { description: "A livestream host: starts the livestream, with a host's controls." },
  livestreamViewer: { description: "A livestream viewer: watches, and may ask to join the stage." },
  audioRoomSpeaker: { description: "An audio-room speaker: speaks and hears others, no camera." },
  audioRoomListener: { description: "An audio-room listener: hears the speakers." },
};
