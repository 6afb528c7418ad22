// The plugin process (pulumi-resource-realtimekit) driven over gRPC as the Pulumi
// engine drives it (engine/plugin.ts), against the emulator: what only the
// protocol shows. The lifecycle through both front doors is test/behaviour.test.ts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { importResource, loadPulumi, runProgram, SECRET_SIG, SIG_KEY, startPlugin, UNKNOWN, urn, type EngineState, type Plugin, type Props } from "./harness";
import { meetingArgs, presetArgs, webhookArgs } from "./fixtures/args";
import { generatedSdk } from "./support/generated-sdk";
import { onRequest } from "./support/requests";
import type { PackageSchema } from "./support/schema-args";
import { secretsInClear, secretsOf } from "./support/secrets-in-clear";
import { root, startPluginStack, type PluginStack } from "./support/stack";

let stack: PluginStack;
const extra: Plugin[] = [];
beforeAll(async () => {
  stack = await startPluginStack();
});
afterAll(async () => {
  await Promise.all(extra.map((p) => p.stop()));
  await stack?.close();
});

/** Every answer of the plugin in this file, for the token check at the end. */
const answers: unknown[] = [];
const seen = <T>(v: T): T => (answers.push(v), v);

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const packageSchema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
/** The names the package schema gives a resource's inputs and outputs. */
const schemaOf = (kind: string) => {
  const r = packageSchema.resources[`realtimekit:index:${kind}`];
  return { inputs: Object.keys(r.inputProperties), outputs: Object.keys(r.properties), required: r.required as string[] };
};
/** JSON of a value with each secret-wrapped value shown as "[secret]": what is plain in it. */
const plainJson = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && x[SIG_KEY] === SECRET_SIG ? "[secret]" : x));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const type = (kind: string) => `realtimekit:index:${kind}`;
const K = { ADD: 0, ADD_REPLACE: 1, DELETE: 2, DELETE_REPLACE: 3, UPDATE: 4, UPDATE_REPLACE: 5 };

/** Check then Create, as the engine does for a new resource. */
async function made(kind: string, name: string, args: Props) {
  const u = urn(type(kind), name);
  const checked = seen(await stack.plugin.check(u, {}, args));
  expect(checked.failures).toEqual([]);
  const created = seen(await stack.plugin.create(u, checked.inputs));
  return { urn: u, id: created.id, inputs: checked.inputs, outs: created.outs };
}

async function extraPlugin(opts: Partial<Parameters<typeof startPlugin>[0]>) {
  const p = await startPlugin({ cwd: root, ...opts });
  extra.push(p);
  return p;
}

