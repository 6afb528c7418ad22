#!/usr/bin/env node
// `npm run test:live`: the acceptance suite (test/live) against the RealtimeKit
// account in CLOUDFLARE_ACCOUNT_ID / CLOUDFLARE_API_TOKEN (and CLOUDFLARE_BASE_URL
// when set). Without them it says what it needs and succeeds, so CI without a
// Cloudflare account stays green. `--no-build` skips the build (for callers that
// have built already, like the test that runs this script inside `npm test`).
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.join(__dirname, "..");
const missing = ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN"].filter((k) => !process.env[k]);
if (missing.length) {
  console.log(
    `test:live skipped: it needs ${missing.join(" and ")} (a Cloudflare account with RealtimeKit, and an API token with the Realtime permission; CLOUDFLARE_BASE_URL for another endpoint)`,
  );
  process.exit(0);
}

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!process.argv.includes("--no-build")) run([require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"]);
run([path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs"), "run", "--config", "test/live/vitest.config.mts"]);
