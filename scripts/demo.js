#!/usr/bin/env node
// `npm run demo [-- --clean]`: the three jobs of pulumi-realtimekit, on the
// embedded RealtimeKit emulator (no Cloudflare account, no Pulumi account):
//   1. deploy the quickstart (the plan, then the result);
//   2. a change made outside the code, found by drift detection, reverted by up;
//   3. the account exported as a GitOps folder, adopted, and previewed: no changes.
// The engine is the Pulumi CLI on PATH, else `npx pulumi@<PULUMI_CLI>` (which
// downloads it), else the offline engine (engine/): the same program through
// Pulumi's own dynamic-provider host. Everything it makes stays in .demo/ to look
// at afterwards; `--clean` removes it.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { parseArgs } = require("node:util");
const { cliEngine } = require("./demo/cli");
const { offlineEngine } = require("./demo/offline");

/** The npm `pulumi` package (and so the CLI version) that `npx` fetches. */
const PULUMI_CLI = "3.265.0";
const ACCOUNT = "demo-account";
const TOKEN = "demo-token";

const root = path.join(__dirname, "..");
const demoDir = path.join(root, ".demo");
const rel = (p) => path.relative(process.cwd(), p) || ".";
/** Marks the folder as the demo's: only such a folder is ever removed. */
const MARK = path.join(demoDir, "README.md");
const log = (line = "") => console.log(line);

/** Removes .demo/ when it is the demo's own (a real folder with its mark); refuses anything else. */
function removeDemoDir() {
  let stat;
  try {
    stat = fs.lstatSync(demoDir);
  } catch {
    return false;
  }
  if (!stat.isDirectory() || !fs.existsSync(MARK) || !fs.readFileSync(MARK, "utf8").startsWith("# npm run demo")) {
    throw new Error(`${rel(demoDir)} exists and is not the demo's folder (no ${rel(MARK)} from npm run demo): move it away first`);
  }
  fs.rmSync(demoDir, { recursive: true });
  return true;
}

/** Where a Pulumi CLI can be had: on PATH, or through npx; otherwise why not. */
async function findPulumi() {
  const onPath = spawnSync("pulumi", ["version"], { encoding: "utf8", timeout: 15_000 });
  if (!onPath.error && onPath.status === 0) return { bin: "pulumi", label: `pulumi ${onPath.stdout.trim()} on PATH` };
  // The npm `pulumi` package keeps the CLI it downloads here (its README), shared with the Automation API.
  const cached = path.join(process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi"), "versions", PULUMI_CLI, "bin", "pulumi");
  const usable = () => spawnSync(cached, ["version"], { timeout: 15_000 }).status === 0;
  if (usable()) return { bin: cached, label: `pulumi ${PULUMI_CLI} fetched by npx earlier (${cached})` };
  // npx downloads the CLI from get.pulumi.com: tried only where that answers quickly, so offline fails fast.
  const unreachable = await fetch("https://get.pulumi.com/", { method: "HEAD", signal: AbortSignal.timeout(5_000) }).then(
    () => undefined,
    (e) => `get.pulumi.com unreachable: ${e.cause?.code ?? e.name}`,
  );
  if (unreachable) return { why: `\`npx pulumi@${PULUMI_CLI}\` cannot download it (${unreachable})` };
  log(`Pulumi CLI not on PATH: fetching it with \`npx pulumi@${PULUMI_CLI}\` (once; it is cached in ${path.dirname(path.dirname(cached))})`);
  const npx = spawnSync("npx", ["--yes", `pulumi@${PULUMI_CLI}`, "version"], {
    encoding: "utf8",
    timeout: 300_000,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_fetch_retries: "0", npm_config_update_notifier: "false" },
  });
  if (usable()) return { bin: cached, label: `pulumi ${PULUMI_CLI} from npx` };
  const why = npx.error?.code ?? (npx.stderr.trim().split("\n").pop() || `exit code ${npx.status}`);
  return { why: `\`npx pulumi@${PULUMI_CLI}\` failed: ${why}` };
}

/** What the emulator holds, read from its store: the objects of the demo's account. */
function objects(store) {
  const out = [];
  for (const app of store.apps(ACCOUNT)) {
    out.push(`app     ${app.name.padEnd(16)} ${app.id}`);
    for (const p of store.list(ACCOUNT, "presets", app.id)) out.push(`  preset  ${p.name.padEnd(14)} ${p.id}`);
    for (const w of store.list(ACCOUNT, "webhooks", app.id)) out.push(`  webhook ${w.name.padEnd(14)} ${w.id}  events: ${w.events.join(", ")}`);
    for (const m of store.list(ACCOUNT, "meetings", app.id)) out.push(`  meeting ${String(m.title).padEnd(14)} ${m.id}`);
  }
  return out;
}

/** Fails the demo when a step did not do what it says. */
function expect(ok, what) {
  if (!ok) throw new Error(`step failed: ${what}`);
  log(`  ✓ ${what}`);
}