describe("the plugin process", () => {
  it("prints its port and serves on 127.0.0.1; GetPluginInfo is the package's version; what it does not do answers UNIMPLEMENTED", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(seen(await stack.plugin.getPluginInfo())).toEqual({ version });
    // The engine goes on without each of these when the answer is UNIMPLEMENTED (provider_plugin.go).
    const unimplemented = 12; // gRPC status UNIMPLEMENTED
    for (const [method, request] of [
      ["handshake", "ProviderHandshakeRequest"],
      ["parameterize", "ParameterizeRequest"],
      ["construct", "ConstructRequest"],
      ["call", "CallRequest"],
      ["getMapping", "GetMappingRequest"],
      ["getMappings", "GetMappingsRequest"],
    ]) {
      await expect(stack.plugin.callEmpty(method, request), method).rejects.toMatchObject({ code: unimplemented });
    }
  });

  it("GetSchema answers schema.json, the package schema the npm package ships", async () => {
    const schema = seen(await stack.plugin.getSchema());
    expect(schema).toEqual(packageSchema);
    expect(schema.name).toBe("realtimekit");
    expect(Object.keys(schema.resources).sort()).toEqual(["App", "Meeting", "Preset", "Webhook"].map(type));
    expect(Object.keys(schema.functions).sort()).toEqual(["getApp", "getMeeting", "getPreset", "getWebhook"].map(type));
  });

  /** Makes an app and deletes it: the delete's warning (apps cannot be deleted) goes to the engine's Log. */
  async function warnsThroughEngine(p: Plugin, name: string) {
    const u = urn(type("App"), name);
    const { inputs } = await p.check(u, {}, { name });
    const { id, outs } = await p.create(u, inputs);
    await p.delete(id, u, outs, inputs);
    await expect.poll(() => p.logs.filter((l) => l.severity === "warning").map((l) => l.message).join("\n"), { timeout: 5_000 }).toMatch(
      /RealtimeKit app \S+ was removed from the stack but still exists/,
    );
  }

  it("with the flags `pulumi --logflow -v=9 --tracing` puts before the engine's address, its warnings still reach the engine", async () => {
    const p = await extraPlugin({ config: stack.config, secretKeys: ["realtimekit:apiToken"], engineFlags: ["--logtostderr", "-v=9", "--tracing", "file:/dev/null"] });
    await warnsThroughEngine(p, "flagged-app");
  });

  it("from pulumi-plugin/PulumiPlugin.yaml, as the Node.js language host starts it (run-plugin with the folder, in the project's directory), it serves the same", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-project-"));
    try {
      expect(YAML.parse(fs.readFileSync(path.join(root, "pulumi-plugin", "PulumiPlugin.yaml"), "utf8")).runtime.name).toBe("nodejs");
      const p = await extraPlugin({ config: stack.config, secretKeys: ["realtimekit:apiToken"], from: "PulumiPlugin.yaml", pwd: project });
      const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
      expect(await p.getPluginInfo()).toEqual({ version });
      expect(await p.getSchema()).toEqual(packageSchema);
      await warnsThroughEngine(p, "sourced-app");
      expect(p.stderr).toBe("");
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  describe("from pulumi-plugin/ in a project whose tsconfig.json has allowJs and checkJs (run-plugin registers ts-node with it)", () => {
    let project: string;
    beforeAll(() => {
      project = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-checkjs-"));
      const compilerOptions = { allowJs: true, checkJs: true, strict: true, noUnusedLocals: true, target: "es5", importHelpers: true };
      fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions }));
    });
    afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

    it("starts and serves, its own files run as they were built", async () => {
      const p = await extraPlugin({ config: stack.config, secretKeys: ["realtimekit:apiToken"], from: "PulumiPlugin.yaml", pwd: project });
      expect(await p.getSchema()).toEqual(packageSchema);
      await warnsThroughEngine(p, "checkjs-app");
    });

  });

  it("PULUMI_DEBUG_PROVIDERS: started by hand without the engine's address, it takes it from Attach; its warnings reach the engine", async () => {
    const p = await extraPlugin({ config: stack.config, secretKeys: ["realtimekit:apiToken"], attach: true });
    await warnsThroughEngine(p, "attached-app");
  });

  it("from pulumi-plugin/, with `--logtostderr` alone before the engine's address (`pulumi --logflow` without -v), its warnings still reach the engine", async () => {
    // run-plugin parses its arguments with minimist, which takes a flag's next argument as its value.
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-project-"));
    try {
      const p = await extraPlugin({ config: stack.config, secretKeys: ["realtimekit:apiToken"], from: "PulumiPlugin.yaml", pwd: project, engineFlags: ["--logtostderr"] });
      await warnsThroughEngine(p, "logflow-app");
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it("Configure answers that it takes secrets and previews, and wants ids rather than resource references", () => {
    expect(stack.plugin.protocol).toEqual({ acceptSecrets: true, supportsPreview: true });
  });
});

describe("provider config", () => {
  it("CheckConfig: each bad value fails naming its key and what is allowed; a good config passes unchanged, its secret kept", async () => {
    const good = stack.plugin.providerInputs(stack.config, ["realtimekit:apiToken"]);
    const ok = seen(await stack.plugin.checkConfig(good));
    expect(ok).toEqual({ inputs: good, failures: [] });

    const bad = seen(await stack.plugin.checkConfig({ ...good, rateLimit: "fast", baseUrl: "ftp://example.com", accountId: "a/b", apiToken: secret(42) }));
    const byKey = Object.fromEntries(bad.failures.map((f) => [f.property, f.reason]));
    expect(Object.keys(byKey).sort()).toEqual(["accountId", "apiToken", "baseUrl", "rateLimit"]);
    expect(byKey.rateLimit).toMatch(/^realtimekit:rateLimit: must be a whole number of requests per five minutes \(0: no pacing\), got "fast"/);
    expect(byKey.baseUrl).toMatch(/^realtimekit:baseUrl: must be an http or https URL/);
    expect(byKey.accountId).toMatch(/^realtimekit:accountId: must be one URL path segment/);
    expect(byKey.apiToken).toMatch(/^realtimekit:apiToken: .*a value not shown \(secret\)/);

    // In a preview a value may come from another resource: decided once known.
    expect(seen(await stack.plugin.checkConfig({ ...good, accountId: UNKNOWN })).failures).toEqual([]);
  });

  it("CheckConfig: a key that is not the provider's fails naming it and the keys there are; `version`, which the engine adds, passes", async () => {
    const good = stack.plugin.providerInputs(stack.config, ["realtimekit:apiToken"]);
    expect(seen(await stack.plugin.checkConfig({ ...good, version: "0.1.0" })).failures).toEqual([]);

    // A typo of a key (set as a secret), and a value meant for the program under the provider's namespace.
    const bad = seen(await stack.plugin.checkConfig({ ...good, apitoken: secret("typo-token-value"), region: "eu", version: "0.1.0" }));
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["apitoken", "region"]);
    const allowed = "its keys are realtimekit:accountId, realtimekit:apiToken, realtimekit:baseUrl, realtimekit:rateLimit";
    for (const f of bad.failures) {
      expect(f.reason).toMatch(new RegExp(`^realtimekit:${f.property} is not a configuration key of the realtimekit provider; ${allowed}\\.`));
    }
    expect(JSON.stringify(bad.failures)).not.toContain("typo-token-value");
    // The plugin refuses to start the same way: the engine stops before Configure.
    await expect(extraPlugin({ config: { ...stack.config, "realtimekit:region": "eu" } })).rejects.toThrow(/provider config: realtimekit:region is not a configuration key/);
  });

  it("DiffConfig: a new account, endpoint, token or rate is a change, never a replacement of the provider", async () => {
    const olds = stack.plugin.providerInputs(stack.config, ["realtimekit:apiToken"]);
    expect(seen(await stack.plugin.diffConfig(olds, olds))).toMatchObject({ changes: "none", replaces: [] });
    const news = { ...olds, accountId: "another-account", baseUrl: "http://127.0.0.1:9/client/v4", apiToken: secret("another-token"), rateLimit: 100 };
    const d = seen(await stack.plugin.diffConfig(olds, news));
    expect(d).toMatchObject({ changes: "some", replaces: [], deleteBeforeReplace: false });
    expect(Object.keys(d.detailedDiff!).sort()).toEqual(["accountId", "apiToken", "baseUrl", "rateLimit"]);
    expect(Object.values(d.detailedDiff!).every((x) => x.kind === K.UPDATE || x.kind === K.ADD)).toBe(true);
  });

  it.each(["variables", "args"] as const)("Configure with the token (a secret) in `%s` only: the plugin reaches the API with it", async (via) => {
    const p = await extraPlugin({ config: stack.config, secretKeys: ["realtimekit:apiToken"], configVia: via, env: { CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_ACCOUNT_ID: "" } });
    const u = urn(type("App"), `via-${via}`);
    const { inputs } = await p.check(u, {}, { name: `configured-by-${via}` });
    const { id } = seen(await p.create(u, inputs));
    expect(stack.em.store.app(stack.account, id)?.name).toBe(`configured-by-${via}`);
  });

  it("Configure with `args` and `variables` that disagree: `args` wins (the engine's typed config, secrets wrapped; `variables` is the deprecated text map)", async () => {
    const stale = { ...stack.config, "realtimekit:apiToken": "a-revoked-token" };
    // Started with the stale token, so that only the Configure below can make the create pass.
    const p = await extraPlugin({ config: stale, secretKeys: ["realtimekit:apiToken"], env: { CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_ACCOUNT_ID: "" } });
    await p.configure(stack.config, { secretKeys: ["realtimekit:apiToken"], via: "both", variables: stale });
    const u = urn(type("App"), "args-win");
    const { inputs } = await p.check(u, {}, { name: "configured-by-args" });
    const { id } = seen(await p.create(u, inputs));
    expect(stack.em.store.app(stack.account, id)?.name).toBe("configured-by-args");
  });
});

