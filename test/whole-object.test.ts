// The program is the whole object (issue 23), for every optional argument of
// every kind, read off the schemas (test/support/leaves.ts), through both doors:
// set to a value the API would not give it, deployed; removed, the preview
// updates the resource naming each field, `up` sends one request, and the live
// object has the API's default (or none, for an inherit field); the next
// preview and refresh are clean. Then each field changed through the API is
// drift that `up` reverts. The fields of a kind go in one program each, to keep
// the suite's runtime down: every field is still named and checked.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { refresh, type EngineState } from "./harness";
import { ops } from "./behaviour/scenarios";
import { dynamicDoor, openDoor, pluginDoor, type Door, type DoorStack } from "./behaviour/doors";
import { rest } from "./support/emulator-http";
import { leaves, objectOf, type Leaf } from "./support/leaves";
import { byName, GROUP, liveOf, writes } from "./support/live";
import { nodeRequire, root } from "./support/stack";

const schema: typeof import("../provider/schema") = nodeRequire(path.join(root, "dist/provider/schema"));
const { kinds }: typeof import("../provider/kinds") = nodeRequire(path.join(root, "dist/provider/kinds"));
const { resourceProvider }: typeof import("../provider/resource") = nodeRequire(path.join(root, "dist/provider/resource"));
const { getPath, propertyPath }: typeof import("../provider/values") = nodeRequire(path.join(root, "dist/provider/values"));
const { serverSetFields }: typeof import("../provider/server-set") = nodeRequire(path.join(root, "dist/provider/server-set"));
const gitops: typeof import("../sdk/gitops") = nodeRequire(path.join(root, "dist/sdk/gitops"));

type KindName = "Meeting" | "Webhook" | "Preset";
const CASES: { kind: KindName; minimal: Record<string, unknown> }[] = [
  { kind: "Meeting", minimal: {} },
  { kind: "Webhook", minimal: { name: "whole", url: "https://example.com/whole", events: ["meeting.started"] } },
  { kind: "Preset", minimal: { name: "whole" } },
];

const none = (v: unknown) =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length) || (typeof v === "object" && v !== null && !Object.keys(v).length);
/** Whether one of `named` (dotted paths, or Pulumi property paths) is the leaf's path, below it, or an object above it that goes or comes whole. */
const names = (named: string[], leaf: Leaf) => {
  const below = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return named.some((n) => [leaf.camel.join("."), propertyPath(leaf.camel)].some((p) => below(n, p) || below(p, n)));
};

/** The leaves of a kind, and the desired object (snake_case) of its minimal arguments, as check makes it. */
async function fieldsOf(kind: KindName, minimal: Record<string, unknown>) {
  const k = kinds[kind];
  const { inputs, failures } = await resourceProvider(k).check({}, { appId: "app", ...minimal });
  expect(failures).toEqual([]);
  const { appId: _a, role: _r, ...desired } = inputs;
  const baseline = schema.convertKeys(k.schema, desired, "snake") as Record<string, unknown>;
  const all = leaves(k.args ?? k.schema, baseline, ["role"]);
  // A field the server sets for the object of them all (a VP8 meeting's audio codec) is no argument of it (test/server-set.test.ts).
  const set = serverSetFields(k.serverSets, objectOf(all), "snake").map((f) => f.path.join("."));
  return { baseline, leaves: all.filter((l) => !set.includes(l.snake.join("."))) };
}

