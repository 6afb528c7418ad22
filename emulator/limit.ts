// The API's rate limits: for each window, at most `requests` per `windowMs`
// for each account, token or client (`per`), counted over a sliding window of
// the requests let through; beyond any of them, 429 with a Retry-After saying
// when the oldest request of that window leaves it. By default the windows
// Cloudflare documents (provider/client/limits.ts, with the sources): 3,500
// requests per five minutes per account, 1,200 per five minutes per token,
// 200 per second per client address. The emulator's own choice: a request over
// a limit is not counted (Cloudflare's global limit says "all API calls for the
// next five minutes will be blocked", which a client waiting out Retry-After
// never meets).
import type { LimitScope } from "../provider/client/limits";
import type { RequestLimit } from "./options";

/** Who sent a request, for each scope a limit can count. */
export type Sender = Record<LimitScope, string>;

export class RequestLimiter {
  private readonly limits: Required<RequestLimit>[];
  /** Arrival times of the requests let through, per window and key, ascending. */
  private readonly admitted = new Map<string, number[]>();

  constructor(limits: RequestLimit | readonly RequestLimit[] | false) {
    this.limits = (limits === false ? [] : Array.isArray(limits) ? limits : [limits as RequestLimit]).map((l) => ({ per: "account", ...l }));
  }

  /** Counts a request arriving at `at`; Retry-After seconds when it is over a limit. */
  admit(sender: Sender, at: number): number | undefined {
    const logs = this.limits.map((l, i) => {
      const key = `${i}\n${sender[l.per]}`;
      const log = this.admitted.get(key) ?? [];
      this.admitted.set(key, log);
      let gone = 0;
      while (gone < log.length && log[gone] <= at - l.windowMs) gone++;
      if (gone) log.splice(0, gone);
      return log;
    });
    const waits = this.limits.flatMap((l, i) =>
      logs[i].length < l.requests ? [] : [Math.max(1, Math.ceil((logs[i][logs[i].length - l.requests] + l.windowMs - at) / 1000))],
    );
    if (waits.length) return Math.max(...waits);
    for (const log of logs) log.push(at);
    return undefined;
  }
}
