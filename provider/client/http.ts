// One HTTP exchange with the RealtimeKit API: auth, pacing, timeouts, retries
// and the error envelope. Resource methods (client/*.ts) build on `request`.
import { FetchError, ofetch } from "ofetch";
import { RealtimeKitError } from "./errors";
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
  /** Requests allowed per window (the API's documented limit is 250 per 10 s). */
  rateLimit?: { limit: number; windowMs: number };
}

export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

// One pacer per account and endpoint for the whole process (and, through a
// shared file, across processes): the limit is the account's, whichever
// resource, client instance or process sends the request.
const pacers = new Map<string, Pacer>();

const TRANSIENT = new Set([500, 502, 504]);
// Errors raised before a byte of the request left this machine: safe to re-send even a POST.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export class Http {
  readonly baseUrl: string;
  readonly accountPath: string;
  private readonly pacer: Pacer;
  private readonly opts: Required<Omit<ClientOptions, "rateLimit" | "baseUrl">>;

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
    const account = `${this.baseUrl}${this.accountPath}`;
    const rate = options.rateLimit ?? { limit: 250, windowMs: 10_000 };
    const key = `${account}\n${rate.limit}/${rate.windowMs}`;
    if (!pacers.has(key)) pacers.set(key, new Pacer(rate, account));
    this.pacer = pacers.get(key)!;
  }

  /** Sends a request below /accounts/{account_id}/realtime/kit and returns the parsed JSON envelope. */
  async request<T = unknown>(method: Method, subPath: string, o: RequestOptions = {}): Promise<T> {
    const path = this.accountPath + subPath;
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      const answered = await this.pacer.take();
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
      if (err.status === 429 && retryAfter !== undefined) this.pacer.pause(retryAfter);
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
