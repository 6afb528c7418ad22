// Client-side pacing to one rate limit (a window of `limit` requests per
// `windowMs`): the client takes a slot of one Pacer per limit Cloudflare
// publishes (client/limits.ts) before each request. Waiting here is cheaper
// than being answered 429.
//
// The limit is on requests *arriving* at the server, and a request arrives at
// some unknown moment between being sent and its answer arriving. So a request
// counts from when it is sent until its answer has arrived, plus the window and
// a margin: if more than `limit` requests arrived in one window, the last one
// sent would have seen all the others still counting, and waited. Counting
// from the send alone let 254–277 requests of a burst arrive in one window
// whenever latency varied.
import { PaceFile } from "./pace-file";
import { MAX_RETRY_AFTER_MS } from "./retry-after";

export interface PacerOptions {
  limit: number;
  windowMs: number;
}

/** Added to the window: clock granularity, and a server that rounds its window's edges. */
const marginOf = (windowMs: number) => Math.ceil(windowMs / 100);
/** How often other processes' answers are read from the shared file. */
const POLL_MS = 100;

export class Pacer {
  private readonly span: number;
  /** When each answered request stops counting, ascending. */
  private expiries: number[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private readonly waiting: ((release: () => void) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly file: PaceFile | undefined;
  private polled = 0;

  /** `shareAs` names the account in the file shared with other processes; without it, pacing is this process's alone. */
  constructor(
    private readonly opts: PacerOptions,
    shareAs?: string,
  ) {
    this.span = opts.windowMs + marginOf(opts.windowMs);
    const shared = shareAs === undefined ? undefined : PaceFile.open(shareAs, this.span);
    this.file = shared?.file;
    if (shared) this.add(shared.times);
  }

  /**
   * Resolves when one more request may be sent, with the function to call once
   * its answer (or failure) has arrived.
   */
  take(): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  /** After a 429, every request of this account waits out the server's Retry-After. */
  pause(ms: number): void {
    if (!(ms > 0)) return; // NaN, negative: nothing to wait for
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + Math.min(ms, MAX_RETRY_AFTER_MS));
    this.pump();
  }

  /** Lets waiting requests go, in order, while they fit; otherwise wakes up when the next one will. */
  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiting.length) {
      const now = Date.now();
      if (this.file && now - this.polled >= POLL_MS) {
        this.polled = now;
        this.add(this.file.poll());
      }
      const wait = this.waitMs(now);
      // Infinity: only an answer frees a slot, and its release pumps again.
      if (wait === Infinity) return;
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      this.inFlight++;
      this.waiting.shift()!(this.release());
    }
  }

  /** Milliseconds until one more request fits (Infinity: when one in flight is answered). */
  private waitMs(now: number): number {
    let gone = 0;
    while (gone < this.expiries.length && this.expiries[gone] <= now) gone++;
    if (gone) this.expiries.splice(0, gone);
    const over = this.expiries.length + this.inFlight - this.opts.limit;
    const full = over < 0 ? 0 : over < this.expiries.length ? this.expiries[over] - now : Infinity;
    const wait = Math.max(full, this.pausedUntil - now);
    // Bounded whatever the clock did (a wall clock set back must not stall us for hours).
    return wait === Infinity ? wait : Math.min(wait, Math.max(this.span, MAX_RETRY_AFTER_MS));
  }

  private release(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      const at = Date.now();
      this.add([at]);
      this.file?.record(at);
      if (this.inFlight === 0) this.file?.flush();
      this.pump();
    };
  }

  /** Counts requests answered at `times` (own or other processes'). */
  private add(times: number[]): void {
    for (const t of times) {
      const expiry = t + this.span;
      const list = this.expiries;
      if (!list.length || list[list.length - 1] <= expiry) list.push(expiry);
      else list.splice(sortedIndex(list, expiry), 0, expiry);
    }
  }
}

function sortedIndex(list: number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