function suite(door: Door) {
  let stack!: DoorStack;
  const run = openDoor(door, (s) => (stack = s));

  describe.each(CASES)("$kind: every optional argument", ({ kind, minimal }) => {
    const group = GROUP[kind];
    let fields: Awaited<ReturnType<typeof fieldsOf>>;
    let state: EngineState;
    const appName = `whole-${group}`;
    const program = (args: Record<string, unknown>) => () => {
      const rtk = stack.sdk();
      const app = new rtk.App("app", { name: appName });
      new rtk[kind]("obj", { appId: app.id, ...args });
    };
    const argsSchema = () => kinds[kind].args ?? kinds[kind].schema;
    const full = () => ({ ...minimal, ...(schema.convertKeys(argsSchema(), objectOf(fields.leaves), "camel") as object) });
    const live = () => liveOf(stack, byName(state, "obj")) as unknown as Record<string, unknown>;
    const managed = () => fields.leaves.filter((l) => l.kind !== "serverFilled");
    /** Each managed field at what the program wants: its default, or none (an inherit field). */
    const expectDefaults = () => {
      for (const l of managed()) {
        const [value, wanted] = [getPath(live(), l.snake), getPath(fields.baseline, l.snake)];
        if (wanted !== undefined) expect(value, l.snake.join(".")).toEqual(wanted);
        else if (!none(value)) expect(value, l.snake.join(".")).toEqual(l.default);
      }
    };

    /** `up` of the minimal program: one write, after which every managed field is what the program wants and the next preview is all "same". */
    const upToDefaults = async () => {
      stack.em.requests.reset();
      const up = await run(program(minimal), { state });
      state = up.state;
      expect(ops(up.steps)).toEqual({ app: "same", obj: "update" });
      expect(writes(stack, group)).toBe(1);
      expectDefaults();
      const again = await run(program(minimal), { state, preview: true });
      expect(ops(again.steps)).toEqual({ app: "same", obj: "same" });
    };

    beforeAll(async () => {
      fields = await fieldsOf(kind, minimal);
    });

    it("every field set to a value the API would not give it: one create, and the live object has them all", async () => {
      expect(fields.leaves.length).toBeGreaterThan(0);
      const result = await run(program(full()));
      state = result.state;
      expect(ops(result.steps)).toEqual({ app: "create", obj: "create" });
      for (const l of fields.leaves) expect(getPath(live(), l.snake), l.snake.join(".")).toEqual(l.value);
    });

    it("removed: the preview updates the resource (no replace) naming every managed field, and no server-filled one", async () => {
      stack.em.requests.reset();
      const plan = await run(program(minimal), { state, preview: true });
      expect(ops(plan.steps)).toEqual({ app: "same", obj: "update" });
      const step = plan.steps.find((s) => s.name === "obj")!;
      expect(step.diff?.replaces).toEqual([]);
      // What the CLI's --diff shows (both doors), and the provider's own paths (the plugin's detailedDiff).
      const named = [...(step.changes ?? []), ...Object.keys(step.diff?.detailedDiff ?? {})];
      for (const l of managed()) expect(names(named, l), `${l.camel.join(".")} in ${named.join(", ")}`).toBe(true);
      if (step.diff?.detailedDiff) {
        const paths = Object.keys(step.diff.detailedDiff);
        for (const l of fields.leaves.filter((x) => x.kind === "serverFilled")) expect(names(paths, l), l.camel.join(".")).toBe(false);
      }
      expect(stack.em.requests.total()).toBe(0);
    });

    it("up sends one request; then every field has its default, and the next preview and refresh are clean", async () => {
      await upToDefaults();
      // A cleared inherit field stays cleared: no drift.
      expect((await refresh(state, stack.doors)).filter((r) => r.changed)).toEqual([]);
    });

    it("each field changed through the API is drift: refresh sees it, the preview names it, up restores the default", async () => {
      // Write-only fields cannot be read back, and server-filled ones are the server's: neither can drift.
      const drifting = managed().filter((l) => !l.writeOnly);
      const obj = byName(state, "obj");
      expect((await rest(stack, "PATCH", `/${obj.outputs.appId}/${group}/${obj.id}`, objectOf(drifting))).status).toBe(200);

      const seen = await refresh(state, stack.doors);
      expect(seen.find((r) => r.name === "obj")).toMatchObject({ changed: true, dropped: false });
      const plan = await run(program(minimal), { state, preview: true });
      const step = plan.steps.find((s) => s.name === "obj")!;
      expect(step.op).toBe("update");
      const named = [...(step.changes ?? []), ...Object.keys(step.diff?.detailedDiff ?? {})];
      for (const l of drifting) expect(names(named, l), `${l.camel.join(".")} in ${named.join(", ")}`).toBe(true);

      await upToDefaults();
    });
  });

  it("a Preset's role removed: the preview names the fields the role set, and up puts back the default role's template", async () => {
    const program = (role?: string) => () => {
      const rtk = stack.sdk();
      const app = new rtk.App("app", { name: "whole-role" });
      new rtk.Preset("p", { appId: app.id, name: "viewers", ...(role ? { role } : {}) });
    };
    const first = await run(program("webinarViewer"));
    const plan = await run(program(), { state: first.state, preview: true });
    const step = plan.steps.find((s) => s.name === "p")!;
    expect(step.op).toBe("update");
    expect(step.changes).toEqual(expect.arrayContaining(["config.viewType", "permissions.polls.canCreate"]));
    const up = await run(program(), { state: first.state });
    const p = byName(up.state, "p");
    const stored = liveOf(stack, p) as any;
    expect([stored.config.view_type, stored.permissions.polls.can_create]).toEqual(["GROUP_CALL", true]);
    // stage_enabled has no documented default: once the role no longer sets it, it is the server's (left as it is).
    expect(p.inputs.permissions).not.toHaveProperty("stageEnabled");
    expect(ops((await run(program(), { state: up.state, preview: true })).steps)).toEqual({ app: "same", p: "same" });
  });

  it("a key removed from a GitOps file is a removed argument: the preview names it, up sets the default back", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-whole-gitops-"));
    try {
      const write = (hook: object, meetings: object) => {
        fs.mkdirSync(path.join(dir, "webhooks"), { recursive: true });
        fs.writeFileSync(path.join(dir, "webhooks", "events.yaml"), YAML.stringify(hook));
        fs.writeFileSync(path.join(dir, "meetings.yaml"), YAML.stringify(meetings));
      };
      const program = () => {
        const rtk = stack.sdk();
        const app = new rtk.App("app", { name: "whole-gitops" });
        for (const f of gitops.loadWebhooks(path.join(dir, "webhooks"))) new rtk.Webhook(f.name, { appId: app.id, ...f.args });
        for (const f of gitops.loadMeetings(path.join(dir, "meetings.yaml"))) new rtk.Meeting(f.name, { appId: app.id, ...f.args });
      };
      const hook = { name: "events", url: "https://example.com/gitops", events: ["meeting.started"] };
      write({ ...hook, enabled: false }, { standup: { title: "Standup", record_on_start: true } });
      const first = await run(program);
      write(hook, { standup: { title: "Standup" } });
      const plan = await run(program, { state: first.state, preview: true });
      expect(ops(plan.steps)).toEqual({ app: "same", events: "update", standup: "update" });
      expect(plan.steps.find((s) => s.name === "events")!.changes).toEqual(["enabled"]);
      expect(plan.steps.find((s) => s.name === "standup")!.changes).toEqual(["recordOnStart"]);
      const up = await run(program, { state: first.state });
      const live = (name: string) => liveOf(stack, byName(up.state, name)) as any;
      expect([live("events").enabled, live("standup").record_on_start]).toEqual([true, false]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

describe.each([dynamicDoor, pluginDoor])("through $name", (door) => suite(door));
