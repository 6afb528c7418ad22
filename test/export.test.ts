// realtimekit-export end to end: a realistic account on the emulator, exported
// by the CLI (a child process, as users run it), then the generated program run
// through the dynamic-provider host: everything adopted, nothing created or
// deleted, no changes after. Exporting again shows exactly the live changes.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { createRequire, Module } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import type { PresetRole } from "../provider/presets";
import { meetingArgs, webhookArgs } from "./fixtures/args";
import { loadPulumi, refresh, runProgram, type EngineState } from "./harness";
import { rest } from "./support/emulator-http";
import { nodeRequire, root, startStack, type Stack } from "./support/stack";

const CLI = path.join(root, "dist/export/cli.js");
const schema: typeof import("../provider/schema") = nodeRequire(path.join(root, "dist/provider/schema"));
const presets: typeof import("../provider/presets") = nodeRequire(path.join(root, "dist/provider/presets"));
const ts: typeof import("typescript") = nodeRequire("typescript");
const ownPackage = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-export-"));
const out = path.join(tmp, "program");
let stack: Stack;
let ids: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  stack = await startStack();
  ids = seed(stack);
  // A backend's participant: no Pulumi resource, so nothing of it is exported.
  stack.em.store.create(stack.account, "participants", ids.webinars, {
    meeting_id: ids.meetings.standup,
    custom_participant_id: "backend-user-1",
    preset_name: "host",
    preset_id: ids.presets.host.id,
    token: "participant-token-not-exported",
  });
});
afterAll(async () => {
  await stack?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// The write-only storage credentials the account was set up with (the API never returns them).
const CREDENTIALS = { accessKey: "AKIAEXAMPLE", secret: "s3cr3t-storage-key", password: "sftp-pa55word" };

/** Two apps, eleven presets (every role template, some edited), three webhooks, five meetings. */
function seed({ em, account }: Stack) {
  const { store } = em;
  /** A preset made from a role template with `changes` (snake_case) laid over it, as a dashboard edit would. */
  const preset = (appId: string, name: string, role: PresetRole, changes: object = {}) => {
    const p = presets.deepMerge({ name, ...(schema.convertKeys(schema.PresetCreate, presets.ROLES[role](), "snake") as object) }, changes);
    const id = store.create(account, "presets", appId, schema.PresetCreate.parse(p)).id;
    return { id, appId, name, role, changes };
  };
  const meeting = (appId: string, title: string | null, edit: (m: any) => void = () => {}) => {
    const m: any = { ...(schema.convertKeys(schema.MeetingCreate, meetingArgs(), "snake") as object), title, status: "ACTIVE" };
    edit(m);
    return store.create(account, "meetings", appId, schema.MeetingCreate.parse(m)).id;
  };
  const webhook = (appId: string, name: string, enabled = true) =>
    store.create(account, "webhooks", appId, { ...(webhookArgs(name) as any), enabled }).id;

  const webinars = store.createApp(account, "Webinars").id;
  const support = store.createApp(account, "Support Calls").id;
  return {
    webinars,
    support,
    presets: {
      host: preset(webinars, "host", "webinarPresenter"),
      coHost: preset(webinars, "Co-Host", "webinarPresenter", { ui: { design_tokens: { theme: "light" } }, permissions: { kick_participant: false } }),
      participant: preset(webinars, "participant", "webinarViewer", { permissions: { media: { video: { can_produce: "CAN_REQUEST" } } } }),
      viewer: preset(webinars, "viewer", "webinarViewer"),
      stageManager: preset(webinars, "Stage Manager", "livestreamHost", {
        permissions: { waiting_room_type: "ON_PRIVILEGED_USER_ENTRY" },
        ui: { design_tokens: { border_radius: "sharp" } },
      }),
      recorder: preset(webinars, "recorder", "groupCallParticipant", {
        permissions: { recorder_type: "RECORDER", hidden_participant: true },
        ui: { design_tokens: { theme: "darkest" } },
      }),
      audience: preset(webinars, "audience", "livestreamViewer"),
      agent: preset(support, "agent", "groupCallHost", { config: { max_video_streams: { desktop: 2, mobile: 1 } } }),
      // Another name with the same slug: named agent-2, being the younger one.
      agentUpper: preset(support, "Agent", "groupCallParticipant", { ui: { design_tokens: { spacing_base: 8 } } }),
      customer: preset(support, "customer", "audioRoomSpeaker", {
        permissions: { chat: { private: { can_send: false } } },
        ui: { design_tokens: { border_width: "none" } },
      }),
      supervisor: preset(support, "supervisor", "audioRoomListener", { permissions: { can_livestream: true } }),
    },
    webhooks: { events: webhook(webinars, "events"), recordings: webhook(webinars, "recordings", false), tickets: webhook(support, "tickets") },
    meetings: {
      standup: meeting(webinars, "Daily standup"),
      standup2: meeting(webinars, "Daily standup", (m) => {
        m.record_on_start = true;
        delete m.recording_config.storage_config;
      }),
      allHands: meeting(webinars, "All hands", (m) => {
        m.status = "INACTIVE";
        m.recording_config.storage_config = null;
      }),
      untitled: meeting(webinars, null, (m) => delete m.recording_config),
      triage: meeting(support, "Triage", (m) => {
        m.recording_config.storage_config = { type: "sftp", auth_method: "PASSWORD", host: "files.example.com", port: 22, username: "rtk", password: CREDENTIALS.password };
      }),
    },
  };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with credentials for the emulator (`env` overrides them). */
function exportCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const creds = { CLOUDFLARE_ACCOUNT_ID: stack.account, CLOUDFLARE_API_TOKEN: stack.token, CLOUDFLARE_BASE_URL: stack.em.url };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...creds, ...env } }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Every file below `dir` (relative path → content). */
function tree(dir: string): Record<string, string> {
  return Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]),
  );
}

