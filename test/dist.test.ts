// The self-contained plugin `npm run dist` builds (scripts/dist.js): the
// archives Pulumi's engine downloads, named and laid out as it expects
// (pkg/workspace/plugins.go in pulumi/pulumi: standardAssetName, and the
// executable `pulumi-resource-<name>` at the root of the extracted folder). The
// linux-amd64 one runs here with no Node.js on PATH, driven as the engine
// drives a plugin; linux-arm64 runs under qemu-user where the machine has it;
// the others are checked by their file format.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { urn } from "./harness";
import { nodeRequire, root, startPluginStack, type PluginStack } from "./support/stack";

const dist = nodeRequire(path.join(root, "scripts/dist.js")) as {
  NODE_VERSION: string;
  TARGETS: Record<string, { npm: string; integrity: string }>;
  SEA_FUSE: string;
  archiveName(version: string, target: string): string;
  executableName(target: string): string;
};
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const schemaText = fs.readFileSync(path.join(root, "schema.json"), "utf8");
const outDir = path.join(root, "dist-plugin");
const targets = Object.keys(dist.TARGETS);
const archiveOf = (target: string) => path.join(outDir, dist.archiveName(version, target));

/** The newest change to what goes into an executable. */
function newestSource(): number {
  const files = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  return Math.max(...[...files("plugin"), ...files("provider"), "scripts/dist.js", "package.json", "package-lock.json", "schema.json"].map((f) => fs.statSync(path.join(root, f)).mtimeMs));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-dist-"));
/** The archive of `target` extracted into a new folder. */
async function extract(target: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(tmp, `${target}-`));
  await tar.x({ file: archiveOf(target), cwd: dir });
  return dir;
}
const extractions = new Map<string, Promise<string>>();
/**
 * `extract`, once per target in a run of this file (about 120 MB extracted): the
 * tests only read the folder, but for the arm64 one under qemu, the last to use its
 * folder, which adds a wrapper beside the executable.
 */
function extracted(target: string): Promise<string> {
  if (!extractions.has(target)) extractions.set(target, extract(target));
  return extractions.get(target)!;
}
/** A folder for PATH with nothing in it: no node, no npm. */
const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-no-node-"));

