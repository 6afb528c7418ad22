// The examples in other Pulumi languages, which use the package through the plugin
// and its schema. No Pulumi CLI, Pulumi YAML or Python SDK runs here, so:
// - examples/yaml is run by a small interpreter of Pulumi YAML (test/support/pulumi-yaml.ts,
//   which mimics it and checks the program against schema.json as Pulumi YAML does) through
//   the offline engine and the plugin, against the emulator;
// - examples/python is checked statically (test/support/python-calls.ts reads its constructor
//   calls): each keyword argument, named as Pulumi's Python codegen names the schema's inputs,
//   is an input of its resource, required inputs are given, literal enum values are allowed.
//   It is not run.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPulumi, runProgram, type EngineState } from "./harness";
import { generatedSdk } from "./support/generated-sdk";
import { loadYamlProgram, yamlProgram } from "./support/pulumi-yaml";
import { pythonCalls } from "./support/python-calls";
import { argumentProblems, EXPRESSION, packageSchema } from "./support/schema-args";
import { nodeRequire, root, startPluginStack, type PluginStack } from "./support/stack";

const schema = packageSchema();
const examples = path.join(root, "examples");

describe("examples/yaml, run by an interpreter that mimics Pulumi YAML, through the plugin", () => {
  const file = path.join(examples, "yaml", "Pulumi.yaml");
  let stack: PluginStack;
  let state: EngineState;
  beforeAll(async () => {
    stack = await startPluginStack();
  });
  afterAll(() => stack?.close());

  it("its types and properties are the package schema's: each property an input of its type, required inputs given, enum values allowed", () => {
    const { program, order } = loadYamlProgram(file, schema);
    expect(Object.values(program.resources).map((r) => r.type)).toEqual(["App", "Preset", "Webhook"].map((k) => `realtimekit:index:${k}`));
    expect(order[0]).toBe("app");
    // The check can fail: the same program with a property the type does not have, a required input
    // left out, a role that is no template and a reference to no output.
    const bad = fs.readFileSync(file, "utf8")
      .replace("name: support-calls-yaml", "title: support-calls-yaml")
      .replace("role: groupCallHost", "role: groupCallBoss")
      .replace("hostPresetId: ${host.id}", "hostPresetId: ${host.presetId}");
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
      expect(problems).toMatch(/resources\.app: realtimekit:index:App: title is not an input of the resource; its inputs are accountId, name/);
      expect(problems).toMatch(/resources\.app: realtimekit:index:App: the required input name is not given/);
      expect(problems).toMatch(/resources\.host: realtimekit:index:Preset: role: "groupCallBoss" is not one of "groupCallParticipant", "groupCallHost"/);
      expect(problems).toMatch(/outputs\.hostPresetId: \$\{host\.presetId\}: realtimekit:index:Preset has the outputs id, urn, /);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("deploys against the emulator: the app, the two-line preset as its role template makes it, the webhook; the outputs are their ids", async () => {
    const program = yamlProgram(loadYamlProgram(file, schema), loadPulumi(root), () => generatedSdk(loadPulumi(root)));
    const result = await runProgram(program, { plugin: stack.plugin });
    state = result.state;
    expect(result.steps.map((s) => [s.name, s.op])).toEqual([["app", "create"], ["host", "create"], ["events", "create"]]);
    const [app] = stack.em.store.apps(stack.account);
    expect(app.name).toBe("support-calls-yaml");
    const [preset] = stack.em.store.list(stack.account, "presets", app.id);
    const [webhook] = stack.em.store.list(stack.account, "webhooks", app.id);
    expect(result.outputs).toEqual({ appId: app.id, hostPresetId: preset.id, webhookId: webhook.id });
    expect(webhook).toMatchObject({ name: "events", url: "https://ops.example.com/rtk", events: ["meeting.started", "meeting.ended"] });
    // The preset is the whole groupCallHost template, as the TypeScript SDK's role gives it.
    const { groupCallHost } = nodeRequire(path.join(root, "dist/sdk")) as typeof import("../sdk");
    const { schema: zod } = nodeRequire(path.join(root, "dist/provider")) as typeof import("../provider");
    const template = zod.convertKeys(zod.PresetCreate, groupCallHost(), "snake") as Record<string, unknown>;
    expect(preset).toMatchObject({ name: "host", permissions: template.permissions, config: template.config });
  });

  it("a second run of the same program changes nothing and sends no request", async () => {
    const program = yamlProgram(loadYamlProgram(file, schema), loadPulumi(root), () => generatedSdk(loadPulumi(root)));
    stack.em.requests.reset();
    const again = await runProgram(program, { plugin: stack.plugin, state });
    expect(again.steps.map((s) => s.op)).toEqual(["same", "same", "same"]);
    expect(stack.em.requests.total()).toBe(0);
  });
});

describe("examples/python, a static check (the program is read, not run)", () => {
  /** Pulumi's Python codegen (PyName) for camelCase names with no two capitals in a row: `_` before each capital, lower-cased. */
  const pyName = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  /** The snake_case keyword arguments of a resource's class, each with its input property. */
  const kwargsOf = (type: string) => new Map(Object.keys(schema.resources[type].inputProperties).map((p) => [pyName(p), p]));
  const source = fs.readFileSync(path.join(examples, "python", "__main__.py"), "utf8");

  /** What is wrong with the program's calls of pulumi_realtimekit, one line each. */
  function problems(text: string): string[] {
    return pythonCalls(text, "pulumi_realtimekit").flatMap((call) => {
      const type = `realtimekit:index:${call.cls}`;
      if (!schema.resources[type]) return [`line ${call.line}: ${call.cls} is no resource of the package`];
      const kwargs = kwargsOf(type);
      const named: Record<string, unknown> = {};
      const out: string[] = [];
      if (typeof call.positional[0] !== "string") out.push(`line ${call.line}: the resource name is not a literal string`);
      for (const [kw, value] of Object.entries(call.kwargs)) {
        if (kw === "opts") continue; // the resource options, as in every generated class
        const property = kwargs.get(kw);
        if (property) named[property] = value;
        else out.push(`line ${call.line}: ${type}: ${kw} is not a keyword argument of ${call.cls}; its keyword arguments are ${[...kwargs.keys()].join(", ")}`);
      }
      return [...out, ...argumentProblems(schema, type, named, (p) => pyName(p)).map((p) => `line ${call.line}: ${p}`)];
    });
  }

  it("the schema's input names have no two capitals in a row, so that rule is PyName's", () => {
    for (const r of Object.values(schema.resources)) for (const p of Object.keys(r.inputProperties)) expect(p).toMatch(/^[a-z](?:[a-z0-9]|[A-Z](?![A-Z]))*$/);
  });

  it("each constructor is a resource of the schema, each keyword argument an input of it, required inputs given, enum literals allowed", () => {
    const calls = pythonCalls(source, "pulumi_realtimekit");
    expect(calls.map((c) => [c.cls, c.positional[0]])).toEqual([["App", "app"], ["Preset", "host"], ["Webhook", "events"]]);
    expect(calls[1].kwargs).toEqual({ app_id: EXPRESSION, name: "host", role: "groupCallHost" });
    expect(calls[2].kwargs).toMatchObject({ app_id: EXPRESSION, events: ["meeting.started", "meeting.ended"] });
    expect(problems(source)).toEqual([]);
  });

  it("the check fails for a keyword the class does not have, a camelCase keyword, a required input left out and a role that is no template", () => {
    const bad = source
      .replace('name="support-calls-python"', 'title="support-calls-python"')
      .replace("app_id=app.id, name=\"host\"", "appId=app.id, name=\"host\"")
      .replace('role="groupCallHost"', 'role="groupCallBoss"');
    const found = problems(bad);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^line \d+: realtimekit:index:App: title is not a keyword argument of App; its keyword arguments are account_id, name$/),
        expect.stringMatching(/^line \d+: realtimekit:index:App: the required input name is not given$/),
        expect.stringMatching(/^line \d+: realtimekit:index:Preset: appId is not a keyword argument of Preset; its keyword arguments are app_id, account_id, name, role, config, ui, permissions$/),
        expect.stringMatching(/^line \d+: realtimekit:index:Preset: the required input app_id is not given$/),
        expect.stringMatching(/^line \d+: realtimekit:index:Preset: role: "groupCallBoss" is not one of /),
      ]),
    );
  });
});
