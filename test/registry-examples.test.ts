// The examples on each resource's registry page (schema.json's descriptions,
// rendered by scripts/registry-examples.js) and on the package's overview page
// (docs/_index.md, rendered by the same), checked as far as this machine can:
// - TypeScript: type-checked by tsc against the package's own SDK;
// - Python: each call read and checked against the schema as Pulumi's Python
//   codegen names it (test/support/python-check.ts), enum members included;
// - YAML: checked against the schema and deployed through the plugin against the
//   emulator, by the interpreter that mimics Pulumi YAML (test/support/pulumi-yaml.ts);
// - Go and C#: every identifier of the package they use is one the generated SDK
//   has, by Pulumi's naming rules (scripts/pulumi-names.js). They are not compiled:
//   no Go or .NET SDK can be generated here.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadPulumi, runProgram } from "./harness";
import { generatedSdk } from "./support/generated-sdk";
import { checkYamlProgram, pluginInvoke, yamlProgram, type YamlProgram } from "./support/pulumi-yaml";
import { pythonCalls } from "./support/python-calls";
import { pythonProblems } from "./support/python-check";
import { packageSchema } from "./support/schema-args";
import { nodeRequire, platformApp, root, startPluginStack, type PluginStack } from "./support/stack";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const schema = packageSchema();
const full = schema as unknown as Json;
const KINDS = ["App", "Preset", "Meeting", "Webhook"];
/** The resources' examples, and the overview's. */
const SOURCES = [...KINDS, "overview"];
const { goEnumMember, goFunction, pascal } = nodeRequire(path.join(root, "scripts/pulumi-names.js")) as {
  goEnumMember(name: string, typeName: string): string;
  goFunction(name: string, resources: string[]): string;
  pascal(name: string): string;
};

/** A resource's examples, by language, as the docs generator reads them out of its description; or the overview page's. */
function examples(kind: string): Record<string, string> {
  if (kind === "overview") {
    const text = fs.readFileSync(path.join(root, "docs/_index.md"), "utf8");
    const section = text.slice(text.indexOf("{{< chooser language"), text.indexOf("{{< /chooser >}}"));
    return Object.fromEntries([...section.matchAll(/```(\w+)\n([\s\S]*?)\n```/g)].map((m) => [m[1], m[2]]));
  }
  const text: string = full.resources[`realtimekit:index:${kind}`].description;
  const section = text.slice(text.indexOf("{{% examples %}}"), text.indexOf("{{% /examples %}}"));
  return Object.fromEntries([...section.matchAll(/```(\w+)\n([\s\S]*?)\n```/g)].map((m) => [m[1], m[2]]));
}

describe("TypeScript", () => {
  it("every example type-checks against the package's TypeScript SDK (strict)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-examples-"));
    try {
      const files = SOURCES.map((kind) => {
        const file = path.join(dir, `${kind}.ts`);
        fs.writeFileSync(file, examples(kind).typescript);
        return file;
      });
      const tsconfig = {
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "commonjs",
          moduleResolution: "node",
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [path.join(root, "node_modules/@types")],
          baseUrl: dir,
          // As a project that installed pulumi-realtimekit: its types are the built SDK's.
          paths: { "pulumi-realtimekit": [path.join(root, "dist/sdk/index.d.ts")] },
        },
        files,
      };
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
      const tsc = nodeRequire.resolve("typescript/bin/tsc");
      /** tsc's errors ("" when there are none). */
      const typeErrors = () => {
        try {
          execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")], { cwd: root, encoding: "utf8" });
          return "";
        } catch (e) {
          return String((e as { stdout?: string }).stdout) || String(e);
        }
      };
      expect(typeErrors()).toBe("");
      // The check can fail: a role that is no template.
      fs.writeFileSync(files[1], examples("Preset").typescript.replace('"groupCallHost"', '"groupCallBoss"'));
      expect(typeErrors()).toMatch(/Preset\.ts.*"groupCallBoss"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Python", () => {
  it.each(SOURCES)("%s: each call the schema's, each argument an input of its type, each enum member one of its type's", (kind) => {
    const calls = pythonCalls(examples(kind).python, "pulumi_realtimekit");
    expect(calls.length).toBeGreaterThan(0);
    expect(pythonProblems(schema, calls)).toEqual([]);
  });

  it("the check can fail: a member that Python's generator would not name so", () => {
    const text = examples("Preset").python.replace("GROUP_CALL_HOST", "GROU_P_CALL_HOST");
    expect(pythonProblems(schema, pythonCalls(text, "pulumi_realtimekit"))).toEqual([expect.stringMatching(/PresetRole\.GROU_P_CALL_HOST is not a member of PresetRole/)]);
  });
});

