// Credentials and endpoint, from stack config (handed to the dynamic provider's
// `configure`, or the program's own config for lookups) or the environment. Read
// at run time only: nothing here is ever captured into the serialized provider or
// written to state. The account may differ per resource (its `accountId`
// argument); the token and endpoint are the stack's.
import { RealtimeKit } from "./client";
import { limitsFor } from "./client/limits";
import { configEnvironment, readConfig, type ConfigKey, type ProviderConfig } from "./schema";

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

/** A key's text: stack config, else its environment variable (schema/config.ts); empty is unset. */
const pick = (source: ConfigSource | undefined, key: ConfigKey) =>
  source?.get(`realtimekit:${key}`) || process.env[configEnvironment(key)] || undefined;

/** A key's value in its type, checked by the config schema; a bad one is an error naming the key, its variable and what it allows. */
function setting<K extends ConfigKey>(source: ConfigSource | undefined, key: K): ProviderConfig[K] | undefined {
  const text = pick(source, key);
  if (text === undefined) return undefined;
  const read = readConfig(key, text);
  if ("problem" in read) throw new Error(`realtimekit:${key} (or ${configEnvironment(key)}) ${read.problem}`);
  return read.value;
}

/** The stack's account: `realtimekit:accountId`, else CLOUDFLARE_ACCOUNT_ID; undefined when neither is set. */
export function defaultAccountId(source: ConfigSource | undefined = config): string | undefined {
  return pick(source, "accountId");
}

/**
 * The client for `accountId` (a resource's own), else the stack's account. A
 * missing credential is an error naming both ways to set it; a bad value, one
 * naming the key and what it allows.
 */
export function client(accountId?: string, source: ConfigSource | undefined = config): RealtimeKit {
  const env = configEnvironment;
  const missing = [
    !(accountId || defaultAccountId(source)) &&
      `the account id: the resource's \`accountId\` argument, \`pulumi config set realtimekit:accountId <id>\` or the environment variable ${env("accountId")}`,
    !pick(source, "apiToken") &&
      `the API token: \`pulumi config set --secret realtimekit:apiToken <token>\` or the environment variable ${env("apiToken")}`,
  ].filter(Boolean);
  if (missing.length) throw new Error(`RealtimeKit credentials missing: set ${missing.join("; and ")}.`);
  // A resource's own accountId was checked by its check; the stack's values are checked here.
  const account = accountId || setting(source, "accountId")!;
  const apiToken = setting(source, "apiToken")!;
  const baseUrl = setting(source, "baseUrl");
  // Requests per five minutes per token; unset, Cloudflare's documented limits (client/limits.ts).
  const rateLimit = setting(source, "rateLimit");
  const key = `${baseUrl}\n${account}\n${apiToken}\n${rateLimit}`;
  let found = clients.get(key);
  if (!found) clients.set(key, (found = new RealtimeKit({ accountId: account, apiToken, baseUrl, limits: limitsFor(rateLimit) })));
  return found;
}
