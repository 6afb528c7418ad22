// Participant: a user enrolled in a meeting with one of the app's presets; the
// token the answer carries is what the browser or mobile SDK joins with. Not a
// Pulumi resource (participants are per user, made by a backend at join time):
// only the emulator serves them, validating with these schemas.
import { z } from "zod";
import { doc, PageQuery, serverFields, uri } from "./common";

// Length caps of the free text fields: no public source gives the live API's
// limits, so these are generous (the emulator's choice, docs/api-behaviour.md).
const TEXT_MAX = 1024;
const URL_MAX = 2048;

/** Body of `POST /{app_id}/meetings/{meeting_id}/participants`. */
export const ParticipantCreate = z.strictObject({
  // Required by the reference and the SDK; the Cloudflare docs' Participant page says it is optional: accepted either way.
  custom_participant_id: doc(
    z.string().min(1).max(TEXT_MAX).optional(),
    "Your own unique ID for this participant (e.g. a user id); unique within the meeting.",
  ),
  preset_name: doc(z.string().min(1), "Name of the preset of the meeting's app to apply to this participant."),
  name: doc(z.string().max(TEXT_MAX).nullable().optional(), "Name of the participant."),
  picture: doc(uri().max(URL_MAX).nullable().optional(), "URL of a picture of the participant."),
});
export type ParticipantCreate = z.infer<typeof ParticipantCreate>;

/** Body of `PATCH .../participants/{participant_id}`: only these fields can change. */
export const ParticipantUpdate = z.strictObject({
  name: ParticipantCreate.shape.name,
  picture: ParticipantCreate.shape.picture,
  preset_name: doc(ParticipantCreate.shape.preset_name.nullable().optional(), "Name of the preset to apply from now on (null: unchanged)."),
});
export type ParticipantUpdate = z.infer<typeof ParticipantUpdate>;

/** A participant as get and list answer it: no token. */
export const Participant = z.strictObject({
  ...serverFields,
  custom_participant_id: ParticipantCreate.shape.custom_participant_id,
  preset_name: doc(z.string(), "Name of the preset applied to the participant."),
  name: ParticipantCreate.shape.name,
  picture: ParticipantCreate.shape.picture,
});
export type Participant = z.infer<typeof Participant>;

/** A participant as add and edit answer it. */
export const ParticipantWithToken = Participant.extend({
  token: doc(z.string().min(1), "The participant's auth token, which the client SDK joins the meeting with."),
});
export type ParticipantWithToken = z.infer<typeof ParticipantWithToken>;

/** What DELETE answers: a reduced participant, with the preset's id instead of its name (the reference). */
export const DeletedParticipant = z.strictObject({
  created_at: serverFields.created_at,
  updated_at: serverFields.updated_at,
  custom_participant_id: ParticipantCreate.shape.custom_participant_id,
  preset_id: doc(z.guid(), "ID of the preset applied to the participant."),
});
export type DeletedParticipant = z.infer<typeof DeletedParticipant>;

/** Body of `POST .../participants/{participant_id}/token`: none (the SDK sends none); `{}` is accepted. */
export const ParticipantTokenRefresh = z.strictObject({}).optional();

/** What `POST .../participants/{participant_id}/token` answers. */
export const ParticipantToken = z.strictObject({ token: ParticipantWithToken.shape.token });

/** Query of `GET .../participants`: paging only. */
export const ParticipantListQuery = PageQuery.pick({ page_no: true, per_page: true });
