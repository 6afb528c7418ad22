// The quickstart and the GitOps example deployed for real: each program runs
// under mocks with its resources forwarded to the dynamic-provider host against
// the emulator; the second run and a refresh show no changes.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refresh, runProgram } from "./harness";
import { nodeRequire, root, startStack, type Stack } from "./support/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const programs = {
  quickstart: () => nodeRequire(path.join(root, "dist/examples/quickstart/program")).quickstart(),
  gitops: () => nodeRequire(path.join(root, "dist/examples/gitops/program")).gitops(path.join(root, "examples/gitops")),
};

describe.each(Object.keys(programs) as (keyof typeof programs)[])("%s example", (name) => {
  it("deploys, exports the ids, then shows no changes and no drift", async () => {
    const first = await runProgram(programs[name], { host: stack.host });
    expect(first.steps.length).toBeGreaterThan(3);
    expect(first.steps.every((s) => s.op === "create")).toBe(true);
    const ids = first.steps.map((s) => s.id);
    // Every exported id is a real object's id.
    const exported = JSON.stringify(first.outputs);
    for (const s of first.steps) expect(exported).toContain(s.id);
    expect(new Set(ids).size).toBe(ids.length);

    stack.em.requests.reset();
    const second = await runProgram(programs[name], { host: stack.host, state: first.state });
    expect(second.steps.every((s) => s.op === "same")).toBe(true);
    expect(stack.em.requests.total()).toBe(0);
    expect(second.outputs).toEqual(first.outputs);

    const refreshed = await refresh(second.state, stack.host);
    expect(refreshed.filter((r) => r.changed || r.dropped)).toEqual([]);
    const third = await runProgram(programs[name], { host: stack.host, state: second.state });
    expect(third.steps.every((s) => s.op === "same")).toBe(true);
  });
});
