// 403: RealtimeKit is not enabled on the account, or the token lacks the
// Realtime permission; a token that was just made is also refused for a moment
// (Alchemy's tests retry it). A 403 says nothing was done, so any request is
// sent again a few times before the error names both causes.
import { RealtimeKitError } from "./errors";
import type { Http, RequestOptions } from "./http";
import { sleep } from "./pacer";

export type Method = Parameters<Http["request"]>[0];

/** Waits before each new try of a request answered 403: 3.5 s in all. */
export const FORBIDDEN_WAITS_MS = [500, 1000, 2000];

/** `http.request`, with a 403 tried again and, if it stays, explained. */
export async function send<T>(http: Http, method: Method, subPath: string, o?: RequestOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await http.request<T>(method, subPath, o);
    } catch (e) {
      if (!(e instanceof RealtimeKitError && e.status === 403)) throw e;
      if (attempt >= FORBIDDEN_WAITS_MS.length) throw forbidden(e, attempt + 1);
      await sleep(FORBIDDEN_WAITS_MS[attempt]);
    }
  }
}

function forbidden(e: RealtimeKitError, tries: number): RealtimeKitError {
  const seconds = FORBIDDEN_WAITS_MS.reduce((a, b) => a + b, 0) / 1000;
  return new RealtimeKitError({
    method: e.method,
    path: e.path,
    status: e.status,
    code: e.code,
    requestId: e.requestId,
    message: e.apiMessage.replace(/\s+/g, " "), // one line, whatever the API's message holds
    hint:
      `still refused after ${tries} tries over ${seconds} s: RealtimeKit is not enabled on this Cloudflare account, ` +
      "or the API token lacks the Realtime permission (Realtime / Realtime Admin)",
  });
}
