// A program's resources as the tests find them: a state entry by its name, and
// the live object behind it in the emulator's store (its kind, read off the
// entry's type, says the store's group), and the writes sent to a group.
import type { EngineState, ResourceState } from "../harness";
import type { Stack } from "./stack";

export type KindName = "App" | "Preset" | "Meeting" | "Webhook";

/** The store's group (and the API's path) of each kind an app holds. */
export const GROUP = { Preset: "presets", Meeting: "meetings", Webhook: "webhooks" } as const;
export type Group = (typeof GROUP)[keyof typeof GROUP];

export const byName = (state: EngineState, name: string) => Object.values(state).find((r) => r.name === name)!;

/** The kind of a state entry, through either door (the last part of its type). */
export const kindOf = (r: ResourceState) => r.type.split(":").pop() as KindName;

/** The live object behind a state entry, straight from the emulator's store. */
export function liveOf(stack: Pick<Stack, "em" | "account">, r: ResourceState) {
  const kind = kindOf(r);
  if (kind === "App") return stack.em.store.app(stack.account, r.id);
  return stack.em.store.get(stack.account, GROUP[kind], r.outputs.appId as string, r.id);
}

/** How many updates the emulator has had for objects of a group, PATCH and PUT. */
export const writes = (stack: Pick<Stack, "em">, group: Group) =>
  stack.em.requests.count("PATCH", `/:app/${group}/:id`) + stack.em.requests.count("PUT", `/:app/${group}/:id`);
