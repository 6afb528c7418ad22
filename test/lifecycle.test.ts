// What only the dynamic-provider door has, through the real dynamic-provider
// host against the emulator: adoption with `importId` (Pulumi's own import
// cannot reach a dynamic provider), and the serialized stub that each resource's
// state carries. The lifecycle both doors share is test/behaviour.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "./harness";
import { meetingArgs, presetArgs, webhookArgs } from "./fixtures/args";
import { ops } from "./behaviour/scenarios";
import { byName } from "./support/live";
import { sdk, startStack, type Stack } from "./support/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const cases = [
  { kind: "Preset", group: "presets", args: () => presetArgs() },
  { kind: "Meeting", group: "meetings", args: () => meetingArgs() },
  { kind: "Webhook", group: "webhooks", args: () => webhookArgs() },
] as const;

describe.each(cases)("$kind adoption", ({ kind, group, args }) => {
  it("importId adopts the existing object: no POST, state equal to the created one", async () => {
    const program = (imports: { app?: string; obj?: string } = {}) => () => {
      const rtk = sdk();
      const app = new rtk.App("app", { name: `adopt-${group}`, ...(imports.app ? { importId: imports.app } : {}) });
      new rtk[kind]("obj", { appId: app.id, ...args(), ...(imports.obj ? { importId: imports.obj } : {}) } as never);
    };
    const made = await runProgram(program(), { host: stack.host });
    const [appId, id] = [byName(made.state, "app").id, byName(made.state, "obj").id];
    const count = (method: string, route: string) => stack.em.requests.count(method, route);

    stack.em.requests.reset();
    const imports = { app: appId, obj: `${appId}/${id}` };
    const run = await runProgram(program(imports), { host: stack.host });
    expect(ops(run.steps)).toEqual({ app: "create", obj: "create" });
    expect(count("POST", `/:app/${group}`)).toBe(0);
    expect(count("POST", "/apps")).toBe(0);
    // Write-only values (a meeting's storage credentials) cannot be read back, so adoption sends them once.
    expect(count("PATCH", `/:app/${group}/:id`)).toBe(kind === "Meeting" ? 1 : 0);
    const adopted = byName(run.state, "obj");
    expect(adopted.id).toBe(id);
    const sansStamp = (o: Record<string, unknown>) => ({ ...o, updatedAt: "(the adoption PATCH moves it)" });
    expect(sansStamp(adopted.outputs)).toEqual(sansStamp(byName(made.state, "obj").outputs));
    expect(byName(run.state, "app").outputs).toEqual(byName(made.state, "app").outputs);
    const again = await runProgram(program(imports), { host: stack.host, state: run.state });
    expect(ops(again.steps)).toEqual({ app: "same", obj: "same" });
  });
});

describe("Pulumi's own import option", () => {
  it("cannot work for dynamic resources: the engine's import Read carries no __provider, so importId is needed", async () => {
    // On `import`, the engine sends Read with the id and empty properties (pulumi/pulumi#3550, #16175).
    const read = stack.host.read("some-id", "urn:pulumi:test::test::pulumi-nodejs:dynamic/realtimekit:Preset::p", {});
    await expect(read).rejects.toThrow("code must be a string, not undefined"); // require-from-string of a missing __provider
  });
});

describe("the serialized stub", () => {
  it("holds no token and no code of ours: small, it loads the installed package by name", async () => {
    const run = await runProgram(
      () => {
        const rtk = sdk();
        const app = new rtk.App("app", { name: "token-app" });
        new rtk.Preset("p", { appId: app.id, ...presetArgs() } as never);
        new rtk.Webhook("w", { appId: app.id, ...webhookArgs() } as never);
        new rtk.Meeting("m", { appId: app.id, ...meetingArgs() } as never);
      },
      { host: stack.host },
    );
    for (const r of Object.values(run.state)) {
      const stub = r.inputs.__provider as string;
      expect(stub).not.toContain(stack.token);
      expect(Buffer.byteLength(stub)).toBeLessThan(4096);
      expect(stub).toContain('require("pulumi-realtimekit/provider")');
      expect(stub).not.toMatch(/zod|ofetch|Bearer/);
    }
  });
});