describe("names", () => {
  it("Create answers each kind's outputs as the schema names them, every required one among them", async () => {
    const app = await made("App", "named-outputs", { name: "named-outputs" });
    const objects = {
      App: app,
      Preset: await made("Preset", "np", { appId: app.id, ...presetArgs("named") }),
      Meeting: await made("Meeting", "nm", { appId: app.id, ...meetingArgs("named") }),
      Webhook: await made("Webhook", "nw", { appId: app.id, ...webhookArgs("named") }),
    };
    for (const [kind, o] of Object.entries(objects)) {
      const { inputs, outputs, required } = schemaOf(kind);
      expect(outputs, kind).toEqual(expect.arrayContaining(Object.keys(o.outs)));
      expect(Object.keys(o.outs), kind).toEqual(expect.arrayContaining(required));
      expect(inputs, kind).toEqual(expect.arrayContaining(Object.keys(o.inputs)));
    }
  });
});

describe("Diff: changes, replacements, and each changed value's path", () => {
  it("Preset: a nested field is named to the leaf (config.media.video.quality); a new appId replaces", async () => {
    const app = await made("App", "diff-app", { name: "diff-app" });
    const p = await made("Preset", "p", { appId: app.id, ...presetArgs("diff") });
    const wanted = structuredClone(p.inputs) as Loose;
    wanted.config.media.video.quality = "vga";
    wanted.ui.designTokens.colors.background["600"] = "#000000";
    const d = seen(await stack.plugin.diff(p.id, p.urn, p.outs, wanted, p.inputs));
    expect(d).toMatchObject({ changes: "some", replaces: [], diffs: ["config", "ui"] });
    expect(d.detailedDiff).toEqual({
      "config.media.video.quality": { kind: K.UPDATE, inputDiff: false },
      'ui.designTokens.colors.background["600"]': { kind: K.UPDATE, inputDiff: false },
    });
    const moved = seen(await stack.plugin.diff(p.id, p.urn, p.outs, { ...p.inputs, appId: "another-app" }, p.inputs));
    expect(moved).toMatchObject({ changes: "some", replaces: ["appId"], detailedDiff: { appId: { kind: K.UPDATE_REPLACE, inputDiff: false } } });
    expect(seen(await stack.plugin.diff(p.id, p.urn, p.outs, p.inputs, p.inputs))).toMatchObject({ changes: "none", replaces: [], detailedDiff: {} });
  });

  it("Meeting: a nested field (aiConfig.transcription.language) and one at its default (aiConfig.summarization.summaryType, an update from \"general\")", async () => {
    const app = await made("App", "diff-app-m", { name: "diff-app-m" });
    const m = await made("Meeting", "m", { appId: app.id, ...meetingArgs("diff") });
    const wanted = structuredClone(m.inputs) as Loose;
    wanted.aiConfig.transcription.language = "de";
    wanted.aiConfig.summarization.summaryType = "daily_standup";
    const d = seen(await stack.plugin.diff(m.id, m.urn, m.outs, wanted, m.inputs));
    expect(d.detailedDiff).toEqual({
      "aiConfig.transcription.language": { kind: K.UPDATE, inputDiff: false },
      "aiConfig.summarization.summaryType": { kind: K.UPDATE, inputDiff: false },
    });
    // A field the program clears (an inherit one: no default) is a delete.
    delete wanted.recordingConfig.fileNamePrefix;
    const cleared = seen(await stack.plugin.diff(m.id, m.urn, m.outs, wanted, m.inputs));
    expect(cleared.detailedDiff).toMatchObject({ "recordingConfig.fileNamePrefix": { kind: K.DELETE, inputDiff: false } });
  });

  it("Webhook: a list is one path (events), the url another; a new account replaces", async () => {
    const app = await made("App", "diff-app-w", { name: "diff-app-w" });
    const w = await made("Webhook", "w", { appId: app.id, ...webhookArgs("diff") });
    const d = seen(await stack.plugin.diff(w.id, w.urn, w.outs, { ...w.inputs, events: ["meeting.ended"], url: "https://ops.example.com/rtk/new" }, w.inputs));
    expect(d.detailedDiff).toEqual({ events: { kind: K.UPDATE, inputDiff: false }, url: { kind: K.UPDATE, inputDiff: false } });
    const elsewhere = seen(await stack.plugin.diff(w.id, w.urn, w.outs, { ...w.inputs, accountId: "another-account" }, w.inputs));
    expect(elsewhere).toMatchObject({ replaces: ["accountId"], detailedDiff: { accountId: { kind: K.UPDATE_REPLACE } } });
  });

  it("App: a new name fails Check (the API can neither rename nor delete apps), so no Diff ever replaces one", async () => {
    const app = await made("App", "named", { name: "named-app" });
    const checked = seen(await stack.plugin.check(app.urn, app.inputs, { name: "renamed-app" }));
    expect(checked.failures).toEqual([{ property: "name", reason: expect.stringMatching(/^name: RealtimeKit cannot rename apps/) }]);
  });
});

