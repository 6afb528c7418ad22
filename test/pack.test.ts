// The package as users get it: `npm pack`, installed from the tarball into a
// fresh project, and a whole lifecycle run from there through the
// dynamic-provider host started in that project (and a program with X.get, a
// lookup and two accounts). This is where closure serialization breaks if it
// breaks (the stub must load the installed package).
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import * as readline from "node:readline";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refresh, runProgram } from "./harness";
import { meetingArgs, presetArgs, webhookArgs } from "./fixtures/args";
import { root, startStack, type Stack } from "./support/stack";

const SERIALIZE = `
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.cwd()] }));
pulumi.runtime.setMocks({ newResource: (a) => { process.stdout.write(a.inputs.__provider); return { id: "x", state: {} }; }, call: () => ({}) });
const rtk = require(require.resolve("pulumi-realtimekit", { paths: [process.cwd()] }));
new rtk.Preset("p", { appId: "a", name: "n", config: {}, ui: {} });
`;

const project = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-pack-"));
let stack: Stack;
let tarball: string;

beforeAll(async () => {
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], { cwd: root, encoding: "utf8" });
  tarball = path.join(project, JSON.parse(out)[0].filename);
  installLocked(project, tarball);
  stack = await startStack({ cwd: project });
}, 300_000);

/**
 * Installs the tarball into `dir` with `npm ci` and a lockfile made of this
 * repository's: its dependencies get the versions tested here, not whatever the
 * registry has newest today (a release elsewhere must not change this test).
 */
function installLocked(dir: string, file: string): void {
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const spec = `file:${path.basename(file)}`;
  const integrity = `sha512-${createHash("sha512").update(fs.readFileSync(file)).digest("base64")}`;
  // What the package needs at run time: the lock's installed entries that are not only for development (not this
  // package's own link, nor the repository's workspace pulumi-plugin/).
  const runtime = Object.entries(lock.packages as Record<string, { dev?: boolean; link?: boolean }>).filter(([p, m]) => p.startsWith("node_modules/") && !m.dev && !m.link);
  const { name, version, license, dependencies, bin, engines } = pkg;
  const packages = {
    "": { name: "user-project", dependencies: { [name]: spec } },
    [`node_modules/${name}`]: { version, resolved: spec, integrity, license, dependencies, bin, engines },
    ...Object.fromEntries(runtime),
  };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true, dependencies: { [name]: spec } }));
  fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ name: "user-project", lockfileVersion: 3, requires: true, packages }));
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "pipe" });
}

afterAll(async () => {
  await stack?.close();
  fs.rmSync(project, { recursive: true, force: true });
});