describe("YAML, by the interpreter that mimics Pulumi YAML, through the plugin", () => {
  const stacks: PluginStack[] = [];
  afterAll(() => Promise.all(stacks.map((s) => s.close())));

  it.each(SOURCES)("%s: checks against the schema and deploys against the emulator", async (kind) => {
    const loaded = checkYamlProgram(YAML.parse(examples(kind).yaml) as YamlProgram, schema, kind);
    const stack = await startPluginStack();
    stacks.push(stack);
    // The Meeting example looks up an app a platform team made.
    if (loaded.program.variables) await platformApp(stack, "support-calls");
    const result = await runProgram(yamlProgram(loaded, loadPulumi(root), () => generatedSdk(loadPulumi(root)), pluginInvoke(stack.plugin)), { plugin: stack.plugin });
    expect(result.steps.map((s) => s.op)).toEqual(Object.keys(loaded.program.resources).map(() => "create"));
    const [app] = stack.em.store.apps(stack.account);
    const meetings = stack.em.store.list(stack.account, "meetings", app.id);
    const made = { App: [app], Preset: stack.em.store.list(stack.account, "presets", app.id), Meeting: meetings, Webhook: stack.em.store.list(stack.account, "webhooks", app.id), overview: [app, ...meetings] }[kind]!;
    expect(Object.values(result.outputs).sort()).toEqual(made.map((o) => o.id).sort());
  });
});

/** The object types the inputs use (Go and C# have `<Type>Args` for those only). */
function inputTypes(): Set<string> {
  const out = new Set<string>();
  const walk = (v: Json) => {
    if (!v || typeof v !== "object") return;
    if (typeof v.$ref === "string" && v.$ref.startsWith("#/types/")) {
      const t = v.$ref.slice("#/types/".length);
      if (!out.has(t)) {
        out.add(t);
        walk(full.types[t]);
      }
    }
    Object.values(v).forEach(walk);
  };
  for (const r of Object.values<Json>(full.resources)) walk(r.inputProperties);
  for (const f of Object.values<Json>(full.functions)) walk(f.inputs);
  return out;
}

/** The identifiers of the package a generated Go SDK has, by Pulumi's Go rules. */
function goNames(): Set<string> {
  const resources = KINDS;
  const names = new Set<string>();
  for (const kind of resources) names.add(`New${kind}`).add(`${kind}Args`);
  for (const t of Object.keys(full.functions)) {
    const fn = goFunction(t.split(":")[2], resources);
    names.add(fn).add(`${fn}Args`);
  }
  for (const [t, type] of Object.entries<Json>(full.types)) {
    const name = t.split(":")[2];
    if (type.enum) {
      names.add(`${name}Array`);
      for (const e of type.enum) names.add(goEnumMember(e.name, name));
    } else if (INPUT_TYPES.has(t)) names.add(`${name}Args`);
  }
  return names;
}

/** The same in C# (`RealtimeKit.X`, `RealtimeKit.Inputs.XArgs`, `RealtimeKit.Enum.Member`). */
function csharpNames(): Set<string> {
  const names = new Set<string>(KINDS);
  for (const t of Object.keys(full.functions)) names.add(`${pascal(t.split(":")[2])}.Invoke`);
  for (const [t, type] of Object.entries<Json>(full.types)) {
    const name = t.split(":")[2];
    if (type.enum) for (const e of type.enum) names.add(`${name}.${e.name}`);
    else if (INPUT_TYPES.has(t)) names.add(`Inputs.${name}Args`);
  }
  return names;
}

// Each computed once: the schema does not change while the file runs.
const INPUT_TYPES = inputTypes();
const GO_NAMES = goNames();
const CSHARP_NAMES = csharpNames();

describe("Go and C#: names only (not compiled here)", () => {
  it.each(SOURCES)("%s: every package identifier is one the generated SDK has; the import path and namespace are the schema's", (kind) => {
    const { go, csharp } = examples(kind);
    const goUsed = [...go.matchAll(/\brealtimekit\.(\w+)/g)].map((m) => m[1]);
    expect(goUsed.length).toBeGreaterThan(1);
    expect(goUsed.filter((n) => !GO_NAMES.has(n))).toEqual([]);
    expect(go).toContain(`"${full.language.go.importBasePath}"`);
    const csUsed = [...csharp.matchAll(/\bRealtimeKit\.((?:Inputs\.)?\w+(?:\.\w+)?)/g)].map((m) => m[1]);
    expect(csUsed.length).toBeGreaterThan(0);
    expect(csUsed.filter((n) => !CSHARP_NAMES.has(n) && !CSHARP_NAMES.has(n.split(".")[0]))).toEqual([]);
    expect(csharp).toContain(`using RealtimeKit = ${full.language.csharp.rootNamespace}.${full.language.csharp.namespaces.realtimekit};`);
  });

  it("the check can fail: an output type or a member name Go would not have", () => {
    const names = GO_NAMES;
    expect(names.has("PresetRoleGroupCallHost")).toBe(true);
    expect(names.has("PresetRoleGROUP_CALL_HOST")).toBe(false);
    expect(names.has("PresetPermissionsResponseArgs")).toBe(false);
    expect(names.has("PresetPermissionsArgs")).toBe(true);
  });
});
