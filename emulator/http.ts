// Reading requests and writing RealtimeKit's `{success, data}` / `{success:false, error}` envelopes.
import type { IncomingMessage, ServerResponse } from "node:http";

/** An error answer: thrown by handlers, turned into the error envelope by the server. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** An empty body is `undefined` (the schema then names what is missing). */
export function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Invalid JSON body");
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  send(res, error.status, { success: false, error: { code: error.status, message: error.message } }, error.headers);
}
