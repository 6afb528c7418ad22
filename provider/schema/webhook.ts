// Webhook: where RealtimeKit posts events of an app.
import { z } from "zod";
import { defaulted, doc, serverFields, uri } from "./common";

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

/** Body of `POST /{app_id}/webhooks` and of PUT. */
export const WebhookCreate = z.strictObject({
  name: doc(z.string().min(1), "Name of the webhook; unique within the app."),
  url: doc(uri(), "URL the webhook sends events to; unique within the app."),
  events: doc(z.array(z.enum(WEBHOOK_EVENTS)), "Events this webhook sends updates for."),
  enabled: defaulted(z.boolean().optional(), "Whether the webhook is active.", true, "openapi"),
});
export type WebhookCreate = z.infer<typeof WebhookCreate>;

/** Body of `PATCH /{app_id}/webhooks/{webhook_id}`. */
export const WebhookUpdate = WebhookCreate.partial();
export type WebhookUpdate = z.infer<typeof WebhookUpdate>;

/** A webhook as the API returns it. */
export const Webhook = z.strictObject({ ...serverFields, ...WebhookCreate.shape, enabled: doc(z.boolean(), "Whether the webhook is active.") });
export type Webhook = z.infer<typeof Webhook>;
