// Client-side pacing: RealtimeKit allows 250 requests per 10 s per account,
// across all its APIs. Waiting here is cheaper than being answered 429.

export interface PacerOptions {
  limit: number;
  windowMs: number;
}

export class Pacer {
  private readonly sent: number[] = [];
  private pausedUntil = 0;

  constructor(private readonly opts: PacerOptions = { limit: 250, windowMs: 10_000 }) {}

  /** Resolves when one more request fits in the window. */
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.sent.length && this.sent[0] <= now - this.opts.windowMs) this.sent.shift();
      const wait = Math.max(
        this.pausedUntil - now,
        this.sent.length >= this.opts.limit ? this.sent[0] + this.opts.windowMs - now : 0,
      );
      if (wait <= 0) {
        this.sent.push(now);
        return;
      }
      await sleep(wait);
    }
  }

  /** After a 429, every request of this client waits out the server's Retry-After. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
