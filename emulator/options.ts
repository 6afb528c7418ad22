// What an emulator can be told at start (and, for faults, at run time).
import type { LimitScope } from "../provider/client/limits";

/** After every `every` requests, the next `burst` requests are answered 429. */
export interface RateLimit {
  every: number;
  burst: number;
  retryAfterSeconds: number;
}

/** Misbehaviour to inject, so clients' retry and recovery paths can be tested. */
export interface Faults {
  /** Delay before every answer. */
  latencyMs?: number;
  /** Extra random delay, 0..latencyJitterMs, added to latencyMs for each answer. */
  latencyJitterMs?: number;
  /**
   * Random delay, 0..arrivalJitterMs, before a request arrives (is counted, and
   * counts toward the rate limit): the way in, where one sent later can arrive first.
   */
  arrivalJitterMs?: number;
  /** Share (0..1) of requests answered 500 or 503 before anything else is done. */
  errorRate?: number;
  rateLimit?: RateLimit;
  /** Share (0..1) of successful writes whose change is committed, then the connection is cut without an answer. */
  dropAfterCommitRate?: number;
  /** Share (0..1) of writes whose connection is cut before anything is done: the client cannot tell this from a drop after commit. */
  dropBeforeCommitRate?: number;
  /** Seed of the PRNG behind the random decisions above, for repeatable runs. */
  seed?: number;
}

/** One of the API's limits: at most `requests` in any `windowMs`, per account (the default), API token or client address. */
export interface RequestLimit {
  requests: number;
  windowMs: number;
  per?: LimitScope;
}

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The one bearer token accepted. Default "test-token". */
  token?: string;
  /** JSON file the state is loaded from at start and atomically rewritten after every write. */
  statePath?: string;
  faults?: Faults;
  /**
   * The API's rate limits, enforced as the live API does (429 with Retry-After).
   * Default: the ones Cloudflare documents, 3,500 requests per five minutes per
   * account, 1,200 per five minutes per token and 200 per second per client
   * (emulator/limit.ts); `false` lifts them, for tests that need more.
   */
  requestLimit?: RequestLimit | readonly RequestLimit[] | false;
  /**
   * Modes of the live API beyond the quirks the emulator always has (docs/api-behaviour.md).
   * Accounts without RealtimeKit: every request for them is answered 403.
   */
  noRealtimekit?: string[];
  /** For this long after the token is first used, every request is answered 403 (a new token's first moments). */
  newToken403Ms?: number;
  /** For this long after an object is made or deleted, lists do not show the change. */
  consistencyLagMs?: number;
  /** Answer PATCH and PUT with only the fields the request named (write answers may be partial). */
  partialWriteAnswers?: boolean;
  /** Deliver webhooks to any host, not only 127.0.0.1, localhost and [::1]. */
  allowRemoteWebhooks?: boolean;
  /** Write a line per webhook delivery, once done, to stderr. */
  verbose?: boolean;
}
