// Fault decisions, drawn from a seeded PRNG so a failing run can be replayed.
import type { Faults } from "./options";

/** mulberry32: a tiny 32-bit PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private faults: Faults = {};
  private random = Math.random;
  private seen = 0;

  constructor(faults: Faults = {}) {
    this.set(faults);
  }

  /** Replaces all faults and restarts the rate-limit cycle (and the PRNG, when seeded). */
  set(faults: Faults): void {
    this.faults = { ...faults };
    this.random = faults.seed === undefined ? Math.random : mulberry32(faults.seed);
    this.seen = 0;
  }

  /** Delay before this answer: latencyMs plus a random share of latencyJitterMs. */
  latency(): number {
    const jitter = this.faults.latencyJitterMs ?? 0;
    return (this.faults.latencyMs ?? 0) + (jitter > 0 ? Math.round(this.random() * jitter) : 0);
  }

  /** Delay before this request arrives: a random share of arrivalJitterMs. */
  arrivalDelay(): number {
    const jitter = this.faults.arrivalJitterMs ?? 0;
    return jitter > 0 ? Math.round(this.random() * jitter) : 0;
  }

  /** 500 or 503 when this request is to fail outright. */
  serverError(): 500 | 503 | undefined {
    if (!this.draw(this.faults.errorRate)) return undefined;
    return this.random() < 0.5 ? 500 : 503;
  }

  /** Retry-After seconds when this request falls in a rate-limit burst. */
  rateLimited(): number | undefined {
    const limit = this.faults.rateLimit;
    if (!limit) return undefined;
    const position = this.seen++ % (limit.every + limit.burst);
    return position >= limit.every ? limit.retryAfterSeconds : undefined;
  }

  /** Whether to cut the connection of this write before doing it. */
  dropBeforeCommit(): boolean {
    return this.draw(this.faults.dropBeforeCommitRate);
  }

  /** Whether to cut the connection after this committed write. */
  dropAfterCommit(): boolean {
    return this.draw(this.faults.dropAfterCommitRate);
  }

  private draw(rate = 0): boolean {
    return rate > 0 && this.random() < rate;
  }
}
