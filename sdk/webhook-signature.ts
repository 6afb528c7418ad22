// Checking that a webhook request came from RealtimeKit. RealtimeKit signs each
// request body with RSA-SHA256 and sends the signature, base64, in the
// `rtk-signature` header; its public key is a PEM at
// https://api.realtime.cloudflare.com/.well-known/webhooks.json, as
// `{"success": true, "data": {"publicKey": "-----BEGIN PUBLIC KEY-----…"}}`
// (Cloudflare's RealtimeKit webhooks page, "Verify webhook signatures"). The
// emulator signs its deliveries the same way and serves its key at the same
// path, so a receiver uses these unchanged against either.
import { createPublicKey, verify, type KeyObject } from "node:crypto";

/** Where the live API serves its webhook public key. */
export const WEBHOOK_PUBLIC_KEY_URL = "https://api.realtime.cloudflare.com/.well-known/webhooks.json";

/** Longest a key fetch may take. */
const FETCH_TIMEOUT_MS = 10_000;
/** How long a fetched key is used before it is fetched again (the emulator makes a new key each run). */
const DEFAULT_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * Whether `signature` (the `rtk-signature` header) is RealtimeKit's signature
 * of `rawBody` (the request body exactly as it arrived: verify before parsing,
 * as re-serialized JSON may differ in a byte). A missing or malformed signature
 * is false; a `publicKey` that is no public key is an error.
 */
export function verifyWebhookSignature(rawBody: string | Uint8Array, signature: string | null | undefined, publicKey: string | KeyObject): boolean {
  if (typeof rawBody !== "string" && !(rawBody instanceof Uint8Array)) {
    throw new TypeError("verifyWebhookSignature: rawBody must be the request body as it arrived (a string or Buffer), not parsed JSON");
  }
  const key = typeof publicKey === "string" ? readKey(publicKey) : publicKey;
  if (typeof signature !== "string") return false;
  const bytes = Buffer.from(signature, "base64");
  // Only base64 that reads back the same (padding aside): Buffer.from skips characters it does not know, so "sig!" would read as "sig".
  const unpadded = (text: string) => text.replace(/=+$/, "");
  if (bytes.length === 0 || unpadded(bytes.toString("base64")) !== unpadded(signature)) return false;
  try {
    return verify("sha256", typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody, key, bytes);
  } catch {
    return false;
  }
}

function readKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    // The key's text is not quoted: it was passed in, and may be anything.
    throw new TypeError("verifyWebhookSignature: publicKey is not a PEM public key (\"-----BEGIN PUBLIC KEY-----…\")");
  }
}

export interface WebhookPublicKeyOptions {
  /** Where the key is served: the live API's (the default), or an emulator's, http://127.0.0.1:PORT/.well-known/webhooks.json. */
  url?: string;
  /** Use a key fetched less than this long ago (default 10 minutes). */
  maxAgeMs?: number;
}

const cache = new Map<string, { key: Promise<string>; at: number }>();

/**
 * The webhook public key (PEM), fetched from `url` and kept for `maxAgeMs`;
 * concurrent callers share one fetch, and a failed fetch is not kept.
 */
export function fetchWebhookPublicKey(options: WebhookPublicKeyOptions = {}): Promise<string> {
  const url = options.url ?? WEBHOOK_PUBLIC_KEY_URL;
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < (options.maxAgeMs ?? DEFAULT_MAX_AGE_MS)) return hit.key;
  const key = download(url);
  cache.set(url, { key, at: Date.now() });
  key.catch(() => {
    if (cache.get(url)?.key === key) cache.delete(url);
  });
  return key;
}

async function download(url: string): Promise<string> {
  const fail = (why: string) => new Error(`RealtimeKit webhook public key: GET ${url} ${why}`);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (e) {
    throw fail(`failed: ${(e as Error).name === "TimeoutError" ? `no answer within ${FETCH_TIMEOUT_MS} ms` : ((e as Error).cause as Error)?.message ?? (e as Error).message}`);
  }
  if (!res.ok) throw fail(`answered HTTP ${res.status}`);
  const body = (await res.json().catch(() => undefined)) as { data?: { publicKey?: unknown } } | undefined;
  const pem = body?.data?.publicKey;
  if (typeof pem !== "string") throw fail("answered no data.publicKey");
  try {
    createPublicKey(pem);
  } catch {
    throw fail("answered a data.publicKey that is no PEM public key");
  }
  return pem;
}
