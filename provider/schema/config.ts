// The provider's configuration: stack config `realtimekit:<key>`, else the
// key's environment variable. One schema for the values settings.ts reads at run
// time, for CheckConfig's failures, and for the package schema's config
// variables and provider inputs. Keys are ours, not the API's: camelCase as they
// are written in `pulumi config set`.
import { z } from "zod";
import { doc, isPathSegment } from "./common";
import { defOf, metaOf, unwrap } from "./walk";

// What each key allows, said by every failure of it (the text Pulumi config gives is quoted after it).
const SEGMENT = 'must be one URL path segment (not empty, no "/", not "." or "..")';
const TOKEN = "must be a non-empty string";
const HTTP_URL = "must be an http or https URL, e.g. https://api.cloudflare.com/client/v4";
const RATE = "must be a whole number of requests per five minutes (0: no pacing)";

export const ProviderConfig = z.strictObject({
  accountId: doc(
    z.string({ error: SEGMENT }).refine(isPathSegment, { error: SEGMENT }).optional(),
    "The Cloudflare account of every resource that sets no `accountId` of its own, and of lookups.",
    { environment: "CLOUDFLARE_ACCOUNT_ID" },
  ),
  apiToken: doc(
    z.string({ error: TOKEN }).min(1, { error: TOKEN }).optional(),
    "Cloudflare API token with the Realtime permission, for every account the stack uses.",
    { secret: true, environment: "CLOUDFLARE_API_TOKEN" },
  ),
  baseUrl: doc(
    z.url({ protocol: /^https?$/, error: HTTP_URL }).optional(),
    "Endpoint of the Cloudflare API (default: https://api.cloudflare.com/client/v4), e.g. a local RealtimeKit emulator's.",
    { environment: "CLOUDFLARE_BASE_URL" },
  ),
  rateLimit: doc(
    z.int({ error: RATE }).min(0, { error: RATE }).optional(),
    "Requests per five minutes the provider sends with one API token (default: 1200, the Cloudflare API's global limit per user or account token). Lower it when the same user or token is used elsewhere too; raise it only if Cloudflare raised your limit. RealtimeKit's own limit (3500 per five minutes per account) and the API's 200 per second per IP are kept whatever it says. 0 turns pacing off, for an endpoint without limits (the emulator with `--request-limit off`).",
    { environment: "REALTIMEKIT_RATE_LIMIT" },
  ),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;
export type ConfigKey = keyof ProviderConfig;

export const CONFIG_KEYS = Object.keys(ProviderConfig.shape) as ConfigKey[];

/** The environment variable read for `key` when the stack config does not set it. */
export const configEnvironment = (key: ConfigKey): string => metaOf(ProviderConfig.shape[key]).environment!;

/**
 * A key's value in its type: Pulumi config gives text, so a number key's text
 * is read as a number. Else why it is not allowed ("must be …, got …"); a
 * secret's value is never quoted.
 */
export function readConfig<K extends ConfigKey>(key: K, value: unknown): { value: ProviderConfig[K] } | { problem: string } {
  const field = ProviderConfig.shape[key];
  const typed = typeof value === "string" && defOf(unwrap(field)).type === "number" ? Number(value) : value;
  const result = field.safeParse(typed);
  if (result.success) return { value: result.data as ProviderConfig[K] };
  const shown = metaOf(field).secret ? "a value not shown (secret)" : JSON.stringify(value);
  return { problem: `${result.error.issues[0].message}, got ${shown}` };
}

/**
 * What is wrong with a config map (CheckConfig's `news`): one failure per bad
 * key, naming it (`realtimekit:rateLimit: …`) and what it allows. Absent and
 * empty values are unset (the environment's apply); keys that are not the
 * provider's are unknownConfigKeys'.
 */
export function configFailures(values: Partial<Record<ConfigKey, unknown>>): { property: ConfigKey; reason: string }[] {
  return CONFIG_KEYS.flatMap((key) => {
    const value = values[key];
    if (value === undefined || value === "") return [];
    const read = readConfig(key, value);
    return "problem" in read ? [{ property: key, reason: `realtimekit:${key}: ${read.problem}` }] : [];
  });
}

/**
 * Keys of a config map (CheckConfig's `news`) that are not the provider's: one
 * failure each, naming it and the keys there are, as providers built on
 * Pulumi's Terraform bridge refuse them (a typo such as `realtimekit:apitoken`
 * would otherwise leave the key unset without a word). `version` passes: the
 * engine adds it to every provider's inputs (pkg/resource/deploy/providers/registry.go).
 */
export function unknownConfigKeys(values: Record<string, unknown>): { property: string; reason: string }[] {
  return Object.keys(values)
    .filter((key) => key !== "version" && !(CONFIG_KEYS as string[]).includes(key))
    .map((key) => ({
      property: key,
      reason:
        `realtimekit:${key} is not a configuration key of the realtimekit provider; its keys are ${CONFIG_KEYS.map((k) => `realtimekit:${k}`).join(", ")}. ` +
        "A value meant for your program belongs under another namespace (your project's name).",
    }));
}
