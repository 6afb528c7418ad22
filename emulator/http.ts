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

/**
 * Largest request body read, in bytes. The API's bodies are a few KiB (a preset
 * with a big config_diff: tens of KiB); anything near this is a mistake or an attack.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** 401 unless the request carries the one bearer token accepted: checked first, so a stranger's body is never read. */
export function requireToken(req: IncomingMessage, token: string): void {
  if (req.headers.authorization !== `Bearer ${token}`) throw new HttpError(401, "Missing or invalid API token");
}

const tooLarge = () => new HttpError(413, `Request body larger than ${MAX_BODY_BYTES} bytes`);

/** The body as text; 413 as soon as it is known to be over the cap (by its content-length, or while reading). */
export function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  // Events, not `for await`: leaving that loop early destroys the socket, and the 413 could not be sent.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off("data", onData).pause();
      reject(tooLarge());
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
    // A client that went away mid-body (no "end"): settle, so the handler does not wait forever.
    req.once("close", () => reject(new HttpError(400, "Request aborted")));
  });
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
