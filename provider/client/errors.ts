// The one error type of the client. It names what was asked and what the API
// answered, and never carries the token.

export interface ErrorDetails {
  method: string;
  /** Path below the base URL, e.g. /accounts/abc/realtime/kit/apps. Never holds the token. */
  path: string;
  /** HTTP status; 0 when no answer arrived (network error, timeout). */
  status: number;
  /** The API's own error code, when it sent one. */
  code?: string | number;
  /** The API's message, or what went wrong on the way. */
  message: string;
  requestId?: string;
  /** True when the request may have reached the server and been carried out. */
  ambiguous?: boolean;
}

export class RealtimeKitError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code?: string | number;
  readonly apiMessage: string;
  readonly requestId?: string;
  /** The request may have been carried out although no success answer arrived. */
  ambiguous: boolean;

  constructor(d: ErrorDetails) {
    const status = d.status ? `HTTP ${d.status}` : "no response";
    const id = d.requestId ? ` (request id ${d.requestId})` : "";
    super(`RealtimeKit API ${d.method} ${d.path} failed: ${status}: ${d.message}${id}`);
    this.name = "RealtimeKitError";
    this.method = d.method;
    this.path = d.path;
    this.status = d.status;
    this.code = d.code;
    this.apiMessage = d.message;
    this.requestId = d.requestId;
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