describe("previews: values not known yet, and nothing sent", () => {
  it("Check passes unknowns, Create and Update with preview: true answer what is known and send no request", async () => {
    const app = await made("App", "preview-app", { name: "preview-app" });
    const w = await made("Webhook", "pw", { appId: app.id, ...webhookArgs("preview") });
    stack.em.requests.reset();

    // A preset in an app not made yet, with a value from another resource.
    const u = urn(type("Preset"), "later");
    const args = presetArgs("later");
    const checked = seen(await stack.plugin.check(u, {}, { ...args, appId: UNKNOWN, config: { ...args.config, maxScreenshareCount: UNKNOWN } }));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.appId).toBe(UNKNOWN);
    const created = seen(await stack.plugin.create(u, checked.inputs, { preview: true }));
    expect(created.id).toBe("");
    expect(created.outs).toMatchObject({ appId: UNKNOWN, name: "later", createdAt: UNKNOWN, updatedAt: UNKNOWN, accountId: stack.account });
    expect((created.outs as Loose).config.maxScreenshareCount).toBe(UNKNOWN);

    const news = { ...w.inputs, url: UNKNOWN };
    const d = seen(await stack.plugin.diff(w.id, w.urn, w.outs, news, w.inputs));
    expect(d).toMatchObject({ changes: "some", detailedDiff: { url: { kind: K.UPDATE } } });
    const updated = seen(await stack.plugin.update(w.id, w.urn, w.outs, news, { preview: true, oldInputs: w.inputs }));
    expect(updated.outs).toMatchObject({ url: UNKNOWN, name: "preview", enabled: true, updatedAt: UNKNOWN });
    expect(stack.em.requests.total()).toBe(0);
  });
});

