// Lookups by name, like the `getX` functions of official providers: an existing
// object read (not a resource: nothing is managed), e.g. the app a platform team
// created, to put a webhook in it. Written once for both front doors: the TS SDK
// runs them in the program with the stack config (sdk/lookups.ts), the plugin
// runs them for the engine's Invoke with its Configure's config.
import type { z } from "zod";
import { validate, type CheckFailure } from "./check";
import { all } from "./client";
import {
  App,
  convertKeys,
  LookupArgs,
  Meeting,
  Preset,
  Webhook,
  type CamelKeys,
  type GetAppArgs,
  type GetMeetingArgs,
  type GetPresetArgs,
  type GetWebhookArgs,
} from "./schema";
import { client, defaultAccountId, type ConfigSource } from "./settings";
import type { Props } from "./values";

/** The lookups, each by the kind it finds (`getPreset` finds a Preset). */
const KINDS = { getApp: "App", getPreset: "Preset", getWebhook: "Webhook", getMeeting: "Meeting" } as const;
export type LookupName = keyof typeof KINDS;
export const LOOKUPS = Object.keys(KINDS) as LookupName[];

/** The object as the API returns it, in camelCase (as the resource's outputs), with the account (and app) it is in. */
type Found<S extends z.ZodType, InApp extends boolean> = CamelKeys<z.infer<S>> & { id: string; accountId: string } & (InApp extends true
    ? { appId: string }
    : unknown);
export type GetAppResult = Found<typeof App, false>;
export type GetPresetResult = Found<typeof Preset, true>;
export type GetWebhookResult = Found<typeof Webhook, true>;
export type GetMeetingResult = Found<typeof Meeting, true>;

/** A lookup's arguments that are wrong, each naming the argument and what is allowed (the ids: one URL path segment each); none when they are fine. */
export const lookupFailures = (name: LookupName, args: Props): CheckFailure[] => validate(LookupArgs[KINDS[name]], args);

/** Runs the lookup `name` (arguments as a program writes them), failing first on bad arguments. */
export async function lookup(name: LookupName, args: Props, source?: ConfigSource): Promise<Props> {
  const failures = lookupFailures(name, args);
  if (failures.length) throw new Error(`${name}: ${failures.map((f) => f.reason).join("; ")}`);
  switch (name) {
    case "getApp":
      return getApp(args as GetAppArgs, source);
    case "getPreset":
      return getPreset(args as GetPresetArgs, source);
    case "getWebhook":
      return getWebhook(args as GetWebhookArgs, source);
    case "getMeeting":
      return getMeeting(args as GetMeetingArgs, source);
  }
}

/** The client for the account (failing first when a credential is missing), and the account's id. */
function api(accountId: string | undefined, source: ConfigSource | undefined) {
  const rk = client(accountId, source);
  return { rk, accountId: (accountId || defaultAccountId(source))! };
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

/** The app named `name`. Fails when the account has none or several of that name. */
export async function getApp(args: GetAppArgs, source?: ConfigSource): Promise<GetAppResult> {
  const { rk, accountId } = api(args.accountId, source);
  const apps = await all(rk.apps.list());
  const found = one("getApp", `app named ${JSON.stringify(args.name)}`, `account ${accountId}`, apps.filter((a) => a.name === args.name), apps.map((a) => a.name));
  return { ...(convertKeys(App, found, "camel") as CamelKeys<App>), id: found.id, accountId };
}

/** The preset named `name` in app `appId` (preset names are unique within an app). */
export async function getPreset(args: GetPresetArgs, source?: ConfigSource): Promise<GetPresetResult> {
  const { rk, accountId } = api(args.accountId, source);
  const list = await all(rk.presets.list(args.appId));
  const match = one("getPreset", `preset named ${JSON.stringify(args.name)}`, `app ${args.appId}`, list.filter((p) => p.name === args.name), list.map((p) => p.name));
  // List items are slim (id, name): the preset itself comes from its own GET.
  const found = await rk.presets.get(args.appId, match.id);
  return { ...(convertKeys(Preset, found, "camel") as CamelKeys<Preset>), id: found.id, appId: args.appId, accountId };
}

/** The webhook named `name` in app `appId`. */
export async function getWebhook(args: GetWebhookArgs, source?: ConfigSource): Promise<GetWebhookResult> {
  const { rk, accountId } = api(args.accountId, source);
  const list = await rk.webhooks.list(args.appId);
  const found = one("getWebhook", `webhook named ${JSON.stringify(args.name)}`, `app ${args.appId}`, list.filter((w) => w.name === args.name), list.map((w) => w.name));
  return { ...(convertKeys(Webhook, found, "camel") as CamelKeys<Webhook>), id: found.id, appId: args.appId, accountId };
}

/** The meeting titled `title` in app `appId`. Titles need not be unique: several meetings with the title fail, naming their ids. */
export async function getMeeting(args: GetMeetingArgs, source?: ConfigSource): Promise<GetMeetingResult> {
  const { rk, accountId } = api(args.accountId, source);
  const list = await all(rk.meetings.list(args.appId));
  const titles = list.map((m) => m.title ?? "");
  const match = one("getMeeting", `meeting titled ${JSON.stringify(args.title)}`, `app ${args.appId}`, list.filter((m) => m.title === args.title), titles);
  const found = await rk.meetings.get(args.appId, match.id);
  return { ...(convertKeys(Meeting, found, "camel") as CamelKeys<Meeting>), id: found.id, appId: args.appId, accountId };
}
