// Credentials and endpoint, from stack config (handed to the dynamic provider's
// `configure`) or the environment. Read at run time only: nothing here is ever
// captured into the serialized provider or written to state.
import { RealtimeKit } from "./client";

export interface ConfigSource {
  get(key: string): string | undefined;
}

let config: ConfigSource | undefined;
let cached: { key: string; client: RealtimeKit } | undefined;

/** Called by every resource kind's `configure` with the stack's config. */
export function configure(source: ConfigSource | undefined): void {
  config = source;
  cached = undefined;
}

const pick = (configKey: string, envKey: string) => config?.get(`realtimekit:${configKey}`) || process.env[envKey] || undefined;

/** The client for the configured account. A missing credential is an error naming both ways to set it. */
export function client(): RealtimeKit {
  const accountId = pick("accountId", "CLOUDFLARE_ACCOUNT_ID");
  const apiToken = pick("apiToken", "CLOUDFLARE_API_TOKEN");
  const baseUrl = pick("baseUrl", "CLOUDFLARE_BASE_URL");
  const missing = [
    !accountId && "the account id: `pulumi config set realtimekit:accountId <id>` or the environment variable CLOUDFLARE_ACCOUNT_ID",
    !apiToken && "the API token: `pulumi config set --secret realtimekit:apiToken <token>` or the environment variable CLOUDFLARE_API_TOKEN",
  ].filter(Boolean);
  if (missing.length) throw new Error(`RealtimeKit credentials missing: set ${missing.join("; and ")}.`);
  const rateLimit = requestsPer10s(pick("rateLimit", "REALTIMEKIT_RATE_LIMIT"));
  const key = `${baseUrl}\n${accountId}\n${apiToken}\n${rateLimit?.limit}`;
  if (cached?.key !== key) cached = { key, client: new RealtimeKit({ accountId: accountId!, apiToken: apiToken!, baseUrl, rateLimit }) };
  return cached.client;
}

/** `realtimekit:rateLimit`: requests per 10 s the provider allows itself (default 250, the API's documented limit). */
function requestsPer10s(text: string | undefined): { limit: number; windowMs: number } | undefined {
  if (text === undefined) return undefined;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`realtimekit:rateLimit (or REALTIMEKIT_RATE_LIMIT) must be a whole number of requests per 10 s, got "${text}"`);
  }
  return { limit, windowMs: 10_000 };
}