describe("pulumi import: Read by id only, then Check, then a no-change Diff", () => {
  const cases = [
    { kind: "Preset", args: () => presetArgs("imported") },
    { kind: "Meeting", args: () => meetingArgs("imported") },
    { kind: "Webhook", args: () => webhookArgs("imported") },
  ];

  /** Some fields the cases' objects have at the API's default, by kind: absent from the read inputs, filled in by Check. */
  const DEFAULTED: Record<string, Record<string, unknown>> = {
    Preset: {},
    Meeting: { liveStreamOnStart: false, recordOnStart: false, status: "ACTIVE", summarizeOnEnd: false, transcribeOnEnd: false },
    Webhook: { enabled: true },
  };

  it.each(cases)("$kind by <appId>/<id>: the object, its own id, and inputs that reproduce it", async ({ kind, args }) => {
    const app = await made("App", `import-app-${kind}`, { name: `import-app-${kind}` });
    const made_ = await made(kind, "original", { appId: app.id, ...args() });
    stack.em.requests.reset();
    const { urn: u, resource, warnings } = seen(await importResource(stack.plugin, { type: type(kind), name: "imported", id: `${app.id}/${made_.id}` }));
    expect(warnings).toEqual([]);
    // The state's id is the object's own: later Reads, Updates and Deletes get the app from the state's appId.
    expect(resource.id).toBe(made_.id);
    expect(resource.outputs.appId).toBe(app.id);
    expect(resource.inputs.appId).toBe(app.id);
    expect(resource.inputs).not.toHaveProperty("importId");
    // Named as the schema's inputs: the program `pulumi import` generates sets them.
    expect(schemaOf(kind).inputs).toEqual(expect.arrayContaining(Object.keys(resource.inputs)));
    expect(schemaOf(kind).outputs).toEqual(expect.arrayContaining(Object.keys(resource.outputs)));
    expect(stack.em.requests.count("GET", `/:app/${kind.toLowerCase()}s/:id`)).toBe(1);

    // The read inputs say only what differs from the API's defaults (the generated program leaves the rest out) ...
    for (const field of Object.keys(DEFAULTED[kind])) expect(resource.inputs, field).not.toHaveProperty(field);
    // ... and pass Check, which fills the defaults back in and changes nothing else ...
    const checked = seen(await stack.plugin.check(u, resource.inputs, resource.inputs));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ ...resource.inputs, ...DEFAULTED[kind] });
    // ... and the program generated from them shows no changes.
    const d = seen(await stack.plugin.diff(resource.id, u, resource.outputs, checked.inputs, resource.inputs));
    expect(d).toMatchObject({ changes: "none", replaces: [], detailedDiff: {} });
    // Write-only values (a meeting's storage credentials) cannot be read: the import has none.
    if (kind === "Meeting") expect(JSON.stringify(resource)).not.toContain("s3cr3t-storage-key");
  });

  it("then `pulumi up` of the program the import generates (the read inputs as arguments): every step the same, nothing sent", async () => {
    const app = await made("App", "to-import", { name: "to-import" });
    const objects = {
      Preset: await made("Preset", "ip", { appId: app.id, ...presetArgs("to-import") }),
      Meeting: await made("Meeting", "im", { appId: app.id, ...meetingArgs("To import") }),
      Webhook: await made("Webhook", "iw", { appId: app.id, ...webhookArgs("to-import") }),
    };
    const state: EngineState = {};
    const imported: Record<string, Props> = {};
    for (const [kind, id] of [["App", app.id], ...Object.entries(objects).map(([k, o]) => [k, `${app.id}/${o.id}`])]) {
      const { urn: u, resource } = await importResource(stack.plugin, { type: type(kind), name: kind.toLowerCase(), id });
      state[u] = resource;
      imported[kind] = resource.inputs;
    }
    stack.em.requests.reset();
    const program = () => {
      const rtk = generatedSdk(loadPulumi(root));
      for (const kind of ["App", "Preset", "Meeting", "Webhook"] as const) new rtk[kind](kind.toLowerCase(), imported[kind]);
    };
    const up = await runProgram(program, { plugin: stack.plugin, state });
    expect(Object.fromEntries(up.steps.map((s) => [s.name, s.op]))).toEqual({ app: "same", preset: "same", meeting: "same", webhook: "same" });
    expect(stack.em.requests.total()).toBe(0);
  });

  it("is not what a refresh of state without inputs is: the engine sends no inputs where the state has none, but it sends the state, and the object is read by its own id", async () => {
    const app = await made("App", "no-inputs-app", { name: "no-inputs-app" });
    const m = await made("Meeting", "no-inputs", { appId: app.id, ...meetingArgs("Recorded without inputs") });
    stack.em.store.patch(stack.account, "meetings", app.id, m.id, { title: "Renamed out of band" } as never);
    // provider_plugin.go Read: the Inputs field is left unset where the state has none.
    const read = seen(await stack.plugin.read(m.id, m.urn, m.outs));
    expect(read).toMatchObject({ id: m.id, exists: true, props: { appId: app.id, title: "Renamed out of band" } });
  });

  it("App by its id; an id of nothing says it does not exist; a malformed one names the form", async () => {
    const app = await made("App", "import-me", { name: "import-me" });
    const { resource } = await importResource(stack.plugin, { type: type("App"), name: "app", id: app.id });
    expect(resource).toMatchObject({ id: app.id, inputs: { name: "import-me" }, outputs: { name: "import-me", accountId: stack.account } });
    const d = seen(await stack.plugin.diff(resource.id, urn(type("App"), "app"), resource.outputs, resource.inputs, resource.inputs));
    expect(d.changes).toBe("none");

    await expect(importResource(stack.plugin, { type: type("Webhook"), name: "w", id: `${app.id}/no-such-webhook` })).rejects.toThrow(
      "resource 'app-id/no-such-webhook' does not exist".replace("app-id", app.id),
    );
    await expect(importResource(stack.plugin, { type: type("Webhook"), name: "w", id: "no-app-in-it" })).rejects.toThrow(
      'Webhook import id: must be "<appId>/<webhookId>" (each id one URL path segment), got "no-app-in-it"',
    );
  });
});

