// A scripted RealtimeKit API on 127.0.0.1: each request is answered by the
// test's handler, for answers the emulator never gives. Servers and hosts are
// closed by `closeScripted` (a file's afterAll).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startHost, type Host } from "../harness";
import { root } from "./stack";

export const ACCOUNT = "acct-scripted";
export const TOKEN = "tok-scripted-5e1d";
const KIT = `/client/v4/accounts/${ACCOUNT}/realtime/kit`;

export type Reply = { status?: number; body: unknown };
/** `path` is below the account's realtime/kit path, e.g. "/apps". */
export type Handler = (method: string, path: string, query: URLSearchParams) => Reply;

const servers: Server[] = [];
const hosts: Host[] = [];

/** A server answering from `handle`, recording requests as "METHOD path"; its base URL. */
export async function serve(handle: Handler): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    req.resume().on("end", () => {
      const sub = url.pathname.startsWith(KIT) ? url.pathname.slice(KIT.length) : url.pathname;
      requests.push(`${req.method} ${sub}`);
      const { status = 200, body } = handle(req.method ?? "GET", sub, url.searchParams);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`, requests };
}

/** Pulumi's dynamic-provider host, configured against `url`. */
export async function hostOf(url: string): Promise<Host> {
  const h = await startHost({ cwd: root, config: { "realtimekit:accountId": ACCOUNT, "realtimekit:apiToken": TOKEN, "realtimekit:baseUrl": url } });
  hosts.push(h);
  return h;
}

/** Closes the servers started so far. */
export async function closeServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
}

/** Closes the servers and stops the hosts started so far. */
export async function closeScripted(): Promise<void> {
  await Promise.all([closeServers(), ...hosts.splice(0).map((h) => h.stop())]);
}
