// Lookups by name, like the `getX` functions of official providers: the program
// reads an existing object (not a resource: nothing is managed), e.g. the app a platform team
// created, to put a webhook in it. They run in the program, with the
// provider's credentials: stack config (`realtimekit:accountId`, `apiToken`,
// `baseUrl`), else the environment; `accountId` picks another account. The
// lookups themselves are the provider's (provider/lookups.ts), which the plugin's
// Invoke runs too; their arguments are declared once, as zod schemas (provider/schema/lookups.ts).
import * as pulumi from "@pulumi/pulumi";
import * as lookups from "../provider/lookups";
import type { GetAppResult, GetMeetingResult, GetPresetResult, GetWebhookResult, LookupName } from "../provider/lookups";
import type { GetAppArgs, GetMeetingArgs, GetPresetArgs, GetWebhookArgs } from "../provider/schema";

export type { GetAppArgs, GetAppResult, GetMeetingArgs, GetMeetingResult, GetPresetArgs, GetPresetResult, GetWebhookArgs, GetWebhookResult };

/** The program's stack config, where the provider has the engine's Configure. */
const stackConfig = { get: (key: string) => pulumi.runtime.getConfig(key) };

const run = <T>(name: LookupName, args: object) => lookups.lookup(name, { ...args }, stackConfig) as Promise<T>;

/**
 * The app named `name`. Fails when the account has none or several of that name.
 * @example
 * const app = await rtk.getApp({ name: "support-calls" });
 * new rtk.Webhook("events", { appId: app.id, name: "events", url: "https://ops.example.com/rtk", events: ["meeting.ended"] });
 */
export const getApp = (args: GetAppArgs): Promise<GetAppResult> => run("getApp", args);

/**
 * The preset named `name` in app `appId` (preset names are unique within an app).
 * @example
 * const host = await rtk.getPreset({ appId, name: "host" });
 * export const hostPresetId = host.id;
 */
export const getPreset = (args: GetPresetArgs): Promise<GetPresetResult> => run("getPreset", args);

/**
 * The webhook named `name` in app `appId`.
 * @example
 * const events = await rtk.getWebhook({ appId, name: "events" });
 * export const eventsUrl = events.url;
 */
export const getWebhook = (args: GetWebhookArgs): Promise<GetWebhookResult> => run("getWebhook", args);

/**
 * The meeting titled `title` in app `appId`. Titles need not be unique: several
 * meetings with the title fail, naming their ids (use `Meeting.get` with one).
 * @example
 * const standup = await rtk.getMeeting({ appId, title: "Daily standup" });
 * export const standupId = standup.id;
 */
export const getMeeting = (args: GetMeetingArgs): Promise<GetMeetingResult> => run("getMeeting", args);