describe("Invoke: the lookups", () => {
  it("getApp, getPreset, getWebhook and getMeeting find the one object by name; bad arguments are failures naming them", async () => {
    const app = await made("App", "lookup-app", { name: "lookup-app" });
    const p = await made("Preset", "lp", { appId: app.id, ...presetArgs("found") });
    const w = await made("Webhook", "lw", { appId: app.id, ...webhookArgs("found") });
    const m = await made("Meeting", "lm", { appId: app.id, ...meetingArgs("Found") });
    const invoke = async (fn: string, args: Props) => seen(await stack.plugin.invoke(type(fn), args));

    expect(await invoke("getApp", { name: "lookup-app" })).toEqual({ failures: [], result: { id: app.id, name: "lookup-app", createdAt: app.outs.createdAt, accountId: stack.account } });
    expect((await invoke("getPreset", { appId: app.id, name: "found" })).result).toMatchObject({ id: p.id, appId: app.id, name: "found", config: presetArgs().config });
    expect((await invoke("getWebhook", { appId: app.id, name: "found" })).result).toMatchObject({ id: w.id, appId: app.id, url: webhookArgs("found").url });
    expect((await invoke("getMeeting", { appId: app.id, title: "Found" })).result).toMatchObject({ id: m.id, appId: app.id, title: "Found" });

    // What a secret argument finds is secret too.
    const bySecret = await invoke("getApp", { name: secret("lookup-app") });
    expect(bySecret.result).toEqual({ id: secret(app.id), name: secret("lookup-app"), createdAt: secret(app.outs.createdAt), accountId: secret(stack.account) });

    expect(await invoke("getPreset", { name: "found" })).toEqual({ result: undefined, failures: [{ property: "appId", reason: "appId: required (string)" }] });
    expect((await invoke("getWebhook", { appId: "../apps", name: "x" })).failures).toEqual([
      { property: "appId", reason: 'appId: must be one URL path segment (not empty, no "/", not "." or "..")' },
    ]);
    await expect(stack.plugin.invoke(type("getPreset"), { appId: app.id, name: "nobody" })).rejects.toThrow(`getPreset: no preset named "nobody" in app ${app.id}; there: "found"`);
    await expect(stack.plugin.invoke(type("getEverything"), {})).rejects.toThrow(/unknown function "realtimekit:index:getEverything": this provider has realtimekit:index:getApp, /);
  });
});

describe("secrets", () => {
  it("a meeting's recordingConfig (its storage credentials) leaves as a secret, in Create, Read and import; a secret input stays secret where it was", async () => {
    const app = await made("App", "secret-app", { name: "secret-app" });
    const args = meetingArgs("secret");
    const withSecret = { ...args, appId: app.id, title: secret("Board meeting") };
    const u = urn(type("Meeting"), "sm");
    const checked = seen(await stack.plugin.check(u, {}, withSecret));
    expect(checked.inputs.title).toEqual(secret("Board meeting"));
    const created = seen(await stack.plugin.create(u, checked.inputs));
    expect(created.outs.recordingConfig).toEqual(secret(expect.objectContaining({ storageConfig: expect.objectContaining({ secret: "s3cr3t-storage-key" }) })));
    expect(created.outs.title).toEqual(secret("Board meeting"));
    expect(created.outs.aiConfig).not.toHaveProperty(SIG_KEY);

    const read = seen(await stack.plugin.read(created.id, u, created.outs, checked.inputs));
    expect(read.props.recordingConfig).toMatchObject({ [SIG_KEY]: SECRET_SIG });
    expect(read.props.title).toEqual(secret("Board meeting"));
  });

  it("Check answers every storage credential secret, however it came: the engine stores Check's answer as the inputs", async () => {
    const app = await made("App", "credentials-app", { name: "credentials-app" });
    const storageConfig = { type: "sftp", host: "sftp.example.com", username: "rtk", authMethod: "KEY", password: "pass-phrase", privateKey: "-----KEY-----", accessKey: "AKIA-X", secret: "s3-secret" };
    const checked = seen(await stack.plugin.check(urn(type("Meeting"), "credentials"), {}, { appId: app.id, title: "creds", recordingConfig: { storageConfig } }));
    expect(checked.failures).toEqual([]);
    const { password, privateKey, accessKey, secret: key, ...rest } = storageConfig;
    // Check also fills in the API's defaults (audioConfig), which hold no credential.
    expect((checked.inputs.recordingConfig as { storageConfig: unknown }).storageConfig).toEqual({
      ...rest,
      password: secret(password),
      privateKey: secret(privateKey),
      accessKey: secret(accessKey),
      secret: secret(key),
    });
    expect(checked.inputs.title).toBe("creds");
  });

  it("a secret element of a list stays secret when the API answers the list in another order", async () => {
    const app = await made("App", "listed-secret-app", { name: "listed-secret-app" });
    const u = urn(type("Webhook"), "listed");
    const checked = seen(await stack.plugin.check(u, {}, { appId: app.id, ...webhookArgs("listed"), events: ["meeting.started", secret("meeting.ended")] }));
    const created = seen(await stack.plugin.create(u, checked.inputs));
    // The API keeps the set, not the order (values.ts satisfies compares lists as sets).
    stack.em.store.patch(stack.account, "webhooks", app.id, created.id, { events: ["meeting.ended", "meeting.started"] });
    const read = seen(await stack.plugin.read(created.id, u, created.outs, checked.inputs));
    expect(read.props.events).toEqual(secret(["meeting.ended", "meeting.started"]));
    for (const answer of [checked.inputs, created.outs, read.props, read.inputs ?? {}]) expect(plainJson(answer)).not.toContain("meeting.ended");
  });

  it("a Check failure on a secret input names no value: the engine prints the property's value, so there is none; the reason names the path", async () => {
    const pulumi = loadPulumi(root);
    const error = await runProgram(
      () => {
        const rtk = generatedSdk(pulumi);
        new rtk.Meeting("leaky", {
          appId: "app-1",
          accountId: pulumi.secret("acct/LEAKY-ACCOUNT"),
          title: pulumi.secret(987654321),
          recordingConfig: { storageConfig: { type: "aws", secret: 1234567890 } },
        });
      },
      { plugin: stack.plugin },
    ).then(
      () => expect.unreachable("the check must fail"),
      (e: Error) => e,
    );
    expect(error.message).toMatch(/accountId: must be one URL path segment .*, got a value not shown \(secret\)/);
    expect(error.message).toMatch(/title: .*expected string/);
    expect(error.message).toMatch(/recordingConfig\.storageConfig\.secret: .*expected string/);
    for (const value of ["LEAKY-ACCOUNT", "987654321", "1234567890"]) expect(error.message).not.toContain(value);
    expect(error.message).not.toMatch(/property (accountId|title|recordingConfig)/);
  });
});