const readYaml = (rel: string) => YAML.parse(fs.readFileSync(path.join(out, rel), "utf8"), { logLevel: "silent" });

/** What the API returns for an object, as the file should hold it: no timestamps, no write-only fields. */
function api(kind: "presets" | "webhooks" | "meetings", appId: string, id: string) {
  const { created_at: _c, updated_at: _u, ...record } = stack.em.store.get(stack.account, kind, appId, id) as any;
  if (kind === "meetings") {
    delete record.transcribe_on_end;
    for (const k of ["access_key", "secret", "password", "private_key"]) delete record.recording_config?.storage_config?.[k];
  }
  return record;
}

/**
 * The generated index.ts as `pulumi up` would run it: transpiled to CommonJS and
 * run with Node's require from this repository, where "pulumi-realtimekit" is
 * the package itself (node_modules links it), compiled in dist/.
 */
function generatedProgram(dir = out) {
  const source = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  const wrapped = vm.runInThisContext(Module.wrap(js.outputText));
  const req = createRequire(path.join(root, "package.json"));
  return () => {
    const module = { exports: {} as Record<string, unknown> };
    wrapped(module.exports, req, module, path.join(dir, "index.ts"), dir);
    return module.exports;
  };
}

/** Requests of this method to any route. */
const countOf = (method: string) => stack.em.requests.count(method, "");

