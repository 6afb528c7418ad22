// Steering an emulator request by request: hooks run as the emulator counts
// each request, before it decides on faults or handles it.
import type { Stack } from "./stack";

type Emulator = Stack["em"];
type Faults = Parameters<Emulator["setFaults"]>[0];

/** Calls `fn` as the emulator counts each request, before it is handled; returns the undo (which also clears faults). */
export function onRequest(em: Emulator, fn: (method: string, template: string) => void): () => void {
  const record = em.requests.record;
  em.requests.record = (method, template, at) => {
    record.call(em.requests, method, template, at);
    fn(method, template);
  };
  return () => {
    em.requests.record = record;
    em.setFaults({});
  };
}

/**
 * Applies `faults` from the `nth` POST to `route` on, until the provider first
 * looks a lost create up (its first GET of `route`): exactly that POST's answer
 * is lost. The switches are made synchronously as the emulator counts requests,
 * before it decides on faults.
 */
export function loseAnswerOfPost(em: Emulator, faults: Faults, route: string, nth = 1): () => void {
  let posts = 0;
  return onRequest(em, (method, template) => {
    if (!template.endsWith(route)) return;
    if (method === "POST" && ++posts === nth) em.setFaults(faults);
    if (method === "GET" && posts >= nth) em.setFaults({});
  });
}
