// The demo's steps with the Pulumi CLI: a local file backend in .demo/pulumi,
// the quickstart at the repository root (Pulumi.yaml), the export in its folder.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

function cliEngine({ root, demoDir, env: credentials, log }, bin) {
  const backend = path.join(demoDir, "pulumi");
  fs.mkdirSync(backend);
  const env = {
    ...process.env,
    ...credentials,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // The language hosts installed next to the CLI (pulumi-language-nodejs).
    PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH}`,
  };

  /**
   * `pulumi <args>` in `cwd`, its output shown and kept. Asynchronous on purpose:
   * the emulator answers from this process. Rejects on an exit code other than `ok`.
   */
  function pulumi(args, { cwd = root, ok = [0] } = {}) {
    log(`$ pulumi ${args.join(" ")}${cwd === root ? "" : `   (in ${path.relative(process.cwd(), cwd)})`}`);
    return new Promise((resolve, reject) => {
      // Plain text: the diff is read back for the changed fields.
      const child = spawn(bin, [...args, "--non-interactive", "--color", "never"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      const show = (d) => {
        out += d;
        process.stdout.write(d);
      };
      child.stdout.setEncoding("utf8").on("data", show);
      child.stderr.setEncoding("utf8").on("data", show);
      child.on("error", reject);
      child.on("exit", (code) => (ok.includes(code) ? resolve({ code, out }) : reject(new Error(`pulumi ${args[0]} exited with code ${code}`))));
    });
  }

  return {
    async deploy() {
      await pulumi(["stack", "init", "demo"]);
      await pulumi(["preview", "--diff", "--stack", "demo"]);
      await pulumi(["up", "--yes", "--skip-preview", "--stack", "demo"]);
    },

    /** `pulumi preview --refresh --expect-no-changes` fails on drift; the fields are in its diff. */
    async detectDrift() {
      const { code, out } = await pulumi(["preview", "--refresh", "--diff", "--expect-no-changes", "--stack", "demo"], { ok: [0, 255, 1] });
      if (code === 0) return [];
      // The diff lines: `~ events: [` or `- events[2]: ...`, by top-level field.
      return [...new Set([...out.matchAll(/^\s*[~+-]\s*(\w+)[\[:]/gm)].map((m) => m[1]))];
    },

    async revert() {
      await pulumi(["up", "--refresh", "--yes", "--skip-preview", "--diff", "--stack", "demo"]);
    },

    async adoptExport(dir) {
      await pulumi(["stack", "init", "demo"], { cwd: dir });
      await pulumi(["up", "--yes", "--skip-preview", "--stack", "demo"], { cwd: dir });
      const { code } = await pulumi(["preview", "--expect-no-changes", "--stack", "demo"], { cwd: dir, ok: [0, 255, 1] });
      return { changes: code === 0 ? [] : ["see the preview above"] };
    },

    close: async () => undefined,
  };
}

module.exports = { cliEngine };
