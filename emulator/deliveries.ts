// Webhook deliveries: each event goes, as a signed JSON POST, to every enabled
// webhook of the meeting's app whose `events` hold it, and to no other
// ("Webhook events are subscription-only", Cloudflare's RealtimeKit webhooks
// page). Headers as that page lists them: `rtk-signature`, `rtk-uuid` (one per
// delivery, the same on each retry, for deduplication) and `rtk-webhook-id`.
// A 2xx is delivered; a 5xx or a network error is tried again; any other answer
// fails at once (the page's "Retry behavior"). How often, how far apart and how
// long an attempt may take, the page does not say: the emulator's choice below,
// rows `webhook-retries` and `webhook-timeout` of docs/api-behaviour.md.
//
// Nothing here is awaited by an API answer: the session transitions enqueue and
// return. Each delivery is bounded in time (attempts × timeout + waits), and
// close() cuts whatever is under way.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import type { EventBody, WebhookEvent } from "./events";
import type { Records } from "./store";
import type { WebhookKey } from "./webhook-key";

/** Tries per delivery: the first and two more. */
export const ATTEMPTS = 3;
/** Waits before the second and third try. */
export const RETRY_WAITS_MS = [1_000, 2_000];
/** Longest an attempt may take, from connecting to the end of the answer. */
export const ATTEMPT_TIMEOUT_MS = 5_000;
/** Deliveries the log keeps (the newest); older ones are dropped. */
export const LOG_SIZE = 1_000;

/** Hosts a webhook may be delivered to without `allowRemoteWebhooks`. */
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export interface Delivery {
  /** The `rtk-uuid` header: the same on every attempt. */
  uuid: string;
  webhook_id: string;
  url: string;
  event: WebhookEvent;
  /** HTTP status of the last answer; null when none came (not yet tried, refused, timed out, blocked). */
  status: number | null;
  attempts: number;
  /** pending (queued or under way), delivered (a 2xx), failed, or blocked (a host the emulator does not deliver to). */
  outcome: "pending" | "delivered" | "failed" | "blocked";
  /** Why the last attempt got no answer, or why the delivery was blocked. */
  error?: string;
}

type Webhook = Records["webhooks"];

export interface DeliveryOptions {
  key: WebhookKey;
  /** Deliver to any http(s) host, not only 127.0.0.1, localhost and [::1]. */
  allowRemote: boolean;
  /** Called with one line per delivery once it is done (the CLI's --verbose). */
  log?: (line: string) => void;
}

export class Deliveries {
  private readonly records: Delivery[] = [];
  /**
   * The tail of each webhook's queue: its deliveries go one at a time, in the order the events happened.
   * A tail settles after every delivery queued before it, so the tails are every delivery under way.
   */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly stop = new AbortController();

  constructor(private readonly options: DeliveryOptions) {}

  /** Queues `body` for each of `webhooks` that is enabled and subscribed to its event. */
  emit(webhooks: Webhook[], body: EventBody): void {
    if (this.stop.signal.aborted) return;
    const text = JSON.stringify(body);
    for (const webhook of webhooks) {
      if (!webhook.enabled || !webhook.events.includes(body.event)) continue;
      const record: Delivery = { uuid: randomUUID(), webhook_id: webhook.id, url: webhook.url, event: body.event, status: null, attempts: 0, outcome: "pending" };
      this.records.push(record);
      if (this.records.length > LOG_SIZE) this.records.shift();
      const run = (this.queues.get(webhook.id) ?? Promise.resolve()).then(() => this.deliver(record, text));
      this.queues.set(webhook.id, run);
      void run.finally(() => {
        if (this.queues.get(webhook.id) === run) this.queues.delete(webhook.id);
      });
    }
  }

  /** Every delivery the log holds, oldest first (copies). */
  list(): Delivery[] {
    return structuredClone(this.records);
  }

  /** Resolves once no delivery is queued or under way. */
  async settled(): Promise<void> {
    while (this.queues.size) await Promise.allSettled([...this.queues.values()]);
  }

  /** Cuts every attempt and wait under way; nothing is sent after. */
  close(): Promise<void> {
    this.stop.abort();
    return this.settled();
  }

  private async deliver(record: Delivery, body: string): Promise<void> {
    const blocked = this.refusal(record.url);
    if (blocked) {
      Object.assign(record, { outcome: "blocked", error: blocked });
      return this.report(record);
    }
    try {
      const signature = await this.options.key.sign(body);
      for (;;) {
        if (this.stop.signal.aborted) throw new Error("the emulator closed");
        record.attempts++;
        const answer = await post(new URL(record.url), body, { "rtk-signature": signature, "rtk-uuid": record.uuid, "rtk-webhook-id": record.webhook_id }, this.stop.signal);
        record.status = answer.status ?? null;
        record.error = answer.error;
        if (answer.status !== undefined && answer.status >= 200 && answer.status < 300) {
          record.outcome = "delivered";
          break;
        }
        // Below 500: "records the delivery as failed and does not retry it" (the page).
        if ((answer.status !== undefined && answer.status < 500) || record.attempts >= ATTEMPTS) {
          record.outcome = "failed";
          break;
        }
        await sleep(RETRY_WAITS_MS[record.attempts - 1], undefined, { signal: this.stop.signal });
      }
    } catch (e) {
      record.outcome = "failed";
      record.error = this.stop.signal.aborted ? "the emulator closed" : (e as Error).message;
    }
    this.report(record);
  }

  /** Why this URL is not delivered to, or undefined. */
  private refusal(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return "not a URL";
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return `only http and https are delivered to, not ${parsed.protocol}`;
    if (!this.options.allowRemote && !LOCAL_HOSTS.has(parsed.hostname)) {
      return `${parsed.hostname} is not local: the emulator delivers to 127.0.0.1, localhost and [::1] only, unless started with --allow-remote-webhooks`;
    }
    return undefined;
  }

  private report(d: Delivery): void {
    if (!this.options.log) return;
    // The URL without its query or credentials: those may hold a receiver's secret.
    const where = safeUrl(d.url);
    const result = d.status !== null ? `HTTP ${d.status}` : (d.error ?? "no answer");
    const tries = `${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`;
    this.options.log(`realtimekit-emulator: webhook ${d.webhook_id} ${d.event} -> ${where}: ${d.outcome} (${result}, ${tries}, rtk-uuid ${d.uuid})`);
  }
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/** One attempt: the answer's status, or why there was none. The whole exchange is cut at ATTEMPT_TIMEOUT_MS. */
function post(url: URL, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    let status: number | undefined;
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      // No keep-alive pool: nothing lingers to hold the receiver's (or the emulator's) close.
      agent: false,
      signal,
      headers: {
        ...headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        "user-agent": "realtimekit-emulator",
        connection: "close",
      },
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)), ATTEMPT_TIMEOUT_MS);
    const done = (result: { status?: number; error?: string }) => {
      clearTimeout(timer);
      resolve(result);
    };
    request.once("response", (res) => {
      status = res.statusCode;
      res.resume(); // the answer's body is not read, only drained
      res.on("error", () => {}); // a body cut short still counts by its status
      res.once("close", () => done({ status }));
    });
    request.once("error", (e: NodeJS.ErrnoException) => {
      // An answer whose body was cut still counts by its status.
      if (status !== undefined) return done({ status });
      done({ error: e.name === "AbortError" ? "the emulator closed" : (e.code ?? e.message) });
    });
    request.end(body);
  });
}
