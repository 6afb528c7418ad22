// Reading the API's `{ success, data, paging }` envelope.
//
// Answers are typed, not validated: a newer API with more fields or enum values
// must not break a read, and a lenient parse returned the very same value at a
// cost of about 0.1 ms per answer (a fifth of the provider's own CPU per call).
// What every caller relies on is checked, and an answer without it is an error
// that names the request.
import type { Paging } from "../schema";
import { send, type Method } from "./access";
import { RealtimeKitError } from "./errors";
import type { Http, RequestOptions } from "./http";

export interface Envelope<T> {
  success?: boolean;
  data?: T;
  paging?: Paging;
}

/** The `data` of the answer to a request; an answer without data is an error. */
export async function dataOf<T>(http: Http, method: Method, subPath: string, o?: RequestOptions): Promise<T> {
  const body = await send<Envelope<T> | undefined>(http, method, subPath, o);
  if (body?.data === undefined || body.data === null) throw missing(http, method, subPath, "data");
  return body.data;
}

/**
 * The object a POST made, found in its answer by `pick`. An answer without the
 * new object's id is an error, and ambiguous: the object may exist all the same.
 */
export async function createdBy<T extends { id?: unknown }>(
  http: Http,
  subPath: string,
  body: unknown,
  pick: (data: unknown) => unknown = (d) => d,
): Promise<T & { id: string }> {
  const made = pick(await dataOf<unknown>(http, "POST", subPath, { body })) as T | undefined;
  if (typeof made?.id !== "string" || !made.id) throw missing(http, "POST", subPath, "the new object's id");
  return made as T & { id: string };
}

function missing(http: Http, method: Method, subPath: string, what: string): RealtimeKitError {
  return new RealtimeKitError({
    method,
    path: http.accountPath + subPath,
    status: 200,
    message: `answered without ${what}`,
    ambiguous: method === "POST",
  });
}
