// The one error type of the client. It names what was asked and what the API
// answered, and never carries the token: whoever builds one passes the token as
// `secret`, and every text is cleaned of it here, in one place.

export interface ErrorDetails {
  method: string;
  /** Path below the base URL, e.g. /accounts/abc/realtime/kit/apps. Never holds the token. */
  path: string;
  /** HTTP status; 0 when no answer arrived (network error, timeout); 200 for a success answer that lacks what it must hold. */
  status: number;
  /** The API's own error code, when it sent one. */
  code?: string | number;
  /** The API's message, or what went wrong on the way. */
  message: string;
  /** What the API's answer most likely means, and what to do: shown after its message, never mixed into `apiMessage`. */
  hint?: string;
  /** The server's x-request-id / cf-ray header. */
  requestId?: string;
  /** True when the request may have reached the server and been carried out. */
  ambiguous?: boolean;
  /**
   * The API token: removed from every text above before the error is built, so
   * neither its message, its stack nor its fields can carry it (a server may
   * echo the Authorization header in a message, a code or a header). Not kept.
   */
  secret?: string;
}

/** Longest request id kept: real ones are a UUID or a cf-ray (~20 characters); longer is not an id. */
const MAX_REQUEST_ID = 100;

export class RealtimeKitError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code?: string | number;
  readonly apiMessage: string;
  readonly requestId?: string;
  /** The request may have been carried out although no success answer arrived. */
  ambiguous: boolean;

  constructor(details: ErrorDetails) {
    const { secret, ...d } = details;
    const clean = (text: string) => redact(text, secret);
    const path = clean(d.path);
    const message = clean(d.message);
    const code = typeof d.code === "string" ? clean(d.code) : d.code;
    const requestId = d.requestId === undefined ? undefined : clean(d.requestId).slice(0, MAX_REQUEST_ID);
    const status = !d.status ? "no response" : d.status < 300 ? "HTTP 2xx" : `HTTP ${d.status}`;
    const id = requestId ? ` (request id ${requestId})` : "";
    const hint = d.hint ? `; ${clean(d.hint)}` : "";
    super(`RealtimeKit API ${clean(d.method)} ${path} failed: ${status}: ${message}${hint}${id}`);
    this.name = "RealtimeKitError";
    this.method = clean(d.method);
    this.path = path;
    this.status = d.status;
    this.code = code;
    this.apiMessage = message;
    this.requestId = requestId;
    this.ambiguous = d.ambiguous ?? false;
  }

  get notFound() {
    return this.status === 404;
  }
}

/** Removes every occurrence of a secret from a text (messages may echo headers). */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join("[redacted]") : text;
}
