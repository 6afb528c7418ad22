// `npm run demo` without the Pulumi CLI: one clear line and exit code 1.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("says how to install the pulumi CLI when it is not on PATH", () => {
  const emptyPath = mkdtempSync(join(tmpdir(), "no-pulumi-")); // a PATH with nothing on it
  const run = spawnSync(process.execPath, [join(__dirname, "..", "scripts", "demo.js")], {
    env: { ...process.env, PATH: emptyPath },
    encoding: "utf8",
  });
  rmSync(emptyPath, { recursive: true });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toBe(
    "pulumi CLI not found: install it from https://www.pulumi.com/docs/install/ (the demo drives it against a local emulator; no Cloudflare account needed)\n",
  );
});
