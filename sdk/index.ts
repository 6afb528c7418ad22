// pulumi-realtimekit: Cloudflare RealtimeKit apps, presets, meetings and webhooks as Pulumi resources.
export { App, type AppArgs } from "./app";
export { Preset, type PresetArgs } from "./preset";
export {
  audioRoomListener,
  audioRoomSpeaker,
  groupCallHost,
  groupCallParticipant,
  livestreamHost,
  livestreamViewer,
  webinarPresenter,
  webinarViewer,
  type PresetRole,
  type PresetSections,
} from "../provider/presets";
export { Meeting, type MeetingArgs } from "./meeting";
export { Webhook, type WebhookArgs } from "./webhook";
export {
  getApp,
  getMeeting,
  getPreset,
  getWebhook,
  type GetAppArgs,
  type GetAppResult,
  type GetMeetingArgs,
  type GetMeetingResult,
  type GetPresetArgs,
  type GetPresetResult,
  type GetWebhookArgs,
  type GetWebhookResult,
} from "./lookups";
export type { GetState, InAppGetState } from "./types";
export {
  appFromDir,
  loadAppDir,
  loadMeetings,
  loadPresets,
  loadWebhooks,
  meetingsFromFile,
  presetsFromDir,
  webhooksFromDir,
  type AppFile,
  type ConfigSecret,
  type LoadedFile,
  type MeetingFile,
  type PresetFile,
  type WebhookFile,
} from "./gitops";
export {
  fetchWebhookPublicKey,
  verifyWebhookSignature,
  WEBHOOK_PUBLIC_KEY_URL,
  type WebhookPublicKeyOptions,
} from "./webhook-signature";