describe("realtimekit-export", () => {
  let first: Run;
  let exported: Record<string, string>;
  let state: EngineState;

  it("exports every app, preset, webhook and meeting, one progress line each", async () => {
    first = await exportCli(["--out", out, "--all"]);
    expect(first.stderr.split("\n").filter(Boolean)).toEqual([
      "Webinars: preset host (1/7)",
      "Webinars: preset Co-Host (2/7)",
      "Webinars: preset participant (3/7)",
      "Webinars: preset viewer (4/7)",
      "Webinars: preset Stage Manager (5/7)",
      "Webinars: preset recorder (6/7)",
      "Webinars: preset audience (7/7)",
      "Webinars: webhook events (1/2)",
      "Webinars: webhook recordings (2/2)",
      "Webinars: meeting Daily standup (1/4)",
      "Webinars: meeting Daily standup (2/4)",
      "Webinars: meeting All hands (3/4)",
      `Webinars: meeting ${ids.meetings.untitled} (4/4)`,
      "Support Calls: preset agent (1/4)",
      "Support Calls: preset Agent (2/4)",
      "Support Calls: preset customer (3/4)",
      "Support Calls: preset supervisor (4/4)",
      "Support Calls: webhook tickets (1/1)",
      "Support Calls: meeting Triage (1/1)",
    ]);
    expect(first.code).toBe(0);
    exported = tree(out);
    expect(Object.keys(exported)).toEqual([
      ".gitignore",
      ".realtimekit-export",
      "Pulumi.yaml",
      "README.md",
      "index.ts",
      "package.json",
      "support-calls/app.yaml",
      "support-calls/meetings.yaml",
      "support-calls/presets/agent-2.yaml",
      "support-calls/presets/agent.yaml",
      "support-calls/presets/customer.yaml",
      "support-calls/presets/supervisor.yaml",
      "support-calls/webhooks/tickets.yaml",
      "tsconfig.json",
      "webinars/app.yaml",
      "webinars/meetings.yaml",
      "webinars/presets/audience.yaml",
      "webinars/presets/co-host.yaml",
      "webinars/presets/host.yaml",
      "webinars/presets/participant.yaml",
      "webinars/presets/recorder.yaml",
      "webinars/presets/stage-manager.yaml",
      "webinars/presets/viewer.yaml",
      "webinars/webhooks/events.yaml",
      "webinars/webhooks/recordings.yaml",
    ]);
    expect(JSON.stringify(exported)).not.toMatch(/backend-user-1|participant-token-not-exported/);
    // Every file but the marker (the export's own bookkeeping) is listed as added.
    expect(first.stdout).toContain(`${out}: 2 app(s); ${Object.keys(exported).length - 1} file(s) changed:\n  + webinars/app.yaml\n`);
  });

  it("writes each preset as its role and only the fields that differ from it", () => {
    const files: Record<keyof typeof ids.presets, string> = {
      host: "webinars/presets/host.yaml",
      coHost: "webinars/presets/co-host.yaml",
      participant: "webinars/presets/participant.yaml",
      viewer: "webinars/presets/viewer.yaml",
      stageManager: "webinars/presets/stage-manager.yaml",
      recorder: "webinars/presets/recorder.yaml",
      audience: "webinars/presets/audience.yaml",
      agent: "support-calls/presets/agent.yaml",
      agentUpper: "support-calls/presets/agent-2.yaml",
      customer: "support-calls/presets/customer.yaml",
      supervisor: "support-calls/presets/supervisor.yaml",
    };
    for (const [key, file] of Object.entries(files) as [keyof typeof ids.presets, string][]) {
      const { id, name, role, changes } = ids.presets[key];
      expect(readYaml(file), file).toEqual({ id, name, role, ...changes });
    }
    // Every role appears, and an unedited preset is its role alone.
    expect(new Set(Object.values(ids.presets).map((p) => p.role))).toEqual(new Set(presets.ROLE_NAMES));
    expect(exported["webinars/presets/viewer.yaml"].split("\n").filter((l) => l && !l.startsWith("#"))).toEqual([
      `id: ${ids.presets.viewer.id}`,
      "name: viewer",
      "role: webinarViewer",
    ]);

    // Line counts against the whole object, as the export wrote it before roles (two header lines, then the object).
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const lines = (text: string) => text.split("\n").filter(Boolean).length;
    const now = Object.values(files).map((f) => lines(exported[f]));
    const whole = Object.values(ids.presets).map((p) => 2 + lines(YAML.stringify(api("presets", p.appId, p.id), { lineWidth: 0 })));
    console.log(`exported preset files: median ${median(whole)} lines as whole objects, ${median(now)} as role + differences`);
    expect(median(now)).toBeLessThan(median(whole));
  });

  it("writes the other objects as the API returns them, id first, less the fields at their default, with !secret for write-only credentials", () => {
    expect(readYaml("webinars/app.yaml")).toEqual({ id: ids.webinars, name: "Webinars" });
    // A disabled webhook says so; an enabled one leaves `enabled` to its default.
    expect(readYaml("webinars/webhooks/recordings.yaml")).toEqual(api("webhooks", ids.webinars, ids.webhooks.recordings));
    const { enabled, ...events } = api("webhooks", ids.webinars, ids.webhooks.events);
    expect([enabled, readYaml("webinars/webhooks/events.yaml")]).toEqual([true, events]);

    const meetings = readYaml("webinars/meetings.yaml");
    expect(Object.keys(meetings)).toEqual(["daily-standup", "daily-standup-2", "all-hands", "meeting"]);
    const allHands = api("meetings", ids.webinars, ids.meetings.allHands);
    expect(meetings["all-hands"]).toEqual(schema.withoutDefaults(schema.MeetingCreate, allHands, "snake"));
    // ...which, laid over the defaults, is the live object again.
    expect(schema.fillDefaults(schema.MeetingCreate, meetings["all-hands"], "snake")).toEqual(schema.fillDefaults(schema.MeetingCreate, allHands, "snake"));
    expect(meetings["all-hands"]).not.toHaveProperty("record_on_start");
    expect(meetings.meeting).toEqual(schema.withoutDefaults(schema.MeetingCreate, api("meetings", ids.webinars, ids.meetings.untitled), "snake"));
    expect(exported["webinars/meetings.yaml"]).toContain(
      "      access_key: !secret webinars-daily-standup-storage-access-key\n      secret: !secret webinars-daily-standup-storage-secret\n",
    );
    expect(exported["support-calls/meetings.yaml"]).toContain("      password: !secret support-calls-triage-storage-password\n");
    expect(meetings["daily-standup-2"].recording_config.storage_config).toBeUndefined();
    for (const secret of [...Object.values(CREDENTIALS), stack.token]) expect(JSON.stringify(exported)).not.toContain(secret);

    // The export says which config keys to set, and so does the README.
    for (const key of ["webinars-daily-standup-storage-access-key", "webinars-daily-standup-storage-secret", "support-calls-triage-storage-password"]) {
      expect(first.stdout).toContain(`  pulumi config set --secret ${key} <value>`);
      expect(exported["README.md"]).toContain(`pulumi config set --secret ${key} <value>`);
    }
    expect(exported["index.ts"]).toContain('const apps = ["support-calls", "webinars"];');
    // The program depends on the version that wrote it (--package-spec names another, e.g. a tarball).
    const pkg = JSON.parse(exported["package.json"]);
    expect(pkg.dependencies).toEqual({ "@pulumi/pulumi": ownPackage.dependencies["@pulumi/pulumi"], "pulumi-realtimekit": ownPackage.version });
  });

  it("--package-spec: the program's package.json depends on it", async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-export-spec-"));
    try {
      const run = await exportCli(["--out", elsewhere, "--app", ids.support, "--package-spec", "file:../pulumi-realtimekit-0.1.0.tgz"]);
      expect(run.code).toBe(0);
      const pkg = JSON.parse(fs.readFileSync(path.join(elsewhere, "package.json"), "utf8"));
      expect(pkg.dependencies["pulumi-realtimekit"]).toBe("file:../pulumi-realtimekit-0.1.0.tgz");
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("generates a program that type-checks against the package", () => {
    const program = ts.createProgram([path.join(out, "index.ts")], {
      noEmit: true,
      strict: true,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.join(root, "node_modules/@types")],
      paths: { "pulumi-realtimekit": [path.join(root, "dist/sdk/index.d.ts")] },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);
  });

  it("the generated program adopts every object: nothing created or deleted, then no changes", async () => {
    const secret = (key: string) => `realtimekit-apps:${key}`;
    const config = {
      [secret("webinars-daily-standup-storage-access-key")]: CREDENTIALS.accessKey,
      [secret("webinars-daily-standup-storage-secret")]: CREDENTIALS.secret,
      [secret("support-calls-triage-storage-password")]: CREDENTIALS.password,
    };
    loadPulumi(root).runtime.setAllConfig(config, Object.keys(config));
    const before = stack.em.store.toJSON();
    stack.em.requests.reset();

    const up = await runProgram(generatedProgram(), { host: stack.host, project: "realtimekit-apps" });
    state = up.state;
    expect(up.steps.map((s) => s.name).sort()).toEqual(
      [
        "support-calls",
        ...["agent", "agent-2", "customer", "supervisor", "tickets", "triage"].map((n) => `support-calls/${n}`),
        "webinars",
        ...["host", "co-host", "participant", "viewer", "stage-manager", "recorder", "audience", "events", "recordings"].map((n) => `webinars/${n}`),
        ...["daily-standup", "daily-standup-2", "all-hands", "meeting"].map((n) => `webinars/${n}`),
      ].sort(),
    );
    // Adopted, not created: every resource holds the live object's id.
    const live = [ids.webinars, ids.support, ...Object.values(ids.presets).map((p) => p.id), ...Object.values(ids.webhooks), ...Object.values(ids.meetings)];
    expect(up.steps.map((s) => s.id).sort()).toEqual(live.sort());
    expect(up.outputs).toEqual({ appIds: { webinars: ids.webinars, "support-calls": ids.support } });
    expect([countOf("POST"), countOf("DELETE"), countOf("PUT")]).toEqual([0, 0, 0]);
    // Write-only credentials cannot be compared, so adoption sends them once: one PATCH per meeting that has them.
    expect([stack.em.requests.count("PATCH", "/:app/meetings/:id"), countOf("PATCH")]).toEqual([2, 2]);
    // ...with the very values the account had: nothing changed but the two meetings' updated_at, and the
    // defaults their recording_config left out, which the PATCH sends as part of the whole recording_config.
    const recordingConfig = schema.MeetingCreate.shape.recording_config;
    const sansStamps = (s: any) =>
      JSON.parse(JSON.stringify(s, (k, v) => (k === "updated_at" ? undefined : k === "recording_config" ? schema.fillDefaults(recordingConfig, v, "snake") : v)));
    expect(sansStamps(stack.em.store.toJSON())).toEqual(sansStamps(before));

    stack.em.requests.reset();
    const second = await runProgram(generatedProgram(), { host: stack.host, state, project: "realtimekit-apps" });
    expect(second.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(stack.em.requests.total()).toBe(0);
    expect((await refresh(second.state, stack.host)).filter((r) => r.changed || r.dropped)).toEqual([]);
    const third = await runProgram(generatedProgram(), { host: stack.host, state: second.state, project: "realtimekit-apps" });
    expect(third.steps.filter((s) => s.op !== "same")).toEqual([]);
    state = third.state;
  });

  it("exporting again changes nothing, then exactly what changed live", async () => {
    const again = await exportCli(["--out", out, "--all"]);
    expect(again.code).toBe(0);
    expect(again.stdout.split("\n")[0]).toBe(`${out}: 2 app(s); no changes.`);
    expect(tree(out)).toEqual(exported);

    const { store } = stack.em;
    store.patch(stack.account, "presets", ids.webinars, ids.presets.viewer.id, { ui: { design_tokens: { theme: "light" } } } as never);
    store.remove(stack.account, "webhooks", ids.support, ids.webhooks.tickets);
    // A new preset whose name's slug is taken stays clear of it; the others keep their names.
    const { id: _id, ...host } = store.get(stack.account, "presets", ids.webinars, ids.presets.host.id)!;
    const hostToo = store.create(stack.account, "presets", ids.webinars, { ...host, name: "Host" }).id;
    const drift = await exportCli(["--out", out, "--all"]);
    expect(drift.code).toBe(0);
    expect(drift.stdout.split("\n").slice(0, 5)).toEqual([
      `${out}: 2 app(s); 4 file(s) changed:`,
      "  + webinars/presets/host-2.yaml",
      "  ~ webinars/presets/viewer.yaml",
      "  ~ README.md",
      "  - support-calls/webhooks/tickets.yaml",
    ]);
    const now = tree(out);
    const changed = Object.keys({ ...exported, ...now }).filter((f) => exported[f] !== now[f]);
    expect(changed.sort()).toEqual(["README.md", "support-calls/webhooks/tickets.yaml", "webinars/presets/host-2.yaml", "webinars/presets/viewer.yaml"]);
    expect(readYaml("webinars/presets/viewer.yaml").ui.design_tokens.theme).toBe("light");
    expect(readYaml("webinars/presets/host-2.yaml").id).toBe(hostToo);
    expect(fs.existsSync(path.join(out, "support-calls/webhooks"))).toBe(false);

    // Committing the export accepts the drift: `pulumi up --refresh` adopts the new preset and changes nothing.
    const refreshed = await refresh(state, stack.host);
    expect(refreshed.filter((r) => r.changed).map((r) => [r.name, r.dropped]).sort()).toEqual([
      ["support-calls/tickets", true],
      ["webinars/viewer", false],
    ]);
    stack.em.requests.reset();
    const up = await runProgram(generatedProgram(), { host: stack.host, state, project: "realtimekit-apps" });
    expect(up.steps.filter((s) => s.op !== "same").map((s) => [s.op, s.name])).toEqual([["create", "webinars/host-2"]]);
    expect([countOf("POST"), countOf("PATCH"), countOf("DELETE")]).toEqual([0, 0, 0]);
  });

  it("a `!secret` key edited by hand stays (meetings that share a bucket may share its key)", async () => {
    const file = path.join(out, "webinars/meetings.yaml");
    const shared = fs.readFileSync(file, "utf8").replace("!secret webinars-daily-standup-storage-secret", "!secret recordings-bucket-secret");
    fs.writeFileSync(file, shared);
    const again = await exportCli(["--out", out, "--all"]);
    expect(again.stdout.split("\n").slice(0, 2)).toEqual([`${out}: 2 app(s); 1 file(s) changed:`, "  ~ README.md"]);
    expect(fs.readFileSync(file, "utf8")).toBe(shared);
    expect(again.stdout).toContain("  pulumi config set --secret recordings-bucket-secret <value>   # meeting daily-standup in webinars/meetings.yaml\n");
  });

  it("--app exports that app only and leaves the other app's folder in the program", async () => {
    const before = tree(out);
    const one = await exportCli(["--out", out, "--app", ids.support]);
    expect([one.code, one.stdout.split("\n")[0]]).toEqual([0, `${out}: 2 app(s); no changes.`]);
    expect(one.stderr).not.toContain("Webinars:");
    expect(tree(out)).toEqual(before);
  });

  it("a bad token: exit 1 and one line that says what to fix", async () => {
    const run = await exportCli(["--out", path.join(tmp, "bad"), "--all"], { CLOUDFLARE_API_TOKEN: "wrong" });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("realtimekit-export: the API rejected the token (HTTP 401: Missing or invalid API token): check CLOUDFLARE_API_TOKEN or --api-token\n");
    expect(fs.existsSync(path.join(tmp, "bad"))).toBe(false);
  });

  it("an unknown app: exit 1, naming the account's apps", async () => {
    const run = await exportCli(["--out", path.join(tmp, "bad"), "--app", ids.webinars, "--app", "no-such-app"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `realtimekit-export: app no-such-app not found in this account; its apps: Webinars (${ids.webinars}), Support Calls (${ids.support})\n`,
    );
    expect(fs.existsSync(path.join(tmp, "bad"))).toBe(false);
  });

  it("--help, and usage errors exit 2", async () => {
    const help = await exportCli(["--help"]);
    expect([help.code, help.stdout.split("\n")[0]]).toEqual([0, "Usage: realtimekit-export --out DIR (--app APP_ID ... | --all) [options]"]);
    const usage = await exportCli(["--all"]);
    expect([usage.code, usage.stderr]).toEqual([2, "realtimekit-export: --out DIR is required (see realtimekit-export --help)\n"]);
    const noToken = await exportCli(["--out", out, "--all"], { CLOUDFLARE_API_TOKEN: "" });
    expect([noToken.code, noToken.stderr]).toEqual([
      2,
      "realtimekit-export: the API token is missing: CLOUDFLARE_API_TOKEN or --api-token (see realtimekit-export --help)\n",
    ]);
  });
});

describe("realtimekit-export of a meeting recorded in VP8, whose audio codec the server sets (vorbis)", () => {
  it("writes no audio codec; the generated program adopts the meeting, then no changes and no drift", async () => {
    const dir = path.join(tmp, "vp8");
    // Made through the API, which sets the audio codec (docs/api-behaviour.md, vp8-audio-vorbis).
    const app = stack.em.store.createApp(stack.account, "Recordings").id;
    const made = await rest(stack, "POST", `/${app}/meetings`, { title: "VP8 recording", recording_config: { video_config: { codec: "VP8" }, audio_config: { channel: "mono" } } });
    expect(made.status).toBe(201);
    const { id } = made.body.data as { id: string };
    expect(stack.em.store.get(stack.account, "meetings", app, id)!.recording_config?.audio_config?.codec).toBe("vorbis");

    const run = await exportCli(["--out", dir, "--app", app]);
    expect([run.code, run.stderr]).toEqual([0, "Recordings: meeting VP8 recording (1/1)\n"]);
    const file = YAML.parse(fs.readFileSync(path.join(dir, "recordings/meetings.yaml"), "utf8"), { logLevel: "silent" });
    expect(file).toEqual({
      "vp8-recording": { id, title: "VP8 recording", recording_config: { audio_config: { channel: "mono" }, video_config: { codec: "VP8" } } },
    });

    stack.em.requests.reset();
    const up = await runProgram(generatedProgram(dir), { host: stack.host, project: "realtimekit-apps" });
    expect(up.steps.map((s) => [s.name, s.id])).toEqual(expect.arrayContaining([["recordings/vp8-recording", id]]));
    expect([countOf("POST"), countOf("PATCH"), countOf("PUT")]).toEqual([0, 0, 0]);
    stack.em.requests.reset();
    const second = await runProgram(generatedProgram(dir), { host: stack.host, state: up.state, project: "realtimekit-apps" });
    expect(second.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(stack.em.requests.total()).toBe(0);
    expect((await refresh(second.state, stack.host)).filter((r) => r.changed || r.dropped)).toEqual([]);
  });
});
