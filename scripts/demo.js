#!/usr/bin/env node
// `npm run demo`: the quickstart (root Pulumi.yaml) deployed with the real
// Pulumi CLI against the local emulator, then a drift check, then cleanup.
// No Cloudflare account and no Pulumi account: state goes to a temp folder.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.join(__dirname, "..");

if (spawnSync("pulumi", ["version"], { stdio: "ignore" }).error) {
  console.error(
    "pulumi CLI not found: install it from https://www.pulumi.com/docs/install/ (the demo drives it against a local emulator; no Cloudflare account needed)",
  );
  process.exit(1);
}

const ACCOUNT = "demo-account";
const TOKEN = "demo-token";

/** Runs `pulumi <args>` in the repository root. Asynchronous on purpose: the emulator answers from this same process. */
function pulumi(args, env, capture = false) {
  console.log(`\n$ pulumi ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--cwd", root], { env, stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"] });
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`pulumi ${args[0]} exited with code ${code}`))));
  });
}

/** What the emulator holds now, read directly from its store. */
function printObjects(store) {
  for (const app of store.apps(ACCOUNT)) {
    console.log(`app ${app.name}  ${app.id}`);
    for (const p of store.list(ACCOUNT, "presets", app.id)) console.log(`  preset  ${p.name}  ${p.id}`);
    for (const w of store.list(ACCOUNT, "webhooks", app.id)) console.log(`  webhook ${w.name}  ${w.id}  ${w.url}  [${w.events.join(", ")}]`);
    for (const m of store.list(ACCOUNT, "meetings", app.id)) console.log(`  meeting ${m.title}  ${m.id}  ${m.status ?? ""}`);
  }
}

async function main() {
  const { startEmulator } = require(path.join(root, "dist/emulator")); // built by `npm run build`
  const emulator = await startEmulator({ port: 0, token: TOKEN });
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "realtimekit-demo-"));
  const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    CLOUDFLARE_BASE_URL: emulator.url,
    CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    CLOUDFLARE_API_TOKEN: TOKEN,
  };
  console.log(`RealtimeKit emulator at ${emulator.url}; Pulumi state in ${backend}`);
  let stackCreated = false;
  try {
    await pulumi(["stack", "init", "demo", "--non-interactive"], env);
    stackCreated = true;
    await pulumi(["up", "--yes", "--skip-preview", "--stack", "demo"], env);
    // Nothing changed behind Pulumi's back, so this must report no changes (it fails otherwise).
    await pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", "demo"], env);
    console.log(await pulumi(["stack", "output", "--json", "--stack", "demo"], env, true));
    console.log("Objects in the emulator:");
    printObjects(emulator.store);
  } finally {
    if (stackCreated) await pulumi(["stack", "rm", "demo", "--yes", "--force"], env).catch((e) => console.error(e.message));
    await emulator.close();
    fs.rmSync(backend, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`demo failed: ${e.message}`);
  process.exit(1);
});