describe("secrets at every depth, through every RPC that answers values", () => {
  const T = type("Meeting");
  /**
   * A meeting's arguments with secrets as the engine sends what a program marked secret: a top-level value,
   * a whole object, and a leaf and a list element under a sibling of it, and the recording config whole, as
   * the SDKs generated from the package schema wrap it (its input is secret there).
   */
  const secretArgs = (appId: string, n: number) => {
    const args = meetingArgs(`Secret title ${n}`);
    return {
      ...args,
      appId,
      title: secret(args.title),
      aiConfig: {
        summarization: secret({ summaryType: "sales_call", textFormat: "plain_text", wordLimit: 321 }),
        transcription: { language: secret("en-IN"), keywords: ["Pulumi", secret(`secret-keyword-${n}`)], profanityFilter: true },
      },
      recordingConfig: secret(args.recordingConfig),
    };
  };
  /** Each answer, what it answers, and the request whose secrets it must keep. */
  const answered: { rpc: string; answer: Props; request: Props; side: "inputs" | "outputs" }[] = [];
  const answer = <T extends Props | undefined>(rpc: string, a: T, request: Props, side: "inputs" | "outputs" = "outputs"): T => {
    answered.push({ rpc, answer: seen(a ?? {}), request, side });
    return a;
  };

  it("no answer shows in clear a value its request marked secret, or one the package schema marks secret", async () => {
    const app = await made("App", "deep-secrets-app", { name: "deep-secrets-app" });
    const u = urn(T, "deep");
    const args = secretArgs(app.id, 1);
    const checked = await stack.plugin.check(u, {}, args);
    expect(checked.failures).toEqual([]);
    answer("Check", checked.inputs, args, "inputs");
    answer("Create (preview)", (await stack.plugin.create(u, checked.inputs, { preview: true })).outs, checked.inputs);
    const created = await stack.plugin.create(u, checked.inputs);
    answer("Create", created.outs, checked.inputs);

    // A refresh with no drift answers the outputs; one with drift the live arguments too.
    answer("Read", (await stack.plugin.read(created.id, u, created.outs, checked.inputs)).props, created.outs);
    stack.em.store.patch(stack.account, "meetings", app.id, created.id, { record_on_start: true } as never);
    const drifted = await stack.plugin.read(created.id, u, created.outs, checked.inputs);
    expect(drifted.inputs?.recordOnStart).toBe(true);
    answer("Read (drift)", drifted.props, created.outs);
    answer("Read (drift): inputs", drifted.inputs, checked.inputs, "inputs");

    const next = secretArgs(app.id, 2);
    const rechecked = await stack.plugin.check(u, checked.inputs, next);
    answer("Check (update)", rechecked.inputs, next, "inputs");
    expect((await stack.plugin.diff(created.id, u, drifted.props, rechecked.inputs)).changes).toBe("some");
    answer("Update (preview)", (await stack.plugin.update(created.id, u, drifted.props, rechecked.inputs, { preview: true })).outs, rechecked.inputs);
    answer("Update", (await stack.plugin.update(created.id, u, drifted.props, rechecked.inputs)).outs, rechecked.inputs);

    // `pulumi import` sends no secret: what the schema marks secret is.
    const imported = await stack.plugin.read(`${app.id}/${created.id}`, urn(T, "deep-imported"), {});
    answer("Read (import)", imported.props, {});
    answer("Read (import): inputs", imported.inputs, {}, "inputs");

    const half = secretArgs(app.id, 3);
    const halfChecked = await stack.plugin.check(urn(T, "deep-half"), {}, half);
    const { error } = await createHalfMade(app.id, urn(T, "deep-half"), halfChecked.inputs, "Secret title 3");
    expect(error?.initFailure?.properties).toBeDefined();
    answer("Create (failed after making its object)", error!.initFailure!.properties, halfChecked.inputs);

    const schema = packageSchema as PackageSchema;
    const inClear = answered.flatMap(({ rpc, answer, request, side }) => secretsInClear(answer, request, schema, T, side).map((p) => `${rpc}: ${p}`));
    expect(inClear).toEqual([]);
    // Every request's secrets reached its answers, so the check above saw them (an import's request has none).
    const kept = answered.filter((a) => secretsOf(a.request).length).map((a) => a.answer);
    const text = plainJson(kept);
    for (const n of [1, 2, 3]) {
      expect(JSON.stringify(kept)).toContain(`secret-keyword-${n}`);
      expect(text).not.toContain(`secret-keyword-${n}`);
      expect(text).not.toContain(`Secret title ${n}`);
    }
  });
});

/**
 * A create of `inputs` (a meeting titled `title`) that makes its object but fails after it: the POST is done but
 * its answer lost; before the lookup finds the meeting, it is changed out of band (a meeting found again as it was
 * made needs no PATCH); every PATCH then fails. The error, and the meeting it made.
 */
