// Your backend's webhook receiver. RealtimeKit POSTs each event the webhook
// subscribes to (the quickstart's: meeting.started, meeting.ended and
// recording.statusUpdate) as JSON, signed in the `rtk-signature` header. The
// receiver checks that signature against the raw body before it trusts a byte,
// answers 2xx at once and does the work after, as Cloudflare's RealtimeKit
// webhooks page asks ("Return a 2xx response as soon as it accepts the event").
// The same code runs against the emulator and against Cloudflare: only the
// address of the public key differs.
//
//   node dist/examples/quickstart/receiver.js [port]
// listens on 127.0.0.1 (default port 4000) at /realtimekit/events and prints each
// verified event; it reads REALTIMEKIT_WEBHOOK_KEY_URL (the emulator's
// http://127.0.0.1:8787/.well-known/webhooks.json; default Cloudflare's).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { fetchWebhookPublicKey, verifyWebhookSignature } from "pulumi-realtimekit";

/** An event as RealtimeKit sends it: `event` names it, the other fields depend on it. */
export interface RealtimeKitEvent {
  event: string;
  [field: string]: unknown;
}

export interface ReceiverOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Where the webhook public key is served (default: Cloudflare's). */
  publicKeyUrl?: string;
  /** Your backend's work, run after the answer: a failure here is logged, and RealtimeKit is not asked to send again. */
  onEvent(event: RealtimeKitEvent): void | Promise<void>;
}

export const EVENTS_PATH = "/realtimekit/events";

/** Largest body read: events are a few KiB. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Longest a request may take to arrive. */
const READ_TIMEOUT_MS = 10_000;

/** Starts the receiver; resolves with its URL (the webhook's `url`) and a way to stop it. */
export async function startReceiver(options: ReceiverOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const answer = (status: number, text = "") => res.writeHead(status, { "content-type": "text/plain" }).end(text);
    if (req.method !== "POST" || req.url !== EVENTS_PATH) return answer(404, "Not found");
    const raw = await readBody(req).catch(() => undefined);
    if (raw === undefined) return answer(400, "Unreadable body");
    let publicKey: string;
    try {
      publicKey = await fetchWebhookPublicKey({ url: options.publicKeyUrl });
    } catch (e) {
      console.error((e as Error).message);
      return answer(503, "Public key unavailable"); // a 5xx: RealtimeKit sends the event again
    }
    // The raw body, never JSON parsed and serialized again: one byte of difference breaks the signature.
    if (!verifyWebhookSignature(raw, req.headers["rtk-signature"] as string | undefined, publicKey)) return answer(401, "Invalid signature");
    answer(200);
    let event: RealtimeKitEvent;
    try {
      event = JSON.parse(raw.toString("utf8"));
    } catch {
      return console.error("a signed body that is not JSON");
    }
    Promise.resolve()
      .then(() => options.onEvent(event))
      .catch((e: Error) => console.error(`handling ${event.event} failed: ${e.message}`));
  });
  server.requestTimeout = READ_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${EVENTS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return req.destroy(new Error("body too large"));
      chunks.push(chunk);
    });
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? 4000);
  startReceiver({
    port,
    publicKeyUrl: process.env.REALTIMEKIT_WEBHOOK_KEY_URL || undefined,
    onEvent: (event) => console.log(JSON.stringify(event)),
  }).then(
    ({ url }) => console.error(`listening at ${url}`),
    (e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
}
