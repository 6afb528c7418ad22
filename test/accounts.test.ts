// A resource's accountId: one stack, two accounts, one token. Each object is
// created, read, updated and deleted in its own account; changing accountId
// replaces the object (another account is another object); a bad value fails
// the check before any request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refresh, runProgram } from "./harness";
import { presetArgs, webhookArgs } from "./fixtures/args";
import { byName } from "./support/live";
import { sdk, startStack, type Stack } from "./support/stack";

let stack: Stack;
let other: string; // a second account the same token may use
beforeAll(async () => {
  stack = await startStack();
  other = `${stack.account}-other`;
});
afterAll(() => stack?.close());


describe("a resource's accountId", () => {
  it("two accounts in one stack with one token; changing accountId replaces the object", async () => {
    const program = (movedTo: string) => () => {
      const rtk = sdk();
      const home = new rtk.App("home", { name: "home" });
      const away = new rtk.App("away", { name: "away", accountId: other });
      new rtk.Preset("host", { appId: home.id, ...presetArgs() } as never);
      new rtk.Webhook("events", { appId: away.id, accountId: other, ...webhookArgs() } as never);
      const movable = new rtk.App("movable", { name: "movable", accountId: movedTo });
      new rtk.Preset("moved", { appId: movable.id, accountId: movedTo, ...presetArgs("moved") } as never);
      return { home: home.accountId, away: away.accountId };
    };
    const first = await runProgram(program(other), { host: stack.host });
    expect(first.outputs).toEqual({ home: stack.account, away: other });
    const home = byName(first.state, "home").id;
    const away = byName(first.state, "away").id;
    const movable = byName(first.state, "movable").id;
    expect(stack.em.store.apps(stack.account).map((a) => a.id)).toContain(home);
    expect(stack.em.store.apps(other).map((a) => a.id).sort()).toEqual([away, movable].sort());
    expect(stack.em.store.list(other, "webhooks", away).map((w) => w.id)).toEqual([byName(first.state, "events").id]);
    expect(stack.em.store.list(stack.account, "presets", home).map((p) => p.id)).toEqual([byName(first.state, "host").id]);
    expect(byName(first.state, "moved").outputs.accountId).toBe(other);

    // Refresh reads each object in its own account: nothing drifted, nothing dropped.
    expect((await refresh(first.state, stack.host)).filter((r) => r.changed || r.dropped)).toEqual([]);
    const same = await runProgram(program(other), { host: stack.host, state: first.state });
    expect(same.steps.every((s) => s.op === "same")).toBe(true);

    // Another account is another object: the plan replaces, naming accountId.
    const plan = await runProgram(program(stack.account), { host: stack.host, state: same.state, preview: true });
    expect(plan.steps.find((s) => s.name === "movable")).toMatchObject({ op: "replace", changes: ["accountId"] });
    expect(plan.steps.find((s) => s.name === "moved")).toMatchObject({ op: "replace" });
    expect(plan.steps.find((s) => s.name === "moved")?.changes).toContain("accountId");
    const moved = await runProgram(program(stack.account), { host: stack.host, state: same.state });
    const newApp = byName(moved.state, "movable").id;
    expect(stack.em.store.list(stack.account, "presets", newApp).map((p) => p.id)).toEqual([byName(moved.state, "moved").id]);
    expect(stack.em.store.list(other, "presets", movable)).toEqual([]); // the old one, deleted in its own account
  });

  it("a bad accountId fails the check, naming the argument, before any request", async () => {
    stack.em.requests.reset();
    for (const [bad, reason] of [
      [42, "accountId: must be a string (a Cloudflare account id), got 42"],
      ["../other", 'accountId: must be one URL path segment (no "/", not "." or ".."), got "../other"'],
    ] as const) {
      const error = await runProgram(() => void new (sdk().App)("a", { name: "x", accountId: bad as unknown as string }), { host: stack.host }).catch((e) => e);
      expect(error.message).toContain(reason);
    }
    expect(stack.em.requests.total()).toBe(0);
  });
});

