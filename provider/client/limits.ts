// The rate limits Cloudflare publishes for the requests this provider sends,
// each a sliding window of `requests` per `windowMs`, counted per `per`:
//
// - RealtimeKit's own: "All RealtimeKit APIs: 3,500 requests per five minutes"
//   (https://developers.cloudflare.com/realtime/realtimekit/limits/, "API rate
//   limits"; its other row, "Recording APIs: 1,000 requests per 50 seconds",
//   is for recordings, which this provider never calls). Per account.
// - The Cloudflare API's global limit, which RealtimeKit requests count toward
//   (same page): "1,200 requests per five minutes per user", for "Client API
//   per user/account token"; beyond it "all API calls for the next five minutes
//   will be blocked" (https://developers.cloudflare.com/fundamentals/api/reference/limits/).
//   Per token: a user's other tokens and the dashboard count too, unseen here
//   (`realtimekit:rateLimit` lowers this one).
// - "Client API per IP: 200/second" (same page). Per endpoint: every process of
//   this user on this machine shares one address.
//
// The provider paces to all of them at once (client/http.ts); the emulator
// enforces the same windows unless told otherwise (emulator/limit.ts).

/** Whose requests a window counts: one account's, one API token's, or all sent from this machine. */
export const LIMIT_SCOPES = ["account", "token", "client"] as const;
export type LimitScope = (typeof LIMIT_SCOPES)[number];

export interface Limit {
  per: LimitScope;
  requests: number;
  windowMs: number;
}

const FIVE_MINUTES = 5 * 60_000;

export const DOCUMENTED_LIMITS: readonly Limit[] = Object.freeze([
  { per: "account", requests: 3500, windowMs: FIVE_MINUTES },
  { per: "token", requests: 1200, windowMs: FIVE_MINUTES },
  { per: "client", requests: 200, windowMs: 1000 },
]);

/**
 * The limits paced to for `realtimekit:rateLimit`: unset, the documented ones;
 * N, the token's five-minute window holds N instead of 1,200 (the others are
 * kept); 0, none (an endpoint without limits, such as the emulator started
 * with `--request-limit off`).
 */
export function limitsFor(rateLimit: number | undefined): readonly Limit[] {
  if (rateLimit === undefined) return DOCUMENTED_LIMITS;
  if (rateLimit === 0) return [];
  return DOCUMENTED_LIMITS.map((l) => (l.per === "token" ? { ...l, requests: rateLimit } : l));
}
