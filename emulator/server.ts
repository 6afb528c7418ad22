// The request pipeline: count, authenticate, read the body (capped), inject faults, route, validate, answer.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Access } from "./access";
import { handleControl, isControlPath, type ControlDeps } from "./control";
import type { FaultPlan } from "./faults";
import { HttpError, parseJson, readBody, requireToken, send, sendError } from "./http";
import type { Lag } from "./lag";
import type { RequestLimiter } from "./limit";
import type { RequestCounter } from "./requests";
import { matchRoute, type Method } from "./router";
import { routes } from "./routes";
import type { Store } from "./store";

/** Everything the API serves lives below this path. */
export const API_PREFIX = "/client/v4";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface ServerDeps {
  token: string;
  store: Store;
  requests: RequestCounter;
  faults: FaultPlan;
  limiter: RequestLimiter;
  lag: Lag;
  partialWrites: boolean;
  access: Access;
  /** The emulator's own control API (control.ts): no faults, no limit, not counted. */
  control: ControlDeps;
}

export function createListener(deps: ServerDeps): RequestListener {
  return (req, res) => {
    res.setHeader("x-request-id", randomUUID());
    const control = isControlPath(req.url);
    if (!control) res.once("finish", () => deps.requests.answered(res.statusCode));
    (control ? handleControl(deps.control, req, res) : handle(deps, req, res)).catch((e: unknown) => {
      if (res.destroyed) return; // the client went away
      // Answered before the body was read (401, 413): close the connection rather than read the rest.
      if (!req.complete) res.setHeader("connection", "close");
      if (e instanceof HttpError) return sendError(res, e);
      console.error("realtimekit-emulator: internal error:", e);
      if (!res.headersSent) sendError(res, new HttpError(500, "Internal emulator error"));
    });
  };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const delay = deps.faults.arrivalDelay();
  if (delay > 0) await sleep(delay);
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://emulator");
  const path = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : undefined;
  const found = path === undefined ? undefined : matchRoute(routes, path);
  const arrived = Date.now();
  deps.requests.record(method, found?.route.template ?? url.pathname, arrived);
  requireToken(req, deps.token);
  // The limit counts a request when it arrives, whatever happens to it after.
  const sender = { account: found?.params.account ?? "", token: deps.token, client: req.socket.remoteAddress ?? "" };
  const overLimit = found ? deps.limiter.admit(sender, arrived) : undefined;
  const raw = await readBody(req);

  const latency = deps.faults.latency();
  if (latency > 0) await sleep(latency);
  const failure = deps.faults.serverError();
  if (failure) throw new HttpError(failure, failure === 503 ? "Service unavailable (injected)" : "Internal server error (injected)");
  const retryAfter = deps.faults.rateLimited();
  if (retryAfter !== undefined) {
    throw new HttpError(429, "Too many requests (injected)", { "retry-after": String(retryAfter) });
  }

  if (overLimit !== undefined) {
    throw new HttpError(429, "Rate limit exceeded: too many requests", { "retry-after": String(overLimit) });
  }
  deps.access.check(found?.params.account);
  if (!found) throw new HttpError(404, `No route for ${method} ${url.pathname}`);
  const handler = found.route.handlers[method as Method];
  if (!handler) {
    const allow = Object.keys(found.route.handlers).join(", ");
    throw new HttpError(405, `${method} is not supported on this path`, { allow });
  }

  // The write is never done; the client sees the same cut connection as after a commit.
  if (WRITES.has(method) && deps.faults.dropBeforeCommit()) {
    req.socket.destroy();
    return;
  }
  const reply = handler({
    params: found.params,
    query: url.searchParams,
    body: WRITES.has(method) ? parseJson(raw) : undefined,
    store: deps.store,
    lag: deps.lag,
    partialWrites: deps.partialWrites,
  });
  // The change is committed; the client just never learns of it.
  if (WRITES.has(method) && deps.faults.dropAfterCommit()) {
    req.socket.destroy();
    return;
  }
  send(res, reply.status ?? 200, { success: true, data: reply.data, ...(reply.paging && { paging: reply.paging }) });
}
