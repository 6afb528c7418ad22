// The names a preset's `role` argument takes (ours, never sent to the API). The
// templates they stand for are ../presets/roles.ts, whose type requires one for
// each name. The names live here, below both, so that the templates import the
// schemas and never the other way round.

/** Every role, by the name the `role` argument takes; the first is the default. */
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
