// A webhook receiver for tests: an HTTP server on 127.0.0.1 that keeps every
// request it gets (headers and the raw body) and answers as told, by path: a
// status, or never (to time the sender out).
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: string;
  body: { event: string } & Record<string, any>;
  at: number;
}

export interface Receiver {
  url: string;
  got: Received[];
  /** The status of each answer from now on, or "hang": read the request and never answer. By path where `answers` names it. */
  answer: number | "hang";
  answers: Record<string, number | "hang">;
  /** Resolves once `n` requests have come (fails after `ms`). */
  waitFor(n: number, ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(host = "127.0.0.1"): Promise<Receiver> {
  const receiver = { got: [] as Received[], answer: 200 as number | "hang", answers: {} as Record<string, number | "hang"> };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      receiver.got.push({ path: req.url ?? "/", headers: req.headers, raw, body: JSON.parse(raw), at: Date.now() });
      const answer = receiver.answers[req.url ?? "/"] ?? receiver.answer;
      if (answer !== "hang") res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://${host}:${port}/hooks`,
    async waitFor(n: number, ms = 10_000) {
      const until = Date.now() + ms;
      while (receiver.got.length < n) {
        if (Date.now() > until) throw new Error(`the receiver got ${receiver.got.length} requests in ${ms} ms, not ${n}: ${receiver.got.map((g) => g.body.event).join(", ")}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return receiver.got.slice(0, n);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
