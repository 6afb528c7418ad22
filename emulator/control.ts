// The emulator's own control API, at the server's root and apart from the
// RealtimeKit paths: what a client SDK would do in a meeting (join, leave), what
// the live service does on its own (end a session), and what tests and users
// read (the delivery log, the webhook public key). It takes the API's bearer
// token, but none of the API's injected faults or its rate limit, and its
// requests are not counted with the API's.
//
// The webhook public key is also served where the live API serves its own,
// `/.well-known/webhooks.json` (at https://api.realtime.cloudflare.com; Cloudflare's
// RealtimeKit webhooks page, "Fetch the public key"), in its envelope and, as
// there, to anyone.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Deliveries } from "./deliveries";
import { HttpError, parseJson, readBody, requireToken, send } from "./http";
import type { Sessions } from "./sessions";
import type { WebhookKey } from "./webhook-key";

export const CONTROL_PREFIX = "/__emulator/";

/** The control routes (below CONTROL_PREFIX) and their methods: what the server answers and the CLI sends. */
export const CONTROL_METHODS = { join: "POST", leave: "POST", end: "POST", deliveries: "GET", "webhook-public-key": "GET" } as const;
export type ControlRoute = keyof typeof CONTROL_METHODS;
export const PUBLIC_KEY_PATH = "/.well-known/webhooks.json";

export interface ControlDeps {
  token: string;
  sessions: Sessions;
  deliveries: Deliveries;
  key: WebhookKey;
}

/** Whether a request's path is the control API's rather than RealtimeKit's. */
export function isControlPath(rawUrl: string | undefined): boolean {
  const path = (rawUrl ?? "/").split("?")[0];
  return path === PUBLIC_KEY_PATH || path.startsWith(CONTROL_PREFIX);
}

type Route = { run: (body: unknown) => unknown | Promise<unknown>; pem?: boolean };

export async function handleControl(deps: ControlDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://emulator").pathname;
  if (path === PUBLIC_KEY_PATH) {
    if (req.method !== "GET") throw new HttpError(405, `${req.method} is not supported on this path`, { allow: "GET" });
    return send(res, 200, { success: true, data: { publicKey: await deps.key.publicKeyPem() }, message: "" });
  }
  requireToken(req, deps.token);
  const routes: Record<ControlRoute, Route> = {
    join: { run: (body) => deps.sessions.join(body) },
    leave: { run: (body) => deps.sessions.leave(body) },
    end: { run: (body) => deps.sessions.end(body) },
    deliveries: { run: () => ({ deliveries: deps.deliveries.list() }) },
    "webhook-public-key": { run: () => deps.key.publicKeyPem(), pem: true },
  };
  const name = path.slice(CONTROL_PREFIX.length);
  if (!Object.hasOwn(routes, name)) throw new HttpError(404, `No emulator control route ${path}; there are ${Object.keys(routes).map((r) => CONTROL_PREFIX + r).join(", ")}`);
  const route = routes[name as ControlRoute];
  const method = CONTROL_METHODS[name as ControlRoute];
  if (req.method !== method) throw new HttpError(405, `${req.method} is not supported on this path`, { allow: method });
  const raw = await readBody(req);
  const answer = await route.run(method === "POST" ? parseJson(raw) : undefined);
  if (!route.pem) return send(res, 200, answer);
  const text = String(answer);
  res.writeHead(200, { "content-type": "application/x-pem-file", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}
