// Lookups by name, like the `getX` functions of official providers: the program
// reads an existing object (not a resource: nothing is managed), e.g. the app a
// platform team created, to put a webhook in it. They run in the program, with the
// provider's credentials: stack config (`realtimekit:accountId`, `apiToken`,
// `baseUrl`), else the environment; `accountId` picks another account.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { all } from "../provider/client";
import { App, convertKeys, Meeting, Preset, Webhook, type GetAppArgs, type GetMeetingArgs, type GetPresetArgs, type GetWebhookArgs } from "../provider/schema";
import { client, defaultAccountId } from "../provider/settings";
import type { CamelKeys } from "./types";

// The arguments are declared once, as zod schemas (provider/schema/lookups.ts).
export type { GetAppArgs, GetMeetingArgs, GetPresetArgs, GetWebhookArgs };

/** The object as the API returns it, in camelCase (as the resource's outputs), with the account (and app) it is in. */
type Found<S extends z.ZodType, InApp extends boolean> = CamelKeys<z.infer<S>> & { id: string; accountId: string } & (InApp extends true
    ? { appId: string }
    : unknown);
export type GetAppResult = Found<typeof App, false>;
export type GetPresetResult = Found<typeof Preset, true>;
export type GetWebhookResult = Found<typeof Webhook, true>;
export type GetMeetingResult = Found<typeof Meeting, true>;

/** The program's stack config, where the provider has the engine's Configure. */
const stackConfig = { get: (key: string) => pulumi.runtime.getConfig(key) };

/** The client for the account (failing first when a credential is missing), and the account's id. */
function api(accountId: string | undefined) {
  const rk = client(accountId, stackConfig);
  return { rk, accountId: (accountId || defaultAccountId(stackConfig))! };
}

/** The one match; zero or several fail, naming what was looked for and where. */
function one<T extends { id: string }>(fn: string, what: string, where: string, matches: T[], others: string[]): T {
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const known = others.length ? `; there: ${others.map((n) => JSON.stringify(n)).join(", ")}` : "; there are none";
    throw new Error(`${fn}: no ${what} in ${where}${known}`);
  }
  throw new Error(`${fn}: ${matches.length} matches for ${what} in ${where} (ids ${matches.map((m) => m.id).join(", ")}): use the id instead`);
}

/**
 * The app named `name`. Fails when the account has none or several of that name.
 * @example
 * const app = await rtk.getApp({ name: "support-calls" });
 * new rtk.Webhook("events", { appId: app.id, name: "events", url: "https://ops.example.com/rtk", events: ["meeting.ended"] });
 */
export async function getApp(args: GetAppArgs): Promise<GetAppResult> {
  const { rk, accountId } = api(args.accountId);
  const apps = await all(rk.apps.list());
  const found = one("getApp", `app named ${JSON.stringify(args.name)}`, `account ${accountId}`, apps.filter((a) => a.name === args.name), apps.map((a) => a.name));
  return { ...(convertKeys(App, found, "camel") as CamelKeys<App>), id: found.id, accountId };
}

/**
 * The preset named `name` in app `appId` (preset names are unique within an app).
 * @example
 * const host = await rtk.getPreset({ appId, name: "host" });
 * export const hostPresetId = host.id;
 */
export async function getPreset(args: GetPresetArgs): Promise<GetPresetResult> {
  const { rk, accountId } = api(args.accountId);
  const list = await all(rk.presets.list(args.appId));
  const match = one("getPreset", `preset named ${JSON.stringify(args.name)}`, `app ${args.appId}`, list.filter((p) => p.name === args.name), list.map((p) => p.name));
  // List items are slim (id, name): the preset itself comes from its own GET.
  const found = await rk.presets.get(args.appId, match.id);
  return { ...(convertKeys(Preset, found, "camel") as CamelKeys<Preset>), id: found.id, appId: args.appId, accountId };
}

/**
 * The webhook named `name` in app `appId`.
 * @example
 * const events = await rtk.getWebhook({ appId, name: "events" });
 * export const eventsUrl = events.url;
 */
export async function getWebhook(args: GetWebhookArgs): Promise<GetWebhookResult> {
  const { rk, accountId } = api(args.accountId);
  const list = await rk.webhooks.list(args.appId);
  const found = one("getWebhook", `webhook named ${JSON.stringify(args.name)}`, `app ${args.appId}`, list.filter((w) => w.name === args.name), list.map((w) => w.name));
  return { ...(convertKeys(Webhook, found, "camel") as CamelKeys<Webhook>), id: found.id, appId: args.appId, accountId };
}

/**
 * The meeting titled `title` in app `appId`. Titles need not be unique: several
 * meetings with the title fail, naming their ids (use `Meeting.get` with one).
 * @example
 * const standup = await rtk.getMeeting({ appId, title: "Daily standup" });
 * export const standupId = standup.id;
 */
export async function getMeeting(args: GetMeetingArgs): Promise<GetMeetingResult> {
  const { rk, accountId } = api(args.accountId);
  const list = await all(rk.meetings.list(args.appId));
  const titles = list.map((m) => m.title ?? "");
  const match = one("getMeeting", `meeting titled ${JSON.stringify(args.title)}`, `app ${args.appId}`, list.filter((m) => m.title === args.title), titles);
  const found = await rk.meetings.get(args.appId, match.id);
  return { ...(convertKeys(Meeting, found, "camel") as CamelKeys<Meeting>), id: found.id, appId: args.appId, accountId };
}
