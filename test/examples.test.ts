// The examples load the way `pulumi up` loads them: Pulumi's nodejs runtime
// (@pulumi/pulumi/cmd/run/run.js, PULUMI_NODEJS_TYPESCRIPT=true) registers
// ts-node (its vendored 7.0.1 with this project's TypeScript) with "module":
// "nodenext" defaults under the program folder's tsconfig.json, in that folder,
// then requires index.ts. Here the same set-up runs in a child process, under
// Pulumi's mocks, and prints the stack outputs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(__dirname, "..");

const LOADER = `
const fs = require("fs");
const pulumiDir = require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }).replace(/package\\.json$/, "");
const runRequire = require("module").createRequire(pulumiDir + "cmd/run/run.js");
const tsutils = runRequire("../../tsutils");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
runRequire(tsnodeRequire).register({
  compiler: typescriptRequire,
  project: "tsconfig.json",
  skipProject: !fs.existsSync("tsconfig.json"),
  compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...tsutils.loadTypeScriptCompilerOptions("tsconfig.json") },
});
const pulumi = runRequire("../../index.js");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: () => ({}) }, "p", "s", false);
pulumi.output(require(require("path").resolve(process.argv[1]))).apply((o) => console.log(JSON.stringify(o)));
`;

/** Runs `main` the way Pulumi does for a project in `dir`. */
function run(dir: string, main: string): unknown {
  const run = spawnSync(process.execPath, ["-e", LOADER, main], { cwd: dir, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

const load = (example: string) => run(join(ROOT, "examples", example), "index.ts");

it("quickstart", () => {
  expect(load("quickstart")).toEqual({
    appId: "support-calls-id",
    presetIds: { host: "host-id", participant: "participant-id" },
    webhookId: "events-id",
    meetingId: "daily-standup-id",
  });
});

it("gitops", () => {
  expect(load("gitops")).toEqual({
    appId: "webinars-id",
    presetIds: { host: "host-id", participant: "participant-id", viewer: "viewer-id" },
    webhookIds: { events: "events-id" },
  });
});

it("the root Pulumi.yaml runs the quickstart", () => {
  const main = /^main: (.+)$/m.exec(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"))![1];
  expect(run(ROOT, main)).toEqual(load("quickstart"));
});
