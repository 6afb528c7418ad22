// Issue 11 item 6 and "Tests the suite lacks" (token redaction): a server that
// echoes the Authorization header back, in the error body (message and code),
// the status text, the x-request-id and cf-ray headers, and in a body it cuts
// off halfway. Neither the client's errors (String, stack, JSON, inspect) nor
// a `pulumi up` failing through the real dynamic-provider host carry the token.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RealtimeKit, RealtimeKitError } from "../provider/client";
import { ProgramError, runProgram, startHost } from "./harness";
import { root, sdk } from "./support/stack";

const TOKEN = "tok-ECHOED-3f9a1c7e5b2d4086";
const ACCOUNT = "acct-echo";

type Mode = "http-error" | "cf-ray" | "status-text" | "cut-body" | "reset";
let mode: Mode = "http-error";
let server: Server;
let base: string;

/** Echoes the Authorization header wherever a server could put it. */
function echo(req: IncomingMessage, res: ServerResponse) {
  const auth = req.headers.authorization ?? "";
  switch (mode) {
    case "http-error": {
      const body = JSON.stringify({ success: false, error: { code: `E-${auth}`, message: `you sent ${auth}; token=${TOKEN}` } });
      res.writeHead(400, { "content-type": "application/json", "x-request-id": auth, "cf-ray": TOKEN });
      return res.end(body);
    }
    case "cf-ray":
      res.writeHead(404, { "content-type": "application/json", "cf-ray": `${TOKEN}-LHR` });
      return res.end(JSON.stringify({ errors: [{ code: 7003, message: `no route for ${auth}` }] }));
    case "status-text":
      // No message in the body: the client falls back to the status text.
      res.writeHead(403, auth, { "content-type": "text/plain", "x-request-id": `${TOKEN}${"x".repeat(5000)}` });
      return res.end();
    case "cut-body":
      // Headers (with the token) arrive, then the connection dies mid-body: a network error after an answer began.
      res.writeHead(200, { "content-type": "application/json", "content-length": "100000", "x-request-id": auth });
      res.write(`{"success":true,"data":{"echo":"${auth}`);
      return void setTimeout(() => res.socket?.destroy(), 20);
    case "reset":
      return void req.socket.destroy();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => echo(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () =>
  new RealtimeKit({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl: base, retries: 0, timeoutMs: 5_000, limits: [] });

async function failure(call: Promise<unknown>): Promise<RealtimeKitError> {
  const e = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof RealtimeKitError)) throw new Error(`expected a RealtimeKitError, got ${String(e)}`);
  return e;
}

/** Every way an error is printed or stored, none with the token. */
function expectNoToken(err: Error) {
  for (const [how, text] of [
    ["String", String(err)],
    ["stack", err.stack ?? ""],
    ["JSON", JSON.stringify(err)],
    ["inspect", inspect(err, { depth: 10, showHidden: true })],
  ]) {
    expect(text, how).not.toContain(TOKEN);
  }
}

describe("a server echoing the token: the client's errors never carry it", () => {
  it("an HTTP error with the token in the message, the code, x-request-id and cf-ray", async () => {
    mode = "http-error";
    const err = await failure(client().apps.create({ name: "x" }));
    expect([err.status, err.requestId, err.code, err.apiMessage]).toEqual([400, "Bearer [redacted]", "E-Bearer [redacted]", "you sent Bearer [redacted]; token=[redacted]"]);
    expectNoToken(err);
  });

  it("the request id from cf-ray alone", async () => {
    mode = "cf-ray";
    const err = await failure(client().presets.get("app", "p"));
    expect([err.status, err.requestId, err.apiMessage]).toEqual([404, "[redacted]-LHR", "no route for Bearer [redacted]"]);
    expectNoToken(err);
  });

  it("the token as the status text, and an oversized request id (cut to 100 characters)", async () => {
    mode = "status-text";
    const err = await failure(client().apps.list().next());
    expect([err.status, err.apiMessage, err.requestId?.length]).toEqual([403, "Bearer [redacted]", 100]);
    expectNoToken(err);
  });

  it("a network error after the headers came (the body cut off), and a connection reset", async () => {
    for (const m of ["cut-body", "reset"] as const) {
      mode = m;
      const err = await client()
        .apps.create({ name: "x" })
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(err, m).toBeInstanceOf(Error);
      expectNoToken(err!);
    }
  });
});

describe("through the dynamic-provider host", () => {
  it("a failed create reports the API's error without the token, in the error and in the engine's log", async () => {
    mode = "http-error";
    const host = await startHost({
      cwd: root,
      config: { "realtimekit:accountId": ACCOUNT, "realtimekit:apiToken": TOKEN, "realtimekit:baseUrl": base },
    });
    try {
      const run = runProgram(() => void new (sdk().App)("echoed", { name: "echoed" }), { host });
      const err = await run.then(
        () => undefined,
        (e: unknown) => e as ProgramError,
      );
      expect(err).toBeInstanceOf(ProgramError);
      expect(err!.message).toContain("HTTP 400: you sent Bearer [redacted]; token=[redacted] (request id Bearer [redacted])");
      expectNoToken(err!);
      expect(inspect(err!.cause, { depth: 10 })).not.toContain(TOKEN);
      expect(JSON.stringify(host.logs)).not.toContain(TOKEN);
      expect(host.stderr).not.toContain(TOKEN);
    } finally {
      await host.stop();
    }
  });
});