beforeAll(() => {
  // .ci/run builds them in a step of their own; here they are built when missing or older than their sources.
  const built = targets.map((t) => fs.statSync(archiveOf(t), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  if (Math.min(...built) > newestSource()) return;
  const run = spawnSync(process.execPath, [path.join(root, "scripts/dist.js")], { cwd: root, encoding: "utf8" });
  expect(run.stderr + run.stdout).toMatch(/5 archive\(s\)/);
  expect(run.status).toBe(0);
}, 15 * 60_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the archives", () => {
  it("one per target, named pulumi-resource-realtimekit-v<version>-<os>-<arch>.tar.gz, the executable (with .exe on Windows) at the root beside LICENSE and THIRD-PARTY-NOTICES", async () => {
    expect(targets).toEqual(["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"]);
    const names = fs.readdirSync(outDir).filter((f) => f.endsWith(".tar.gz"));
    expect(names.sort()).toEqual(targets.map((t) => `pulumi-resource-realtimekit-v${version}-${t}.tar.gz`).sort());
    for (const target of targets) {
      const entries: { path: string; mode: number; type: string }[] = [];
      await tar.t({ file: archiveOf(target), onReadEntry: (e) => entries.push({ path: e.path, mode: e.mode ?? 0, type: e.type }) });
      const exe = target.startsWith("windows-") ? "pulumi-resource-realtimekit.exe" : "pulumi-resource-realtimekit";
      expect(entries.map((e) => e.path), target).toEqual([exe, "LICENSE", "THIRD-PARTY-NOTICES"]);
      expect(entries.every((e) => e.type === "File"), target).toBe(true);
      expect(entries[0].mode & 0o777, target).toBe(0o755);
    }
  });

  it("THIRD-PARTY-NOTICES holds Node.js's licence and that of every package bundled, e.g. @grpc/grpc-js and zod", async () => {
    const notices = fs.readFileSync(path.join(await extracted("linux-amd64"), "THIRD-PARTY-NOTICES"), "utf8").split(/\n-{78}\n\n/);
    expect(notices[0]).toMatch(new RegExp(`^Node\\.js ${dist.NODE_VERSION.replace(/\./g, "\\.")} .*\\n\\nNode\\.js is licensed for use as follows:`));
    const names = notices.slice(1).map((n) => n.split(" ")[0]);
    expect(names).toEqual(expect.arrayContaining(["@grpc/grpc-js", "google-protobuf", "ofetch", "zod", "@pulumi/pulumi"]));
    // The bundle leaves out @pulumi/pulumi's index (and TypeScript, which only it loads).
    expect(names).not.toContain("typescript");
    for (const n of notices.slice(1)) expect(n, n.split("\n")[0]).not.toContain("(no licence file in the package)");
  });
});

describe("the linux-amd64 executable, alone in a folder, with no Node.js on PATH", () => {
  let dir: string;
  let stack: PluginStack;
  beforeAll(async () => {
    dir = await extracted("linux-amd64");
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("prints its port on the first line of stdout, started as the engine starts it", async () => {
    expect(fs.readdirSync(emptyPath)).toEqual([]);
    const exe = path.join(dir, "pulumi-resource-realtimekit");
    const env = { PATH: emptyPath, HOME: tmp };
    const t0 = performance.now();
    const child = spawn(exe, ["--logtostderr", "-v=9", "127.0.0.1:1"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    const first = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        out += d;
        if (out.includes("\n")) resolve(out);
      });
      child.on("exit", (code) => reject(new Error(`exited with ${code}`)));
    });
    const ms = performance.now() - t0;
    child.kill();
    expect(first).toMatch(/^\d{2,5}\n$/);
    expect(ms).toBeLessThan(10_000);
  });

  it("answers GetPluginInfo (the package's version), GetSchema (schema.json) and a Check and Create of an app and a preset against the emulator", async () => {
    stack = await startPluginStack({
      plugin: { executable: path.join(dir, "pulumi-resource-realtimekit"), pwd: dir, env: { PATH: emptyPath, NODE_OPTIONS: "", NODE_PATH: "" } },
    });
    expect(await stack.plugin.getPluginInfo()).toEqual({ version });
    expect(await stack.plugin.getSchema()).toEqual(JSON.parse(schemaText));
    const appUrn = urn("realtimekit:index:App", "dist-app");
    const app = await stack.plugin.check(appUrn, {}, { name: "from the executable" });
    expect(app.failures).toEqual([]);
    const madeApp = await stack.plugin.create(appUrn, app.inputs);
    const presetUrn = urn("realtimekit:index:Preset", "dist-preset");
    const preset = await stack.plugin.check(presetUrn, {}, { appId: madeApp.id, name: "host", role: "groupCallHost" });
    expect(preset.failures).toEqual([]);
    const madePreset = await stack.plugin.create(presetUrn, preset.inputs);
    expect(stack.em.store.apps(stack.account).map((a) => [a.id, a.name])).toEqual([[madeApp.id, "from the executable"]]);
    expect(madePreset.outs).toMatchObject({ appId: madeApp.id, name: "host" });
  });
});

/** What an executable is: its format and the machine it is for (ELF, Mach-O and PE headers), and its Mach-O segments and load commands. */
function executableFormat(b: Buffer): { format: string; machine: string; segments?: string[]; signed?: boolean } {
  if (b.readUInt32BE(0) === 0x7f454c46) {
    // ELF: 64-bit (class 2), little-endian (1); e_machine at 18.
    expect([b[4], b[5]]).toEqual([2, 1]);
    return { format: "ELF", machine: ({ 0x3e: "x86-64", 0xb7: "aarch64" } as Record<number, string>)[b.readUInt16LE(18)] ?? "other" };
  }
  if (b.readUInt32LE(0) === 0xfeedfacf) {
    // Mach-O 64-bit: cputype at 4, ncmds at 16, load commands from 32.
    const machine = ({ 0x01000007: "x86_64", 0x0100000c: "arm64" } as Record<number, string>)[b.readUInt32LE(4)] ?? "other";
    const segments: string[] = [];
    let signed = false;
    for (let i = 0, at = 32; i < b.readUInt32LE(16); i++, at += b.readUInt32LE(at + 4)) {
      const cmd = b.readUInt32LE(at);
      if (cmd === 0x19) segments.push(b.toString("latin1", at + 8, at + 24).replace(/\0+$/, "")); // LC_SEGMENT_64
      if (cmd === 0x1d) signed = true; // LC_CODE_SIGNATURE
    }
    return { format: "Mach-O", machine, segments, signed };
  }
  if (b.toString("latin1", 0, 2) === "MZ") {
    const pe = b.readUInt32LE(0x3c);
    expect(b.toString("latin1", pe, pe + 4)).toBe("PE\0\0");
    return { format: "PE", machine: ({ 0x8664: "AMD64", 0xaa64: "ARM64" } as Record<number, string>)[b.readUInt16LE(pe + 4)] ?? "other" };
  }
  return { format: "unknown", machine: "unknown" };
}

describe("every executable", () => {
  const expected: Record<string, ReturnType<typeof executableFormat>> = {
    "linux-amd64": { format: "ELF", machine: "x86-64" },
    "linux-arm64": { format: "ELF", machine: "aarch64" },
    // The Apple signature removed before injection (it would no longer match); NODE_SEA is postject's segment.
    "darwin-amd64": { format: "Mach-O", machine: "x86_64", segments: expect.arrayContaining(["__TEXT", "__LINKEDIT", "NODE_SEA"]), signed: false },
    "darwin-arm64": { format: "Mach-O", machine: "arm64", segments: expect.arrayContaining(["__TEXT", "__LINKEDIT", "NODE_SEA"]), signed: false },
    "windows-amd64": { format: "PE", machine: "AMD64" },
  };
  for (const target of Object.keys(expected)) {
    it(`${target}: ${expected[target].format} for ${expected[target].machine}, Node.js with the plugin injected (the fuse blown, the bundle and the package's files inside)`, async () => {
      const dir = await extracted(target);
      const b = fs.readFileSync(path.join(dir, dist.executableName(target)));
      expect(executableFormat(b)).toEqual(expected[target]);
      // postject flips the fuse from :0 to :1: Node.js then runs the blob instead of its command line.
      expect(b.includes(`${dist.SEA_FUSE}:1`)).toBe(true);
      expect(b.includes(`${dist.SEA_FUSE}:0`)).toBe(false);
      expect(b.includes("pulumi-resource-realtimekit: cannot start:")).toBe(true);
      expect(b.includes(schemaText)).toBe(true);
      expect(b.includes(fs.readFileSync(path.join(root, "package.json")))).toBe(true);
    });
  }
});

// qemu-user and the arm64 C and C++ runtimes, from Debian: apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross.
const SYSROOT = "/usr/aarch64-linux-gnu";
const qemu = ["/usr/bin/qemu-aarch64", "/usr/bin/qemu-aarch64-static"].find((q) => fs.existsSync(q) && fs.existsSync(path.join(SYSROOT, "lib/ld-linux-aarch64.so.1")));

describe.skipIf(process.platform !== "linux" || !qemu)("the linux-arm64 executable, under qemu-user, with no Node.js on PATH", () => {
  let stack: PluginStack;
  afterAll(async () => {
    await stack?.close();
  });

  it("prints its port and answers GetPluginInfo, GetSchema and a Create against the emulator", async () => {
    const dir = await extracted("linux-arm64");
    // How the engine would start it on an arm64 machine, through qemu here.
    const wrapper = path.join(dir, "run-under-qemu");
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${qemu} -L ${SYSROOT} ${path.join(dir, "pulumi-resource-realtimekit")} "$@"\n`, { mode: 0o755 });
    stack = await startPluginStack({ plugin: { executable: wrapper, pwd: dir, env: { PATH: emptyPath, NODE_OPTIONS: "" } } });
    expect(await stack.plugin.getPluginInfo()).toEqual({ version });
    expect(await stack.plugin.getSchema()).toEqual(JSON.parse(schemaText));
    const u = urn("realtimekit:index:App", "arm-app");
    const made = await stack.plugin.create(u, (await stack.plugin.check(u, {}, { name: "from arm64" })).inputs);
    expect(stack.em.store.apps(stack.account).map((a) => [a.id, a.name])).toEqual([[made.id, "from arm64"]]);
  }, 120_000);
});