describe("installed from the npm tarball", () => {
  it("ships the compiled code, the bin and no tests", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    expect(files).toContain("package/dist/sdk/index.js");
    expect(files).toContain("package/dist/provider/index.js");
    expect(files).toContain("package/dist/emulator/cli.js");
    expect(files).toContain("package/dist/export/cli.js");
    expect(files).toContain("package/dist/plugin/cli.js");
    expect(files).toContain("package/schema.json"); // the Pulumi package schema
    expect(files.some((f) => f.startsWith("package/test/"))).toBe(false);
    expect(files.some((f) => f.startsWith("package/dist/engine/"))).toBe(false); // the offline engine stays in the repository
    expect(files.some((f) => f.startsWith("package/pulumi-plugin/"))).toBe(false); // so does the plugin-from-source folder
    const installed = path.join(project, "node_modules/pulumi-realtimekit");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
  });

  it("installs with the dependency versions this repository locks, not the registry's newest", () => {
    const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    for (const dep of Object.keys(pkg.dependencies)) {
      const installed = JSON.parse(fs.readFileSync(path.join(project, "node_modules", dep, "package.json"), "utf8")).version;
      expect(installed, dep).toBe(lock.packages[`node_modules/${dep}`].version);
    }
  });

  it("is a complete package: license, repository, keywords, no source maps without sources, README links that resolve", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    const installed = path.join(project, "node_modules/pulumi-realtimekit");
    expect(fs.readFileSync(path.join(installed, "LICENSE"), "utf8")).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
    expect(pkg.license).toBe("Apache-2.0");
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(pkg.keywords).toEqual(expect.arrayContaining(["pulumi", "cloudflare", "realtimekit"]));
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => /^package\/dist\/.*\.js$/.test(f)).length).toBeGreaterThan(40);
    for (const f of files.filter((f) => f.endsWith(".js"))) {
      expect(fs.readFileSync(path.join(project, "node_modules/pulumi-realtimekit", f.slice("package/".length)), "utf8")).not.toContain("sourceMappingURL");
    }
    // Every relative link of the README and of the docs names a file or folder of the installed package.
    const docs = ["README.md", ...fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
    const linksOf = (file: string) =>
      [...fs.readFileSync(path.join(installed, file), "utf8").matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    expect(linksOf("README.md")).toEqual(expect.arrayContaining(["docs/reference.md", "docs/emulator.md", "docs/installation-configuration.md", "examples/quickstart", "examples/gitops"]));
    for (const file of docs) {
      for (const link of linksOf(file)) expect(fs.existsSync(path.join(installed, path.dirname(file), link)), `${file}: ${link}`).toBe(true);
    }
  });

  it("runs the full lifecycle from the user's project", async () => {
    // The user's program, loaded from the user's project, as `pulumi up` would.
    const userRequire = createRequire(path.join(project, "index.js"));
    const program = (withObjects: boolean) => () => {
      const rtk = userRequire("pulumi-realtimekit");
      const app = new rtk.App("app", { name: "packed" });
      if (!withObjects) return;
      new rtk.Preset("host", { appId: app.id, ...presetArgs() });
      new rtk.Webhook("events", { appId: app.id, ...webhookArgs() });
      new rtk.Meeting("standup", { appId: app.id, ...meetingArgs() });
    };
    const first = await runProgram(program(true), { host: stack.host, cwd: project });
    expect(first.steps.map((s) => s.op)).toEqual(["create", "create", "create", "create"]);
    for (const r of Object.values(first.state)) {
      expect(r.inputs.__provider).toContain('require("pulumi-realtimekit/provider")');
    }

    stack.em.requests.reset();
    const second = await runProgram(program(true), { host: stack.host, state: first.state, cwd: project });
    expect(second.steps.every((s) => s.op === "same")).toBe(true);
    expect(stack.em.requests.total()).toBe(0);

    expect((await refresh(second.state, stack.host)).every((r) => !r.changed && !r.dropped)).toBe(true);

    const last = await runProgram(program(false), { host: stack.host, state: second.state, cwd: project });
    expect(last.steps.filter((s) => s.op === "delete").map((s) => s.name).sort()).toEqual(["events", "host", "standup"]);
    const appId = Object.values(last.state)[0].id;
    expect(stack.em.store.list(stack.account, "presets", appId)).toEqual([]);
    expect(stack.em.store.list(stack.account, "webhooks", appId)).toEqual([]);
    expect(stack.em.store.list(stack.account, "meetings", appId).map((m) => m.status)).toEqual(["INACTIVE"]);
  });

  it("a user's program with Preset.get, getPreset and two accounts, through the host against two emulator accounts", async () => {
    const userRequire = createRequire(path.join(project, "index.js"));
    const second = `${stack.account}-second`; // the same token may use both
    const config = { "realtimekit:accountId": stack.account, "realtimekit:apiToken": stack.token, "realtimekit:baseUrl": stack.em.url };
    // Another team's app and preset, in the second account.
    const theirs = await runProgram(
      () => {
        const rtk = userRequire("pulumi-realtimekit");
        const app = new rtk.App("their-app", { name: "platform", accountId: second });
        new rtk.Preset("their-host", { appId: app.id, accountId: second, ...presetArgs("host") });
      },
      { host: stack.host, cwd: project, config },
    );
    const theirApp = Object.values(theirs.state).find((r) => r.name === "their-app")!.id;
    const theirPreset = Object.values(theirs.state).find((r) => r.name === "their-host")!.id;

    // The user's program: its own app (the stack's account) with a preset like theirs, found by name and read by id,
    // and a webhook of its own in their app (their account).
    const program = async () => {
      const rtk = userRequire("pulumi-realtimekit");
      const found = await rtk.getPreset({ appId: theirApp, name: "host", accountId: second });
      const read = rtk.Preset.get("their-host-read", found.id, { appId: theirApp, accountId: second });
      const mine = new rtk.App("mine", { name: "mine" });
      const copy = new rtk.Preset("my-host", { appId: mine.id, name: "host", config: read.config, ui: read.ui, permissions: read.permissions });
      new rtk.Webhook("my-hook", { appId: theirApp, accountId: second, ...webhookArgs("mine") });
      return { found: found.id, foundAccount: found.accountId, readName: read.name, copy: copy.id, copyAccount: copy.accountId };
    };
    const first = await runProgram(program, { host: stack.host, cwd: project, config });
    expect(first.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create mine", "create my-hook", "create my-host", "read their-host-read"]);
    expect(first.outputs).toMatchObject({ found: theirPreset, foundAccount: second, readName: "host", copyAccount: stack.account });
    const mine = Object.values(first.state).find((r) => r.name === "mine")!.id;
    // Each object in its account: the copy in the stack's, the webhook in theirs.
    const copied = stack.em.store.get(stack.account, "presets", mine, String(first.outputs.copy))!;
    const original = stack.em.store.get(second, "presets", theirApp, theirPreset)!;
    expect([copied.config, copied.permissions]).toEqual([original.config, original.permissions]);
    expect(stack.em.store.list(second, "webhooks", theirApp).map((w) => w.name)).toEqual(["mine"]);
    expect(stack.em.store.apps(second).map((a) => a.name)).toEqual(["platform"]);

    // Again: nothing changes; the read preset is read again, nothing is written.
    stack.em.requests.reset();
    const again = await runProgram(program, { host: stack.host, state: first.state, cwd: project, config });
    expect(again.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`)).toEqual(["read their-host-read"]);
    for (const method of ["POST", "PATCH", "PUT", "DELETE"]) expect(stack.em.requests.count(method, "")).toBe(0);

    // Gone from the program: the user's objects are deleted in their accounts, the read one stays.
    await runProgram(() => undefined, { host: stack.host, state: again.state, cwd: project, config });
    expect(stack.em.store.list(second, "webhooks", theirApp)).toEqual([]);
    expect(stack.em.store.list(stack.account, "presets", mine)).toEqual([]);
    expect(stack.em.store.get(second, "presets", theirApp, theirPreset)).toBeDefined();
  });

  it("the serialized provider is the same text whatever the package's build or location", () => {
    // Prints the __provider a Preset serializes to, from a given project.
    const stubFrom = (cwd: string) =>
      execFileSync(process.execPath, ["-e", SERIALIZE], { cwd, encoding: "utf8" });
    const installed = stubFrom(project);
    expect(installed.length).toBeGreaterThan(100);
    expect(stubFrom(root)).toBe(installed);
  });

  it("the emulator bin starts from the installed package and prints its URL first", async () => {
    const bin = path.join(project, "node_modules/.bin/realtimekit-emulator");
    const child = spawn(bin, ["--port", "0", "--token", "t"], { stdio: ["ignore", "pipe", "inherit"] });
    const [line] = (await once(readline.createInterface({ input: child.stdout! }), "line")) as [string];
    try {
      expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
      const res = await fetch(`${line}/accounts/a/realtime/kit/apps`, { headers: { Authorization: "Bearer t" } });
      expect(res.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("the plugin bin starts as the engine finds it on PATH (pulumi-resource-realtimekit), prints its port, and answers GetPluginInfo and GetSchema", async () => {
    const bin = path.join(project, "node_modules/.bin/pulumi-resource-realtimekit");
    // The engine passes its own address; nothing here is sent to it.
    const child = spawn(bin, ["127.0.0.1:1"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    try {
      const [line] = (await once(readline.createInterface({ input: child.stdout! }), "line")) as [string];
      expect(line, stderr).toMatch(/^\d+$/);
      // The installed @pulumi/pulumi's own stubs, as a client of the plugin.
      const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json", { paths: [project] }));
      const grpc = fromPulumi("@grpc/grpc-js");
      const { ResourceProviderClient } = fromPulumi("./proto/provider_grpc_pb.js");
      const { GetSchemaRequest } = fromPulumi("./proto/provider_pb.js");
      const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb.js");
      const client = new ResourceProviderClient(`127.0.0.1:${line}`, grpc.credentials.createInsecure());
      const call = (method: string, req: unknown) =>
        new Promise<any>((resolve, reject) => client[method](req, { deadline: Date.now() + 30_000 }, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r))));
      const installed = path.join(project, "node_modules/pulumi-realtimekit");
      expect((await call("getPluginInfo", new Empty())).getVersion()).toBe(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).version);
      expect(JSON.parse((await call("getSchema", new GetSchemaRequest())).getSchema())).toEqual(JSON.parse(fs.readFileSync(path.join(installed, "schema.json"), "utf8")));
      client.close();
    } finally {
      child.kill("SIGTERM");
    }
  });
});
