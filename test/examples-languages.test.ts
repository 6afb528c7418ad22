// The examples in other Pulumi languages, which use the package through the plugin
// and its schema; each uses a lookup (the app, by name), a nested input (a preset's
// permissions in part) and an enum member. No Pulumi CLI, Pulumi YAML or Python SDK
// runs here, so:
// - examples/yaml is run by a small interpreter of Pulumi YAML (test/support/pulumi-yaml.ts,
//   which mimics it and checks the program against schema.json as Pulumi YAML does) through
//   the offline engine and the plugin, against the emulator;
// - examples/python is checked statically (test/support/python-calls.ts reads its calls):
//   each class and function is the schema's, each keyword argument and nested dict key, named
//   as Pulumi's Python codegen names the schema's inputs, is an input of its type, required
//   inputs are given, enum members are members of the property's enum type as Python's
//   codegen names them. It is not run.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPulumi, runProgram, type EngineState } from "./harness";
import { generatedSdk } from "./support/generated-sdk";
import { loadYamlProgram, pluginInvoke, yamlProgram } from "./support/pulumi-yaml";
import { pythonCalls } from "./support/python-calls";
import { pythonProblems } from "./support/python-check";
import { EnumMember, EXPRESSION, packageSchema } from "./support/schema-args";
import { nodeRequire, platformApp, root, startPluginStack, type PluginStack } from "./support/stack";

const schema = packageSchema();
const examples = path.join(root, "examples");

