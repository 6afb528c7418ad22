// Arguments of the lookups (getApp, getPreset, getWebhook, getMeeting), by the
// resource kind each one finds: the TS SDK's argument types and the package
// schema's function inputs. Ours, not the API's: camelCase.
import { z } from "zod";
import { doc, isPathSegment } from "./common";

const SEGMENT = 'must be one URL path segment (not empty, no "/", not "." or "..")';
const id = () => z.string({ error: SEGMENT }).refine(isPathSegment, { error: SEGMENT });

const accountId = doc(id().optional(), "The account to look in; default: `realtimekit:accountId`, else `CLOUDFLARE_ACCOUNT_ID`.");
const appId = doc(id(), "ID of the app to look in.");

export const GetAppArgs = z.strictObject({
  name: doc(z.string(), "Name of the app; the account must have exactly one app of that name."),
  accountId,
});
export type GetAppArgs = z.infer<typeof GetAppArgs>;

export const GetPresetArgs = z.strictObject({
  appId,
  name: doc(z.string(), "Name of the preset (unique within an app)."),
  accountId,
});
export type GetPresetArgs = z.infer<typeof GetPresetArgs>;

export const GetWebhookArgs = z.strictObject({
  appId,
  name: doc(z.string(), "Name of the webhook; the app must have exactly one webhook of that name."),
  accountId,
});
export type GetWebhookArgs = z.infer<typeof GetWebhookArgs>;

export const GetMeetingArgs = z.strictObject({
  appId,
  title: doc(z.string(), "Title of the meeting; the app must have exactly one meeting of that title (read one of several by its id with `Meeting.get`)."),
  accountId,
});
export type GetMeetingArgs = z.infer<typeof GetMeetingArgs>;

/** Each lookup's arguments by the kind it finds: `get<Kind>`. */
export const LookupArgs = { App: GetAppArgs, Preset: GetPresetArgs, Webhook: GetWebhookArgs, Meeting: GetMeetingArgs };
