// The demo's steps without the Pulumi CLI: the same programs through Pulumi's own
// dynamic-provider host, driven by the offline engine (dist/engine) the way the
// CLI drives it. Stack states are JSON files in .demo/stacks/.
"use strict";
const fs = require("node:fs");
const { createRequire, Module } = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

/** `pulumi-nodejs:dynamic/realtimekit:Preset` → `realtimekit:Preset`, as the CLI shows a type. */
const typeOf = (urn) => urn.split("::")[2].split("$").pop().replace(/^pulumi-nodejs:dynamic\//, "");
const SIGN = { create: "+", update: "~", replace: "+-", delete: "-", same: " ", read: ">" };

const PLAN = { create: "to create", update: "to update", replace: "to replace", delete: "to delete", same: "unchanged", read: "to read" };
const DONE = { create: "created", update: "updated", replace: "replaced", delete: "deleted", same: "unchanged", read: "read" };

/** A plan or a result, one line per resource (with the fields that change), like the CLI's. */
function printSteps(log, steps, words = PLAN) {
  const type = Math.max(...steps.map((s) => typeOf(s.urn).length));
  const name = Math.max(...steps.map((s) => s.name.length));
  for (const s of steps) {
    const fields = s.changes?.length ? `  ${s.changes.join(", ")}` : "";
    const id = s.id && words !== PLAN ? `  ${s.id}` : "";
    log(`  ${SIGN[s.op].padEnd(2)} ${typeOf(s.urn).padEnd(type)}  ${s.name.padEnd(name)}  ${words[s.op] ?? s.op}${fields}${id}`);
  }
  const counts = {};
  for (const s of steps) counts[s.op] = (counts[s.op] ?? 0) + 1;
  log(`  Resources: ${Object.entries(counts).map(([op, n]) => `${n} ${words[op] ?? op}`).join(", ")}`);
}

/** A TypeScript program (the export's index.ts) as a function, compiled with the repository's TypeScript, loaded with Node's require. */
function tsProgram(root, file) {
  const ts = createRequire(path.join(root, "package.json"))("typescript");
  const js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const wrapped = vm.runInThisContext(Module.wrap(js), { filename: file });
  return () => {
    const module = { exports: {} };
    wrapped(module.exports, createRequire(file), module, file, path.dirname(file));
    return module.exports;
  };
}

async function offlineEngine({ root, demoDir, config, log }) {
  const { startHost, runProgram, refresh } = require(path.join(root, "dist", "engine"));
  const stacksDir = path.join(demoDir, "stacks");
  fs.mkdirSync(stacksDir);
  const host = await startHost({ cwd: root, config });
  const quickstart = () => require(path.join(root, "dist", "examples", "quickstart", "program")).quickstart();
  const stacks = { quickstart: { project: "realtimekit-quickstart", program: quickstart, state: {} } };
  const run = (name, opts = {}) => {
    const { project, program, state } = stacks[name];
    return runProgram(program, { host, project, stack: "demo", config, state, ...opts });
  };
  const save = (name, state) => {
    stacks[name].state = state;
    fs.writeFileSync(path.join(stacksDir, `${name}.json`), `${JSON.stringify(state, null, 2)}\n`);
  };

  return {
    async deploy() {
      log("$ pulumi preview");
      printSteps(log, (await run("quickstart", { preview: true })).steps);
      log("$ pulumi up");
      const up = await run("quickstart");
      printSteps(log, up.steps, DONE);
      save("quickstart", up.state);
      log(`  Outputs: ${JSON.stringify(up.outputs)}`);
      return up.steps;
    },

    /** `pulumi preview --refresh --expect-no-changes`: the fields that drifted. */
    async detectDrift() {
      log("$ pulumi preview --refresh --expect-no-changes");
      const refreshed = structuredClone(stacks.quickstart.state);
      const drift = (await refresh(refreshed, host)).filter((r) => r.changed);
      for (const r of drift) log(`  ~ ${typeOf(r.urn)} ${r.name}: changed outside the program: ${r.changes.join(", ")}`);
      const plan = await run("quickstart", { state: refreshed, preview: true });
      printSteps(log, plan.steps.filter((s) => s.op !== "same"));
      log(`  error: no changes were expected, but ${plan.steps.filter((s) => s.op !== "same").length} resource(s) would change`);
      return drift.flatMap((r) => r.changes);
    },

    /** `pulumi up --refresh`: the program's values back. */
    async revert() {
      log("$ pulumi up --refresh");
      const state = structuredClone(stacks.quickstart.state);
      await refresh(state, host);
      const up = await run("quickstart", { state });
      printSteps(log, up.steps.filter((s) => s.op !== "same"), DONE);
      save("quickstart", up.state);
      return up.steps;
    },

    /** A new stack of the exported program: `pulumi up` adopts every object, then `pulumi preview` shows no changes. */
    async adoptExport(dir) {
      stacks.gitops = { project: "realtimekit-apps", program: tsProgram(root, path.join(dir, "index.ts")), state: {} };
      log(`$ pulumi up   (in ${path.relative(process.cwd(), dir)}, a new stack)`);
      const up = await run("gitops");
      printSteps(log, up.steps, { ...DONE, create: "adopted" });
      save("gitops", up.state);
      log(`$ pulumi preview --expect-no-changes   (in ${path.relative(process.cwd(), dir)})`);
      const plan = await run("gitops", { preview: true });
      const changes = plan.steps.filter((s) => s.op !== "same");
      log(changes.length ? `  error: ${changes.length} resource(s) would change` : `  no changes (${plan.steps.length} resources unchanged)`);
      return { adopted: up.steps, changes };
    },

    close: () => host.stop(),
  };
}

module.exports = { offlineEngine };