describe("examples/yaml, run by an interpreter that mimics Pulumi YAML, through the plugin", () => {
  const file = path.join(examples, "yaml", "Pulumi.yaml");
  let stack: PluginStack;
  let state: EngineState;
  let appId: string;
  beforeAll(async () => {
    stack = await startPluginStack();
    appId = await platformApp(stack, "support-calls");
  });
  afterAll(() => stack?.close());

  it("its types, functions and properties are the package schema's, at every depth: each an input of its type, required inputs given, enum values allowed", () => {
    const { program, order } = loadYamlProgram(file, schema);
    expect(program.variables?.app["fn::invoke"].function).toBe("realtimekit:index:getApp");
    expect(Object.values(program.resources).map((r) => r.type)).toEqual(["Preset", "Preset", "Webhook"].map((k) => `realtimekit:index:${k}`));
    expect(order[0]).toBe("app");
    // The check can fail: the same program with a lookup argument the function does not have, a property
    // the type does not have (at the top and nested), a required input left out, a role that is no
    // template and a reference to no output.
    const bad = fs
      .readFileSync(file, "utf8")
      .replace("        name: support-calls", "        title: support-calls")
      .replace("      name: agent\n", "      title: agent\n")
      .replace("waitingRoomType: ON_PRIVILEGED_USER_ENTRY", "waitingRoomKind: ON_PRIVILEGED_USER_ENTRY")
      .replace("role: groupCallHost", "role: groupCallBoss")
      .replace("agentPresetId: ${agent.id}", "agentPresetId: ${agent.presetId}");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-yaml-"));
    try {
      fs.writeFileSync(path.join(tmp, "Pulumi.yaml"), bad);
      const problems = (() => {
        try {
          loadYamlProgram(path.join(tmp, "Pulumi.yaml"), schema);
          return "";
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(problems).toMatch(/variables\.app: realtimekit:index:getApp: title is not an input of the function; its inputs are name, accountId/);
      expect(problems).toMatch(/variables\.app: realtimekit:index:getApp: the required input name is not given/);
      expect(problems).toMatch(/resources\.agent: realtimekit:index:Preset: title is not an input of the resource; its inputs are appId, accountId, name, role/);
      expect(problems).toMatch(/resources\.agent: realtimekit:index:Preset: the required input name is not given/);
      expect(problems).toMatch(/resources\.customer: realtimekit:index:Preset: permissions\.waitingRoomKind is not an input of permissions; its inputs are acceptWaitingRequests, /);
      expect(problems).toMatch(/resources\.agent: realtimekit:index:Preset: role: "groupCallBoss" is not one of "groupCallParticipant", "groupCallHost"/);
      expect(problems).toMatch(/outputs\.agentPresetId: \$\{agent\.presetId\}: realtimekit:index:Preset has the outputs id, urn, /);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("deploys against the emulator: in the app it looks up, the preset its role template makes, the one laid over the default role, the webhook", async () => {
    const program = yamlProgram(loadYamlProgram(file, schema), loadPulumi(root), () => generatedSdk(loadPulumi(root)), pluginInvoke(stack.plugin));
    const result = await runProgram(program, { plugin: stack.plugin });
    state = result.state;
    expect(result.steps.map((s) => [s.name, s.op])).toEqual([["agent", "create"], ["customer", "create"], ["events", "create"]]);
    expect(stack.em.store.apps(stack.account).map((a) => a.id)).toEqual([appId]); // looked up, not made
    const presets = stack.em.store.list(stack.account, "presets", appId);
    const [webhook] = stack.em.store.list(stack.account, "webhooks", appId);
    const byName = Object.fromEntries(presets.map((p) => [p.name, p]));
    expect(result.outputs).toEqual({ appId, agentPresetId: byName.agent.id, customerPresetId: byName.customer.id, webhookId: webhook.id });
    expect(webhook).toMatchObject({ name: "events", url: "https://ops.example.com/rtk", events: ["meeting.started", "meeting.ended"] });
    // Each preset is its whole template, as the TypeScript SDK's role gives it, with the API's defaults where the
    // template leaves a field to them; the customer's with the permission given.
    const { groupCallHost, groupCallParticipant } = nodeRequire(path.join(root, "dist/sdk")) as typeof import("../sdk");
    const { schema: zod } = nodeRequire(path.join(root, "dist/provider")) as typeof import("../provider");
    const whole = (role: object) => zod.fillDefaults(zod.PresetCreate, zod.convertKeys(zod.PresetCreate, role, "snake"), "snake");
    const agent = whole(groupCallHost()) as Record<string, unknown>;
    expect(byName.agent).toMatchObject({ permissions: agent.permissions, config: agent.config });
    const customer = whole(groupCallParticipant()) as { permissions: Record<string, unknown> };
    expect(customer.permissions.waiting_room_type).not.toBe("ON_PRIVILEGED_USER_ENTRY");
    expect(byName.customer.permissions).toEqual({ ...customer.permissions, waiting_room_type: "ON_PRIVILEGED_USER_ENTRY" });
  });

  it("a second run of the same program changes nothing and sends no write", async () => {
    const program = yamlProgram(loadYamlProgram(file, schema), loadPulumi(root), () => generatedSdk(loadPulumi(root)), pluginInvoke(stack.plugin));
    stack.em.requests.reset();
    const again = await runProgram(program, { plugin: stack.plugin, state });
    expect(again.steps.map((s) => s.op)).toEqual(["same", "same", "same"]);
    // The lookup reads the account's apps again (as Pulumi YAML invokes it on every run); nothing else is sent.
    expect(stack.em.requests.count("GET", "/apps")).toBeGreaterThan(0);
    expect(stack.em.requests.total()).toBe(stack.em.requests.count("GET", "/apps"));
  });
});

describe("examples/python, a static check (the program is read, not run)", () => {
  const source = fs.readFileSync(path.join(examples, "python", "__main__.py"), "utf8");

  it("the schema's input names have no two capitals in a row, so the generated names are their words in snake_case", () => {
    for (const r of Object.values(schema.resources)) for (const p of Object.keys(r.inputProperties)) expect(p).toMatch(/^[a-z](?:[a-z0-9]|[A-Z](?![A-Z]))*$/);
  });

  it("a lookup, resources with a nested input and enum members: each call the schema's, each argument an input of its type, members of the right enum", () => {
    const calls = pythonCalls(source, "pulumi_realtimekit");
    expect(calls.map((c) => [c.cls, c.positional[0]])).toEqual([["get_app", undefined], ["Preset", "agent"], ["Preset", "customer"], ["Webhook", "events"]]);
    expect(calls[0].kwargs).toEqual({ name: "support-calls" });
    expect(calls[1].kwargs).toEqual({ app_id: EXPRESSION, name: "agent", role: new EnumMember("PresetRole", "GROUP_CALL_HOST") });
    expect(calls[2].kwargs.permissions).toEqual({ waiting_room_type: new EnumMember("PresetPermissionsWaitingRoomType", "ON_PRIVILEGED_USER_ENTRY") });
    expect(calls[3].kwargs.events).toEqual([new EnumMember("WebhookEvent", "MEETING_STARTED"), new EnumMember("WebhookEvent", "MEETING_ENDED")]);
    expect(pythonProblems(schema, calls)).toEqual([]);
  });

  it("the check fails for an unknown keyword (at the top and nested), a camelCase keyword, a required input left out, a member of no or of another enum, a lookup argument", () => {
    const bad = source
      .replace('get_app(name="support-calls")', 'get_app(title="support-calls")')
      .replace('realtimekit.Preset("agent", app_id=app.id', 'realtimekit.Preset("agent", appId=app.id')
      .replace("PresetRole.GROUP_CALL_HOST", "PresetRole.GROUP_CALL_BOSS")
      .replace('"waiting_room_type"', '"waitingRoomType"')
      .replace("WebhookEvent.MEETING_ENDED", "PresetRole.GROUP_CALL_HOST");
    expect(pythonProblems(schema, pythonCalls(bad, "pulumi_realtimekit"))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^line \d+: realtimekit:index:getApp: title is not an input of the function; its inputs are name, account_id$/),
        expect.stringMatching(/^line \d+: realtimekit:index:getApp: the required input name is not given$/),
        expect.stringMatching(/^line \d+: realtimekit:index:Preset: appId is not an input of the resource; its inputs are app_id, account_id, name, role, config, ui, permissions$/),
        expect.stringMatching(/^line \d+: realtimekit:index:Preset: the required input app_id is not given$/),
        expect.stringMatching(/^line \d+: realtimekit:index:Preset: role: PresetRole\.GROUP_CALL_BOSS is not a member of PresetRole; its members are GROUP_CALL_PARTICIPANT, GROUP_CALL_HOST, /),
        expect.stringMatching(/^line \d+: realtimekit:index:Preset: permissions\.waitingRoomType is not an input of permissions; its inputs are accept_waiting_requests, /),
        expect.stringMatching(/^line \d+: realtimekit:index:Webhook: events\[1\]: PresetRole\.GROUP_CALL_HOST is a member of PresetRole, not of WebhookEvent$/),
      ]),
    );
  });
});
