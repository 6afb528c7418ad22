// The plugin from a clone of the repository, as `pulumi package add <clone>/pulumi-plugin` (or
// the repository's Git address with /pulumi-plugin) gets it, with the Pulumi CLI's own steps
// done here as the Node.js language host does them (sdk/nodejs/cmd/pulumi-language-nodejs):
// InstallDependencies finds the npm workspace the folder belongs to (npm.FindWorkspaceRoot,
// mimicked below) and runs `npm install --loglevel=error` there; RunPlugin then runs
// @pulumi/pulumi's cmd/run-plugin, resolved from the folder, with the folder and the engine's
// address (engine/plugin.ts, from: "PulumiPlugin.yaml"). What is not done here: the CLI's own
// package resolution, cloning, and SDK generation.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import YAML from "yaml";
import { startPlugin, urn, type Plugin } from "./harness";
import { copyRepository, nodeRequire, root } from "./support/stack";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-source-"));
const clone = path.join(tmp, "repo");
const project = path.join(tmp, "project");
const folder = path.join(clone, "pulumi-plugin");

/**
 * The npm workspace root of `dir`, as npm.FindWorkspaceRoot finds it: the nearest directory above the
 * folder's package.json whose package.json lists it in `workspaces` (literal entries; ours has no globs).
 */
function workspaceRoot(dir: string): string | undefined {
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const manifest = path.join(d, "package.json");
    if (!fs.existsSync(manifest)) continue;
    const workspaces: string[] = JSON.parse(fs.readFileSync(manifest, "utf8")).workspaces ?? [];
    if (workspaces.some((w) => path.resolve(d, w) === dir)) return d;
  }
  return undefined;
}

let install: ReturnType<typeof spawnSync>;
let em: Awaited<ReturnType<typeof import("../emulator").startEmulator>>;
let plugin: Plugin | undefined;

beforeAll(async () => {
  // The repository as Git has it: no node_modules, no dist/.
  copyRepository(clone);
  fs.mkdirSync(project);
  // A project whose tsconfig.json run-plugin registers ts-node with: JavaScript compiled and type-checked.
  fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { allowJs: true, checkJs: true, strict: true } }));
  const at = workspaceRoot(folder);
  if (at) install = spawnSync("npm", ["install", "--loglevel=error", "--no-audit", "--no-fund"], { cwd: at, encoding: "utf8", timeout: 300_000 });
  const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../emulator");
  em = await startEmulator({ port: 0, token: "source-token" });
}, 320_000);

afterAll(async () => {
  await plugin?.stop();
  await em?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it("pulumi-plugin/ belongs to the npm workspace at the repository root, whose `npm install` builds the plugin", () => {
  expect(YAML.parse(fs.readFileSync(path.join(folder, "PulumiPlugin.yaml"), "utf8")).runtime.name).toBe("nodejs");
  expect(workspaceRoot(folder)).toBe(clone);
  expect(install.status, String(install.stderr)).toBe(0);
  expect(fs.existsSync(path.join(clone, "dist/plugin/cli.js"))).toBe(true);
  // The folder's `main` is what run-plugin requires: the entry that loads the plugin.
  const main = path.resolve(folder, JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8")).main);
  expect(main).toBe(path.join(folder, "main.js"));
  expect(fs.readFileSync(main, "utf8")).toContain('require("../dist/plugin/cli.js")');
}, 10_000);

it("run as the language host runs it, in the project's directory (allowJs, checkJs), with `pulumi --logflow`'s flag, it serves the package: version, schema, a resource made, warnings to the engine", async () => {
  plugin = await startPlugin({
    cwd: clone,
    from: "PulumiPlugin.yaml",
    pwd: project,
    engineFlags: ["--logtostderr"],
    config: { "realtimekit:accountId": "source-account", "realtimekit:apiToken": "source-token", "realtimekit:baseUrl": em.url },
    secretKeys: ["realtimekit:apiToken"],
  });
  expect(await plugin.getPluginInfo()).toEqual({ version: JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version });
  expect(await plugin.getSchema()).toEqual(JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8")));
  const u = urn("realtimekit:index:App", "from-source");
  const { inputs, failures } = await plugin.check(u, {}, { name: "from-source" });
  expect(failures).toEqual([]);
  const { id, outs } = await plugin.create(u, inputs);
  expect(em.store.app("source-account", id)?.name).toBe("from-source");
  await plugin.delete(id, u, outs, inputs); // apps cannot be deleted: a warning, through the engine's address
  await expect.poll(() => plugin!.logs.map((l) => l.message).join("\n"), { timeout: 5_000 }).toMatch(/RealtimeKit app \S+ was removed from the stack/);
}, 60_000);