async function createHalfMade(appId: string, u: string, inputs: Props, title: string) {
  let changed = false;
  const restore = onRequest(stack.em, (method, template) => {
    if (method === "POST" && template.endsWith("/:app/meetings")) stack.em.setFaults({ dropAfterCommitRate: 1 });
    if (method === "GET" && template.endsWith("/:app/meetings")) {
      stack.em.setFaults({});
      const [made] = stack.em.store.list(stack.account, "meetings", appId).filter((m) => m.title === title);
      if (!changed && made) stack.em.store.patch(stack.account, "meetings", appId, made.id, { record_on_start: true } as never);
      changed = true;
    }
    if (method === "PATCH") stack.em.setFaults({ errorRate: 1 });
  });
  const error = await stack.plugin.create(u, inputs).then(
    () => undefined,
    (e: Error & { initFailure?: { id: string; properties: Props; reasons: string[] } }) => e,
  ).finally(restore);
  const [live] = stack.em.store.list(stack.account, "meetings", appId).filter((m) => m.title === title);
  return { error, live };
}

describe("a create that made its object but failed after it", () => {
  it("fails with ErrorResourceInitFailed: the object's id and outputs (secrets wrapped) for the engine to record and update next time", async () => {
    const app = await made("App", "init-failed-app", { name: "init-failed-app" });
    const u = urn(type("Meeting"), "half");
    const { inputs } = await stack.plugin.check(u, {}, { appId: app.id, ...meetingArgs("Half made") });
    const { error, live } = await createHalfMade(app.id, u, inputs, "Half made");
    expect(error?.initFailure).toMatchObject({ id: live.id, reasons: [expect.stringMatching(new RegExp(`^Meeting ${live.id} exists and is recorded in the stack`))] });
    expect(error!.initFailure!.properties).toMatchObject({ title: "Half made", appId: app.id, recordingConfig: { [SIG_KEY]: SECRET_SIG } });
  });
});

describe("Cancel", () => {
  it("after Cancel no new write starts, neither Create, Update nor Delete (Check still answers): nothing is sent, the object stays", async () => {
    const p = await extraPlugin({ config: stack.config, secretKeys: ["realtimekit:apiToken"] });
    const app = await made("App", "cancel-app", { name: "cancel-app" });
    const hook = urn(type("Webhook"), "before-cancel");
    const checked = await p.check(hook, {}, { appId: app.id, ...webhookArgs("before-cancel") });
    const { id, outs } = await p.create(hook, checked.inputs);
    const changed = await p.check(hook, checked.inputs, { appId: app.id, ...webhookArgs("before-cancel"), name: "renamed" });
    const u = urn(type("App"), "after-cancel");
    const { inputs } = await p.check(u, {}, { name: "after-cancel" });
    await p.cancel();
    stack.em.requests.reset();
    const cancelled = "the operation was cancelled: the engine asked the provider to stop";
    await expect(p.create(u, inputs)).rejects.toThrow(cancelled);
    await expect(p.update(id, hook, outs, changed.inputs)).rejects.toThrow(cancelled);
    await expect(p.delete(id, hook, outs, checked.inputs)).rejects.toThrow(cancelled);
    expect((await p.check(u, {}, { name: "after-cancel" })).failures).toEqual([]);
    expect(stack.em.requests.total()).toBe(0);
    expect(stack.em.store.list(stack.account, "webhooks", app.id).map((w) => [w.id, w.name])).toEqual([[id, "before-cancel"]]);
  });
});

describe("the API token", () => {
  let echo: Server;
  let echoUrl: string;
  beforeAll(async () => {
    // A server that echoes the Authorization header wherever it can: the error's body and headers.
    echo = createServer((req, res) => {
      req.resume();
      const auth = req.headers.authorization ?? "";
      res.writeHead(400, { "content-type": "application/json", "x-request-id": auth });
      res.end(JSON.stringify({ success: false, error: { code: `E-${auth}`, message: `you sent ${auth}` } }));
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/client/v4`;
  });
  afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  it("is in no error, even from a server that echoes it, nor in the plugin's stderr, stdout or engine log", async () => {
    const p = await extraPlugin({ config: { ...stack.config, "realtimekit:baseUrl": echoUrl }, secretKeys: ["realtimekit:apiToken"] });
    const u = urn(type("App"), "echoed");
    const { inputs } = await p.check(u, {}, { name: "echoed" });
    const error = await p.create(u, inputs).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/POST \/accounts\/.+\/realtime\/kit\/apps failed: HTTP 400/);
    expect((error as Error).message).toContain("[redacted]");
    const lookupError = await p.invoke(type("getApp"), { name: "x" }).catch((e: Error) => e);
    expect(String(lookupError)).toMatch(/HTTP 400/);
    for (const text of [(error as Error).message, String(lookupError), p.stderr, p.stdout, JSON.stringify(p.logs)]) expect(text).not.toContain(stack.token);
  });

  it("is in no answer of this file's calls but as a secret (CheckConfig hands the config back to be stored), nor in the plugin's stderr, stdout or engine log", () => {
    expect(answers.length).toBeGreaterThan(20);
    expect(JSON.stringify(answers)).toContain(stack.token); // as the secret config value
    const text = plainJson(answers) + stack.plugin.stderr + stack.plugin.stdout + JSON.stringify(stack.plugin.logs);
    expect(text).not.toContain(stack.token);
  });
});
