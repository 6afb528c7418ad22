// A proxy on 127.0.0.1 in front of the emulator that lets a test answer or hold
// back one request of its choosing (the emulator's faults apply to all requests
// alike), and records when each request arrived, on the server's own clock.
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Arrival {
  /** Date.now() when the request's headers arrived. */
  at: number;
  method: string;
  /** Path and query, as sent. */
  url: string;
  body: string;
}

/**
 * Decides a request's fate: resolves true when it answered `res` itself;
 * otherwise the request is forwarded once it resolves (so it can hold one back).
 */
export type Steer = (arrival: Arrival, res: ServerResponse) => Promise<boolean>;

export interface Proxy {
  /** The emulator's base URL, through the proxy. */
  url: string;
  arrivals: Arrival[];
  close(): Promise<void>;
}

export async function startProxy(target: string, steer: Steer): Promise<Proxy> {
  const base = new URL(target);
  const arrivals: Arrival[] = [];
  const server = createServer(async (req, res) => {
    const at = Date.now();
    const arrival: Arrival = { at, method: req.method ?? "GET", url: req.url ?? "/", body: await readAll(req) };
    arrivals.push(arrival);
    if (await steer(arrival, res)) return;
    const out = request(
      { host: base.hostname, port: base.port, method: arrival.method, path: arrival.url, headers: { ...req.headers, host: base.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    out.end(arrival.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base.pathname}`,
    arrivals,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
