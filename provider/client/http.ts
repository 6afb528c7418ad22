// One HTTP exchange with the RealtimeKit API: auth, pacing, timeouts, retries
// and the error envelope. Resource methods (client/*.ts) build on `request`.
import { createHash } from "node:crypto";
import { FetchError, ofetch } from "ofetch";
import { RealtimeKitError } from "./errors";
import { DOCUMENTED_LIMITS, type Limit } from "./limits";
import { Pacer, sleep } from "./pacer";
import { retryAfterMs } from "./retry-after";

export interface ClientOptions {
  accountId: string;
  apiToken: string;
  /** Default https://api.cloudflare.com/client/v4 */
  baseUrl?: string;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first. Default 5. */
  retries?: number;
  /** First backoff step; doubles each attempt, capped at 8 s, with jitter. Default 250 ms. */
  backoffMs?: number;
  /** The rate limits paced to, all at once. Default: the ones Cloudflare documents (client/limits.ts); [] paces to none. */
  limits?: readonly Limit[];
}

export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

// One pacer per limit and what it counts (this account, this token, or this
// machine, on this endpoint) for the whole process, and through a shared file
// across processes: the limit is the account's (or token's), whichever
// resource, client instance or process sends the request.
const pacers = new Map<string, Pacer>();

/** The shared pacer of `limit` for what `key` names. */
function pacerOf(limit: Limit, key: string): Pacer {
  const id = `${key}\n${limit.requests}/${limit.windowMs}`;
  let found = pacers.get(id);
  if (!found) pacers.set(id, (found = new Pacer({ limit: limit.requests, windowMs: limit.windowMs }, id)));
  return found;
}

const TRANSIENT = new Set([500, 502, 504]);
// Errors raised before a byte of the request left this machine: safe to re-send even a POST.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export class Http {
  readonly baseUrl: string;
  readonly accountPath: string;
  /** One per limit, always taken in this order, so that no two requests wait for each other's slot. */
  private readonly pacers: Pacer[];
  private readonly opts: Required<Omit<ClientOptions, "limits" | "baseUrl">>;

  constructor(options: ClientOptions) {
    if (!options.accountId) throw new Error("RealtimeKit client: accountId is required");
    if (!options.apiToken) throw new Error("RealtimeKit client: apiToken is required");
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.accountPath = `/accounts/${encodeURIComponent(options.accountId)}/realtime/kit`;
    // `??`, not a spread over defaults: an option given as undefined must take its default
    // (spread, `retries: undefined` meant endless retries and `backoffMs: undefined` no backoff).
    this.opts = {
      accountId: options.accountId,
      apiToken: options.apiToken,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 5,
      backoffMs: options.backoffMs ?? 250,
    };
    // The token by its hash: the key names the shared file, never the secret.
    const scopes = {
      account: `${this.baseUrl}${this.accountPath}`,
      token: `${this.baseUrl} token ${createHash("sha256").update(options.apiToken).digest("hex")}`,
      client: new URL(this.baseUrl).origin,
    };
    this.pacers = (options.limits ?? DOCUMENTED_LIMITS).map((l) => pacerOf(l, scopes[l.per]));
  }

  /** A slot of every limit; the function frees them once the answer (or failure) has arrived. */
  private async take(): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const p of this.pacers) releases.push(await p.take());
    return () => releases.forEach((release) => release());
  }

  /** Sends a request below /accounts/{account_id}/realtime/kit and returns the parsed JSON envelope. */
  async request<T = unknown>(method: Method, subPath: string, o: RequestOptions = {}): Promise<T> {
    const path = this.accountPath + subPath;
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      const answered = await this.take();
      try {
        return await ofetch<T>(this.baseUrl + path, {
          method,
          query: o.query && dropUndefined(o.query),
          body: o.body as Record<string, unknown> | undefined,
          headers: { Authorization: `Bearer ${this.opts.apiToken}` },
          // A signal rather than ofetch's `timeout`, which stops at the headers: a
          // body that never ends must time out too.
          signal: AbortSignal.timeout(this.opts.timeoutMs),
          retry: false,
        });
      } catch (e) {
        failure = e;
      } finally {
        answered();
      }
      const err = this.toError(method, path, failure);
      // 429 and 503 say the request was not carried out; other failures may
      // have been, so only idempotent methods are re-sent blindly.
      const notDone = err.status === 429 || err.status === 503 || (err.status === 0 && !err.ambiguous);
      const transient = notDone || err.status === 0 || TRANSIENT.has(err.status);
      if (method === "POST" && transient && !notDone) err.ambiguous = true;
      if (!(method === "POST" ? notDone : transient) || attempt >= this.opts.retries) throw err;
      const retryAfter = failure instanceof FetchError ? retryAfterMs(failure.response?.headers.get("retry-after")) : undefined;
      // Which limit answered is not said: every one this request counts toward waits.
      if (err.status === 429 && retryAfter !== undefined) for (const p of this.pacers) p.pause(retryAfter);
      await sleep(retryAfter ?? this.backoff(attempt));
    }
  }

  private backoff(attempt: number): number {
    const cap = Math.min(8_000, this.opts.backoffMs * 2 ** attempt);
    return cap / 2 + Math.random() * (cap / 2);
  }

  private toError(method: string, path: string, e: unknown): RealtimeKitError {
    const token = this.opts.apiToken;
    if (e instanceof FetchError && e.response) {
      const body = e.data as { error?: { code?: string | number; message?: string }; errors?: { code?: number; message?: string }[] } | undefined;
      const apiError = body?.error ?? body?.errors?.[0];
      const message = apiError?.message ?? (typeof e.data === "string" && e.data ? e.data : e.response.statusText);
      return new RealtimeKitError({
        method,
        path,
        status: e.response.status,
        code: apiError?.code,
        message: message || "request failed",
        requestId: e.response.headers.get("x-request-id") ?? e.response.headers.get("cf-ray") ?? undefined,
        secret: token,
      });
    }
    const cause = (e as { cause?: { code?: string; cause?: { code?: string }; name?: string } })?.cause;
    const code = cause?.code ?? cause?.cause?.code;
    const timedOut = cause?.name === "TimeoutError" || (e as Error)?.name === "TimeoutError" || /timeout|aborted/i.test(String(e));
    return new RealtimeKitError({
      method,
      path,
      status: 0,
      message: timedOut ? `timed out after ${this.opts.timeoutMs} ms` : `${code ?? "network error"}: ${(e as Error)?.message ?? e}`,
      ambiguous: !(code && NOT_SENT.has(code)),
      secret: token,
    });
  }
}

/** Path of an app's collection (`presets`, `meetings`, `webhooks`) or of one object in it. */
export const appPath = (appId: string, group: string, id?: string) =>
  `/${encodeURIComponent(appId)}/${group}${id === undefined ? "" : `/${encodeURIComponent(id)}`}`;

function dropUndefined<T extends Record<string, unknown>>(o: T) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
