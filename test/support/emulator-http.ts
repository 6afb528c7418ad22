// The emulator over plain HTTP, as any client reaches it, with the API's bearer
// token and a JSON body when there is one: the RealtimeKit REST API (below
// /accounts/{account}/realtime/kit) and the emulator's own control API
// (emulator/control.ts, at the server's root, apart from /client/v4).
import { CONTROL_PREFIX } from "../../emulator/control";

/** An emulator (its URL ends in /client/v4) and what a client sends it: a Stack, a DoorStack, or one made by hand. */
export interface Emulated {
  em: { url: string };
  token: string;
  account: string;
}

export interface Answer {
  status: number;
  body: any; // as parsed JSON
}

const send = (url: string, token: string, method: string, body: unknown) =>
  fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A request to the REST API: `sub` is below /accounts/{account}/realtime/kit; an empty answer's body is undefined. */
export async function rest(e: Emulated, method: string, sub: string, body?: unknown, account = e.account): Promise<Answer> {
  const res = await send(`${e.em.url}/accounts/${account}/realtime/kit${sub}`, e.token, method, body);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A request to the control API: `route` is below /__emulator/; the public key's PEM comes as text, any other answer as parsed JSON. */
export async function control(e: Omit<Emulated, "account">, method: string, route: string, body?: unknown): Promise<Answer> {
  const res = await send(`${e.em.url.replace(/\/client\/v4$/, "")}${CONTROL_PREFIX}${route}`, e.token, method, body);
  const text = await res.text();
  return { status: res.status, body: res.headers.get("content-type") === "application/x-pem-file" ? text : JSON.parse(text) };
}
