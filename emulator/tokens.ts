// Participant auth tokens. The live API's are JWTs, valid for 100 days, whose
// `meetingId` and `participantId` claims tie them to one participant of one
// meeting (Cloudflare's RealtimeKit FAQ, "How long is an auth token valid?").
// The emulator's have that shape, plus a random `jti` so that every token is a
// new one (each add and each refresh), signed HS256 with a key made at start
// that nobody outside knows: opaque to clients, never holding the API token or
// anything a client sent.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

const KEY = randomBytes(32);
const VALID_SECONDS = 100 * 24 * 3600;

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function participantToken(meetingId: string, participantId: string): string {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { meetingId, participantId, iat, exp: iat + VALID_SECONDS, jti: randomUUID() };
  const unsigned = `${segment({ alg: "HS256", typ: "JWT" })}.${segment(claims)}`;
  return `${unsigned}.${createHmac("sha256", KEY).update(unsigned).digest("base64url")}`;
}

export interface TokenClaims {
  meetingId: string;
  participantId: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

/**
 * The claims of a token of our shape, and whether this run signed it (a token
 * kept in a state file was signed by an earlier run's key); undefined for
 * anything else.
 */
export function readParticipantToken(token: string): { claims: TokenClaims; signedHere: boolean } | undefined {
  const [header, payload, signature, ...rest] = token.split(".");
  if (!header || !payload || signature === undefined || rest.length) return undefined;
  let claims: Partial<TokenClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const { meetingId, participantId, exp } = claims ?? {};
  if (typeof meetingId !== "string" || typeof participantId !== "string" || typeof exp !== "number") return undefined;
  const expected = createHmac("sha256", KEY).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  return { claims: { meetingId, participantId, exp }, signedHere: given.length === expected.length && timingSafeEqual(given, expected) };
}
