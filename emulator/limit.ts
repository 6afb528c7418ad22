// The API's rate limit: at most `requests` per `windowMs` per account, counted
// over a sliding window of the requests it let through; beyond it, 429 with a
// Retry-After saying when the oldest of them leaves the window.
// Source: 250 requests per 10 s per account, the live limit the provider paces
// for (docs/troubleshooting.md, "HTTP 429"). Cloudflare's page on RealtimeKit's limits
// (https://developers.cloudflare.com/realtime/realtimekit/limits/) states 3,500
// requests per five minutes for all RealtimeKit APIs, counted toward the global
// Cloudflare API limit: a burst is bound by the 10 s window, but 250 per 10 s kept
// up for more than 140 s would pass 3,500 in five minutes. The emulator enforces
// the 10 s window only; a 429 from the longer one is ridden out with Retry-After.
import type { RequestLimit } from "./options";

export const LIVE_LIMIT: RequestLimit = { requests: 250, windowMs: 10_000 };

export class AccountLimiter {
  /** Arrival times of the requests let through, per account, ascending. */
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly limit: RequestLimit | false) {}

  /** Counts a request arriving at `at`; Retry-After seconds when it is over the limit. */
  admit(account: string, at: number): number | undefined {
    if (!this.limit) return undefined;
    const { requests, windowMs } = this.limit;
    const log = this.admitted.get(account) ?? [];
    this.admitted.set(account, log);
    let gone = 0;
    while (gone < log.length && log[gone] <= at - windowMs) gone++;
    if (gone) log.splice(0, gone);
    if (log.length < requests) {
      log.push(at);
      return undefined;
    }
    return Math.max(1, Math.ceil((log[log.length - requests] + windowMs - at) / 1000));
  }
}
