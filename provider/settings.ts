// Credentials and endpoint, from stack config (handed to the dynamic provider's
// `configure`, or the program's own config for lookups) or the environment. Read
// at run time only: nothing here is ever captured into the serialized provider or
// written to state. The account may differ per resource (its `accountId`
// argument); the token and endpoint are the stack's.
import { RealtimeKit } from "./client";

export interface ConfigSource {
  get(key: string): string | undefined;
}

let config: ConfigSource | undefined;
/** One client per endpoint, account, token and rate: each account has its own request budget. */
const clients = new Map<string, RealtimeKit>();

/** Called by every resource kind's `configure` with the stack's config. */
export function configure(source: ConfigSource | undefined): void {
  config = source;
  clients.clear();
}

const pick = (source: ConfigSource | undefined, configKey: string, envKey: string) =>
  source?.get(`realtimekit:${configKey}`) || process.env[envKey] || undefined;

/** The stack's account: `realtimekit:accountId`, else CLOUDFLARE_ACCOUNT_ID; undefined when neither is set. */
export function defaultAccountId(source: ConfigSource | undefined = config): string | undefined {
  return pick(source, "accountId", "CLOUDFLARE_ACCOUNT_ID");
}

/**
 * The client for `accountId` (a resource's own), else the stack's account. A
 * missing credential is an error naming both ways to set it.
 */
export function client(accountId?: string, source: ConfigSource | undefined = config): RealtimeKit {
  const account = accountId || defaultAccountId(source);
  const apiToken = pick(source, "apiToken", "CLOUDFLARE_API_TOKEN");
  const baseUrl = pick(source, "baseUrl", "CLOUDFLARE_BASE_URL");
  const missing = [
    !account &&
      "the account id: the resource's `accountId` argument, `pulumi config set realtimekit:accountId <id>` or the environment variable CLOUDFLARE_ACCOUNT_ID",
    !apiToken && "the API token: `pulumi config set --secret realtimekit:apiToken <token>` or the environment variable CLOUDFLARE_API_TOKEN",
  ].filter(Boolean);
  if (missing.length) throw new Error(`RealtimeKit credentials missing: set ${missing.join("; and ")}.`);
  const rateLimit = requestsPer10s(pick(source, "rateLimit", "REALTIMEKIT_RATE_LIMIT"));
  const key = `${baseUrl}\n${account}\n${apiToken}\n${rateLimit?.limit}`;
  let found = clients.get(key);
  if (!found) clients.set(key, (found = new RealtimeKit({ accountId: account!, apiToken: apiToken!, baseUrl, rateLimit })));
  return found;
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
