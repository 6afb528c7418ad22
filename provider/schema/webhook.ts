// Webhook: where RealtimeKit posts events of an app.
import { z } from "zod";
import { defaulted, doc, oneOf, serverFields, uri } from "./common";

export const WEBHOOK_EVENTS = [
  "meeting.started",
  "meeting.ended",
  "meeting.participantJoined",
  "meeting.participantLeft",
  "meeting.chatSynced",
  "recording.statusUpdate",
  "livestreaming.statusUpdate",
  "meeting.transcript",
  "meeting.summary",
] as const;

// When RealtimeKit sends each event (developers.cloudflare.com/realtime/realtimekit/webhooks/).
const EVENT_ABOUT = {
  "meeting.started": { description: "A meeting started: its first participant joined." },
  "meeting.ended": { description: "A meeting ended." },
  "meeting.participantJoined": { description: "A participant joined a meeting." },
  "meeting.participantLeft": { description: "A participant left a meeting." },
  "meeting.chatSynced": { description: "A meeting's chat was saved." },
  "recording.statusUpdate": { description: "A recording's status changed." },
  "livestreaming.statusUpdate": { description: "A livestream's status changed." },
  "meeting.transcript": { description: "A meeting's transcript is ready." },
  "meeting.summary": { description: "A meeting's summary is ready." },
};

/** Body of `POST /{app_id}/webhooks` and of PUT. */
export const WebhookCreate = z.strictObject({
  name: doc(z.string().min(1), "Name of the webhook; unique within the app."),
  url: doc(uri(), "URL the webhook sends events to; unique within the app."),
  events: doc(z.array(oneOf(WEBHOOK_EVENTS, { values: EVENT_ABOUT })), "Events this webhook sends updates for."),
  enabled: defaulted(z.boolean().optional(), "Whether the webhook is active.", true, "openapi"),
});
export type WebhookCreate = z.infer<typeof WebhookCreate>;

/** Body of `PATCH /{app_id}/webhooks/{webhook_id}`. */
export const WebhookUpdate = WebhookCreate.partial();
export type WebhookUpdate = z.infer<typeof WebhookUpdate>;

/** A webhook as the API returns it. */
export const Webhook = z.strictObject({ ...serverFields, ...WebhookCreate.shape, enabled: doc(z.boolean(), "Whether the webhook is active.") });
export type Webhook = z.infer<typeof Webhook>;