/** `realtimekit-export`, the installed bin's code, against the emulator. */
function exportAccount(env, out) {
  const args = ["--out", rel(out), "--all", "--package-spec", `file:${path.relative(out, root) || "."}`];
  log(`$ realtimekit-export ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "dist", "export", "cli.js"), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      for (const line of output.trimEnd().split("\n")) log(`  ${line}`);
      code === 0 ? resolve() : reject(new Error(`realtimekit-export exited with code ${code}`));
    });
  });
}

async function main() {
  const { values: flags } = parseArgs({ options: { clean: { type: "boolean" } } });
  if (flags.clean) {
    log(removeDemoDir() ? `removed ${rel(demoDir)}` : `nothing to remove: ${rel(demoDir)} does not exist`);
    return;
  }
  const started = Date.now();
  if (removeDemoDir()) log(`(${rel(demoDir)} from an earlier run removed: this run starts afresh)`);
  fs.mkdirSync(demoDir);
  fs.writeFileSync(
    MARK,
    "# npm run demo\n\nWhat the last `npm run demo` left: `emulator.json` (the emulator's RealtimeKit objects), the stacks' state (`stacks/` offline, `pulumi/` with the CLI) and `gitops/` (the exported account). `npm run demo -- --clean` removes this folder.\n",
  );

  const pulumi = await findPulumi();
  const state = `state in ${rel(demoDir)}/`;
  log(
    pulumi.bin
      ? `Engine: ${pulumi.label}; ${state}`
      : `Pulumi CLI not found (not on PATH; ${pulumi.why}): this is the offline path, the same program through Pulumi's own dynamic-provider host, driven by engine/ as the CLI drives it; ${state}`,
  );

  const { startEmulator } = require(path.join(root, "dist", "emulator"));
  const { RealtimeKit } = require(path.join(root, "dist", "provider"));
  const emulator = await startEmulator({ port: 0, token: TOKEN, statePath: path.join(demoDir, "emulator.json") });
  const env = { CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: emulator.url };
  const config = { "realtimekit:accountId": ACCOUNT, "realtimekit:apiToken": TOKEN, "realtimekit:baseUrl": emulator.url };
  const api = new RealtimeKit({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl: emulator.url });
  log(`RealtimeKit emulator: ${emulator.url} (objects in ${rel(path.join(demoDir, "emulator.json"))})`);
  const ctx = { root, demoDir, env, config, log };
  const engine = pulumi.bin ? cliEngine(ctx, pulumi.bin) : await offlineEngine(ctx);

  try {
    log("\n== 1. Deploy the quickstart (examples/quickstart) to RealtimeKit");
    await engine.deploy();
    const app = emulator.store.apps(ACCOUNT).find((a) => a.name === "support-calls");
    const count = (kind) => (app ? emulator.store.list(ACCOUNT, kind, app.id).length : 0);
    for (const line of objects(emulator.store)) log(`  ${line}`);
    expect(app && count("presets") === 2 && count("webhooks") === 1 && count("meetings") === 1, "created: the app, 2 presets, a webhook and a meeting");

    log("\n== 2. A change outside the code, found and reverted");
    const hook = emulator.store.list(ACCOUNT, "webhooks", app.id)[0];
    const wanted = hook.events;
    await api.webhooks.edit(app.id, hook.id, { events: ["meeting.started"] });
    log(`Someone edits webhook "${hook.name}" through the API (or the dashboard): events ${JSON.stringify(wanted)} -> ["meeting.started"]`);
    const drifted = await engine.detectDrift();
    expect(drifted.includes("events"), `drift found, naming the field changed: ${drifted.join(", ")}`);
    await engine.revert();
    const reverted = (await api.webhooks.get(app.id, hook.id)).events;
    expect(JSON.stringify([...reverted].sort()) === JSON.stringify([...wanted].sort()), `reverted by up: events ${JSON.stringify(reverted)}`);

    log("\n== 3. Export the account as a GitOps folder, adopt it, preview it");
    const gitops = path.join(demoDir, "gitops");
    await exportAccount(env, gitops);
    const files = fs.readdirSync(gitops, { recursive: true }).filter((f) => fs.statSync(path.join(gitops, f)).isFile());
    expect(files.includes(path.join("support-calls", "app.yaml")) && files.includes("index.ts"), `export written: ${files.length} files in ${rel(gitops)}`);
    emulator.requests.reset();
    const { changes } = await engine.adoptExport(gitops);
    const writes = ["POST", "PUT", "DELETE"].reduce((n, m) => n + emulator.requests.count(m, ""), 0);
    expect(writes === 0, "adopted: nothing created or deleted in RealtimeKit");
    expect(changes.length === 0, "the exported program's preview: no changes");

    log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Look around ${rel(demoDir)}/: emulator.json holds RealtimeKit's objects,`);
    log(`${pulumi.bin ? "pulumi/ the stacks (a file backend)" : "stacks/ the stacks' state"}, gitops/ the exported program. \`npm run demo -- --clean\` removes it.`);
    log(`To browse the objects: npx realtimekit-emulator --token ${TOKEN} --state ${rel(path.join(demoDir, "emulator.json"))}`);
    log(
      'From another language: `npm install -g pulumi-realtimekit` puts the plugin pulumi-resource-realtimekit on PATH; in a Python, Go, .NET or Java project, `pulumi package add "$(npm root -g)/pulumi-realtimekit/schema.json"` generates the SDK (Pulumi YAML needs none): see examples/python and examples/yaml.',
    );
  } finally {
    await engine.close();
    await emulator.close();
  }
}

main().catch((e) => {
  console.error(`demo failed: ${e.message}`);
  process.exit(1);
});
