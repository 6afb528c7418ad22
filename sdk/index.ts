// pulumi-realtimekit: Cloudflare RealtimeKit apps, presets, meetings and webhooks as Pulumi resources.
export { App, type AppArgs } from "./app";
export { Preset, type PresetArgs } from "./preset";
export { Meeting, type MeetingArgs } from "./meeting";
export { Webhook, type WebhookArgs } from "./webhook";
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
