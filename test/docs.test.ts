// The README, docs/*.md and the examples' READMEs as a reader uses them:
// - every relative link names a file of the repository (a link to this
//   repository on GitHub too), and every #anchor a heading there, by GitHub's rule;
// - every command in them (in ```sh blocks, and inline code that starts with a
//   command) is classified: run here, run by another test (named, and checked to
//   run it), or not runnable here with the reason. A new command fails this test
//   until it is classified.
// The commands run here run as a reader runs them in a terminal: with bash, one
// after the other in one session (what one assigns or exports, the next sees), in
// a folder of their own that has this repository's node_modules and dist/, no
// network for npm. Only what cannot be the same here is filled in: the emulator
// and the receiver get a free port (`--port 8787` is run as `--port 0`, and
// 127.0.0.1:8787 then names the port it printed; likewise the receiver's 4000;
// `node --inspect` gets a free port too), `[--state data.json]` is given, `...` and
// DIR are the session's values, `<package>` is the package as installed in node_modules. Where the
// docs run `pulumi stack init`, `pulumi config set`, `pulumi up` and `pulumi stack
// output`, the offline engine plays them: the root Pulumi.yaml's program with the
// config those lines set, through Pulumi's own dynamic-provider host.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadProto, runProgram, startHost, type EngineState } from "./harness";
import { parseMarkdown, type Command, type MarkdownFile } from "./support/markdown";
import { nodeRequire, root } from "./support/stack";

const REPOSITORY = "https://github.com/pulumi-realtimekit/pulumi-realtimekit/";
const FILES = [
  "README.md",
  ...fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
  ...fs.readdirSync(path.join(root, "examples")).filter((d) => fs.existsSync(path.join(root, "examples", d, "README.md"))).map((d) => `examples/${d}/README.md`),
];
const parsed = new Map<string, MarkdownFile>(FILES.map((f) => [f, parseMarkdown(fs.readFileSync(path.join(root, f), "utf8"))]));
const anchorsOf = (file: string) => parsed.get(file) ?? parseMarkdown(fs.readFileSync(path.join(root, file), "utf8"));

describe("links", () => {
  it("the files checked are the README, every doc and every example's README", () => {
    expect(FILES).toEqual(expect.arrayContaining(["README.md", "docs/_index.md", "docs/installation-configuration.md", "docs/emulator.md", "examples/quickstart/README.md"]));
  });

  it.each(FILES)("%s: every relative link names a file, every #anchor a heading there", (file) => {
    const problems: string[] = [];
    for (const { target, line } of parsed.get(file)!.links) {
      let local: string;
      let kind: "blob" | "tree" | undefined;
      if (target.startsWith(REPOSITORY)) {
        const m = /^(blob|tree)\/main\/(.*)$/.exec(target.slice(REPOSITORY.length));
        if (!m) {
          problems.push(`${file}:${line}: ${target} is not a blob/main or tree/main link of the repository`);
          continue;
        }
        kind = m[1] as "blob" | "tree";
        local = m[2];
      } else if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
      else local = target.startsWith("#") ? `${path.basename(file)}${target}` : target;
      const [rel, anchor] = local.split("#");
      const resolved = kind ? path.join(root, rel) : path.resolve(path.dirname(path.join(root, file)), rel);
      const name = path.relative(root, resolved);
      if (name.startsWith("..") || !fs.existsSync(resolved)) {
        problems.push(`${file}:${line}: ${target}: no ${name}`);
        continue;
      }
      if (kind && (kind === "tree") !== fs.statSync(resolved).isDirectory()) problems.push(`${file}:${line}: ${target}: ${kind}/ for a ${kind === "tree" ? "file" : "folder"}`);
      if (anchor !== undefined) {
        if (!name.endsWith(".md")) problems.push(`${file}:${line}: ${target}: an anchor in a file that is not Markdown`);
        else if (!anchorsOf(name).anchors.has(anchor)) problems.push(`${file}:${line}: ${target}: no heading #${anchor} in ${name} (${[...anchorsOf(name).anchors].join(", ")})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the check can fail: a heading's anchor is GitHub's, and a missing one is found", () => {
    const md = parseMarkdown("# Other Pulumi languages (Python, Go, .NET, Java, YAML)\n## Your backend's join flow, against the presets you deploy\n## `realtimekit-export` and [links](x.md)\n## Notes\n## Notes\n```sh\n# not a heading\n```\n");
    expect([...md.anchors]).toEqual([
      "other-pulumi-languages-python-go-net-java-yaml",
      "your-backends-join-flow-against-the-presets-you-deploy",
      "realtimekit-export-and-links",
      "notes",
      "notes-1",
    ]);
  });
});

// ---- what each command is ----

const PULUMI_CLI = "the Pulumi CLI, which cannot be installed here; the offline engine runs what it would (and plays pulumi stack init, config set, up and stack output in the emulator's flows below)";
const NOT_RUNNABLE: Record<string, string[]> = {
  [PULUMI_CLI]: [
    "pulumi up",
    "pulumi up --refresh",
    "pulumi preview",
    "pulumi preview --diff",
    "pulumi preview --refresh --expect-no-changes",
    "pulumi refresh",
    "pulumi destroy",
    "pulumi import",
    "pulumi import realtimekit:index:Preset host <app-id>/<preset-id>",
    "pulumi login --local",
    "pulumi stack init dev",
    "pulumi stack init local",
    "pulumi state delete <urn>",
    "pulumi config set --secret",
    "pulumi config set realtimekit:…",
    "pulumi config set realtimekit:accountId <account-id>",
    "pulumi config set realtimekit:accountId <cloudflare-account-id>",
    "pulumi config set --secret realtimekit:apiToken <api-token>",
    "pulumi config set realtimekit:rateLimit <requests per five minutes>",
    "pulumi config set webhookUrl <url>",
    "pulumi config set realtimekit:baseUrl http://127.0.0.1:8787/client/v4",
    "pulumi config set realtimekit:accountId dev-account",
    "pulumi config set --secret realtimekit:apiToken dev-token",
    "pulumi config set webhookUrl http://127.0.0.1:4000/realtimekit/events",
  ],
  "the Pulumi CLI and its SDK generators, which cannot be installed here (the schema they read is checked by test/package-schema.test.ts)": [
    "pulumi package add",
    'pulumi package add "$(npm root -g)/pulumi-realtimekit/schema.json"',
    "pulumi package add <clone>/pulumi-plugin",
    "pulumi package add github.com/pulumi-realtimekit/pulumi-realtimekit.git/pulumi-plugin",
    'pulumi package gen-sdk "$(npm root -g)/pulumi-realtimekit/schema.json" --language python --out sdk',
  ],
  "the Pulumi CLI's engine, which reads it (the PATH lookup it turns off is read from pulumi/pulumi's source, sdk/go/common/workspace/plugins.go)": ["PULUMI_IGNORE_AMBIENT_PLUGINS=true"],
  "the Pulumi CLI's engine, which attaches to the plugin on that port; test/plugin.test.ts sends the plugin the Handshake and Attach the engine sends it then, and the plugin started by hand runs below": [
    "PULUMI_DEBUG_PROVIDERS=realtimekit:<port>",
  ],
  "the Pulumi CLI and a release: the engine installs the plugin from an archive, downloaded through the schema's pluginDownloadURL or given with --file; test/dist.test.ts checks the archives' names and layout as the engine reads them and runs the linux-amd64 executable as the engine runs it, and test/release.test.ts checks pluginDownloadURL and the version": [
    "pulumi install",
    "pulumi plugin install",
    "pulumi plugin install resource realtimekit <version> --file <archive>",
  ],
  "macOS: codesign is Apple's tool, and this machine runs Linux; on macOS scripts/dist.js signs the darwin executables so (the release workflow builds them there and starts the arm64 one), and test/dist.test.ts checks the unsigned ones by their file format": [
    "codesign --sign - pulumi-resource-realtimekit",
  ],
  "a release: the package is not on the npm registry yet, and installing from it needs the network": [
    "npm install pulumi-realtimekit @pulumi/pulumi",
    "npm install pulumi-realtimekit",
    "npm install -g pulumi-realtimekit",
    "npm install",
  ],
  "a global install, which fetches the dependencies from the npm registry (the network) and writes outside the repository; test/pack.test.ts installs the same tarball into a project and runs its bins": [
    "npm install -g ./pulumi-realtimekit-0.1.0.tgz",
  ],
  "the network and the Pulumi CLI: npm installs the example's dependencies from the registry, then the stack is made and deployed": ["npm install && pulumi stack init prod && pulumi up"],
  "the network: it downloads the Pulumi CLI (the demo tries it only when get.pulumi.com answers; test/demo.test.ts runs the demo offline)": ["npx pulumi@3.265.0"],
  "the network: it installs the newest @pulumi/pulumi from the npm registry (CI runs scripts/pulumi-versions.sh with the pinned versions)": ["scripts/pulumi-versions.sh latest"],
  "a Cloudflare account: its id and a token with RealtimeKit (test/live-suite.test.ts runs the same suite against the emulator with stand-in credentials)": [
    "CLOUDFLARE_ACCOUNT_ID=<account-id> CLOUDFLARE_API_TOKEN=<token with Realtime / Realtime Admin> npm run test:live",
    "export CLOUDFLARE_ACCOUNT_ID=<cloudflare-account-id> CLOUDFLARE_API_TOKEN=<api-token>",
  ],
  "a shorthand, not a command line: the control commands of docs/emulator.md, which run below": ["realtimekit-emulator join …"],
};

/** Commands another test runs: the file, and what in it shows that it runs them. */
const ELSEWHERE: Record<string, { test: string; runs: RegExp; why: string }> = {
  "npm ci": { test: ".ci/run", runs: /^npm ci\b/m, why: "reinstalling node_modules under the running suite would break it; CI's first step" },
  "npm test": { test: ".ci/run", runs: /^npm test$/m, why: "this suite itself" },
  "npm ci && npm pack": { test: "test/pack.test.ts", runs: /"npm", \["pack"/, why: "npm pack of this repository, installed and used from a project (npm ci: CI's first step)" },
  "npm pack": { test: "test/pack.test.ts", runs: /"npm", \["pack"/, why: "npm pack of this repository, installed and used from a project" },
  "npm install /path/to/pulumi-realtimekit-0.1.0.tgz": { test: "test/pack.test.ts", runs: /function installLocked/, why: "the tarball installed into a fresh project (from this repository's lockfile, so no newer dependency slips in)" },
  "npm run demo": { test: "test/demo.test.ts", runs: /"run", "demo"/, why: "the demo in a fresh copy of the repository, offline" },
  "npm run demo -- --clean": { test: "test/demo.test.ts", runs: /demo\(\["--clean"\]/, why: "the demo's --clean" },
  "npm run bench": { test: "test/bench.test.ts", runs: /scripts", "bench\.js"/, why: "the benchmark script, with small figures (a full run takes minutes)" },
  "npm run dist": {
    test: ".ci/run",
    runs: /^npm run dist$/m,
    why: "about two minutes, a CI step of its own; test/dist.test.ts runs scripts/dist.js (what it runs) where the archives are missing or older than their sources, and checks them",
  },
  "npm run generate": {
    test: "test/generated.test.ts",
    runs: /render\(\)/,
    why: "it would rewrite committed files under the running suite; the test compares what it writes (scripts/generate.js render()) with them",
  },
};

/** Commands this file runs. */
const RUN_HERE = [
  "npx realtimekit-emulator --port 8787 --token dev-token [--state data.json]",
  "realtimekit-emulator --help",
  "npx realtimekit-emulator --token demo-token --state .demo/emulator.json",
  "npx realtimekit-emulator --port 8787 --token dev-token --state .rtk-emulator.json",
  "export CLOUDFLARE_BASE_URL=http://127.0.0.1:8787/client/v4 CLOUDFLARE_ACCOUNT_ID=dev-account CLOUDFLARE_API_TOKEN=dev-token",
  'node dist/examples/quickstart/join.js "$(pulumi stack output appId)" "$(pulumi stack output meetingId)" participant user-42 Ada',
  'node dist/examples/quickstart/join.js "$(pulumi stack output appId)" "$(pulumi stack output meetingId)" moderator user-43',
  "REALTIMEKIT_WEBHOOK_KEY_URL=http://127.0.0.1:8787/.well-known/webhooks.json node dist/examples/quickstart/receiver.js 4000 &",
  `TOKEN=$(node dist/examples/quickstart/join.js "$(pulumi stack output appId)" "$(pulumi stack output meetingId)" host user-44 Grace | node -pe 'JSON.parse(fs.readFileSync(0)).token')`,
  'npx realtimekit-emulator join "$TOKEN"',
  'npx realtimekit-emulator end "$(pulumi stack output meetingId)"',
  "npx realtimekit-emulator deliveries",
  "CLOUDFLARE_ACCOUNT_ID=... CLOUDFLARE_API_TOKEN=... npx realtimekit-export --out realtimekit --all",
  "npx realtimekit-export --out DIR --all",
  "npx realtimekit-export --help",
  "npm run test:live",
  "command -v pulumi-resource-realtimekit",
  "node dist/plugin/cli.js",
  "node --inspect <package>/dist/plugin/cli.js",
];

const notRunnable = new Map(Object.entries(NOT_RUNNABLE).flatMap(([why, commands]) => commands.map((c) => [c, why] as const)));
const documented = new Map<string, { file: string; command: Command }[]>();
for (const [file, md] of parsed) for (const command of md.commands) documented.set(command.text, [...(documented.get(command.text) ?? []), { file, command }]);
const ran = new Set<string>();

describe("every command of the docs is classified", () => {
  it("each is run here, run by another test, or not runnable here with its reason; each classified one is in the docs", () => {
    const classified = [...notRunnable.keys(), ...Object.keys(ELSEWHERE), ...RUN_HERE];
    expect(classified.filter((c, i) => classified.indexOf(c) !== i), "classified twice").toEqual([]);
    const unclassified = [...documented].filter(([c]) => !classified.includes(c)).map(([c, where]) => `${c}  (${where.map((w) => `${w.file}:${w.command.line}`).join(", ")})`);
    expect(unclassified, "commands of the docs that this test does not classify").toEqual([]);
    expect(classified.filter((c) => !documented.has(c)), "classified, but in no doc").toEqual([]);
  });

  it.each(Object.entries(ELSEWHERE))("%s: the test named runs it", (_, { test, runs }) => {
    expect(fs.readFileSync(path.join(root, test), "utf8")).toMatch(runs);
  });
});

// ---- running them ----

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-docs-"));
for (const link of ["node_modules", "dist"]) fs.symlinkSync(path.join(root, link), path.join(sandbox, link));
const children: ChildProcess[] = [];
const hosts: { stop(): Promise<void> }[] = [];
/** Signals a command's whole process group (bash, npx, node). */
const signal = (child: ChildProcess, name: NodeJS.Signals) => {
  try {
    process.kill(-child.pid!, name);
  } catch {
    // Already gone.
  }
};
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) signal(c, "SIGKILL");
  await Promise.all(hosts.map((h) => h.stop()));
  fs.rmSync(sandbox, { recursive: true, force: true });
});

/** A terminal: its environment (what commands export carries over), and what runs in it. */
interface Session {
  env: NodeJS.ProcessEnv;
  /** The emulator's host:port and the receiver's, once started. */
  emulator?: string;
  receiver?: string;
  receiverOut: string[];
  stack?: PulumiStack;
}

const newSession = (): Session => ({
  env: {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLOUDFLARE_|REALTIMEKIT_|VITEST|npm_)/.test(k) && k !== "NODE_ENV")),
    PATH: [path.join(sandbox, "node_modules/.bin"), path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
  },
  receiverOut: [],
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The command as it runs here: the session's ports, outputs and values where the docs have fixed ones or placeholders. */
function here(command: string, session: Session): string {
  let line = command
    .replace(/"?\$\(pulumi stack output (\w+)\)"?/g, (_, name: string) => {
      const value = session.stack?.outputs[name];
      if (typeof value !== "string") throw new Error(`${command}: no stack output ${name} (pulumi up first)`);
      return quote(value);
    })
    .replace("--port 8787", "--port 0")
    .replace("<package>", "node_modules/pulumi-realtimekit")
    .replace(/--inspect(?=\s)/, "--inspect=127.0.0.1:0")
    .replace("[--state data.json]", "--state data.json")
    .replace("receiver.js 4000", "receiver.js 0")
    .replace(/\b([A-Z][A-Z0-9_]*)=\.\.\.(?=\s)/g, (_, name: string) => `${name}=${quote(session.env[name] ?? "")}`)
    .replace("--out DIR", "--out dir");
  line = line.replace(/127\.0\.0\.1:8787/g, () => session.emulator ?? "(no emulator started)").replace(/127\.0\.0\.1:4000/g, () => session.receiver ?? "(no receiver started)");
  if (/\bpulumi\s/.test(line.replace(/pulumi-realtimekit|pulumi-resource-realtimekit/g, ""))) throw new Error(`${command}: runs the Pulumi CLI`);
  return line;
}

/** Runs one documented command in the session and waits for it; what it assigns or exports stays in the session. */
function run(command: string, session: Session, cwd = sandbox): Promise<{ code: number | null; stdout: string; stderr: string }> {
  ran.add(command);
  const MARK = "\u0001--env--\u0001";
  const script = `set -a\n${here(command, session)}\n__rc=$?\nprintf '${MARK}'\nenv -0\nexit $__rc`;
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd, env: session.env, detached: true });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      signal(child, "SIGKILL");
      reject(new Error(`${command}: still running after 60 s\n${stdout}${stderr}`));
    }, 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const at = stdout.lastIndexOf(MARK);
      if (at >= 0) {
        const env = stdout.slice(at + MARK.length).split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]);
        session.env = Object.fromEntries(env.filter(([k]) => !k.startsWith("__") && !["_", "SHLVL", "PWD", "OLDPWD"].includes(k)));
        stdout = stdout.slice(0, at);
      }
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a documented command that keeps running (in a terminal of its own, or with `&`); resolves with the first line it writes to `stream`. */
function start(command: string, session: Session, stream: "stdout" | "stderr"): Promise<{ child: ChildProcess; first: string; other: () => string }> {
  ran.add(command);
  const child = spawn("bash", ["-c", here(command, session).replace(/\s*&$/, "")], { cwd: sandbox, env: session.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let other = "";
  (stream === "stdout" ? child.stderr! : child.stdout!).on("data", (d) => (other += d));
  return new Promise((resolve, reject) => {
    createInterface({ input: child[stream]! }).once("line", (first) => resolve({ child, first, other: () => other }));
    child.on("exit", (code) => reject(new Error(`${command}: exited (${code}) before writing a line: ${other}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    signal(child, "SIGTERM");
  });

/** `pulumi stack init|config set|up` as the docs run them, played by the offline engine (the root Pulumi.yaml's program). */
interface PulumiStack {
  config: Record<string, string>;
  secretKeys: string[];
  state: EngineState;
  outputs: Record<string, unknown>;
}
const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string; main: string };

async function pulumi(command: string, session: Session): Promise<void> {
  const [, verb, rest] = /^pulumi (stack init|config set|up)\b\s*(.*)$/.exec(command) ?? [];
  if (verb === "stack init") session.stack = { config: {}, secretKeys: [], state: {}, outputs: {} };
  else if (verb === "config set") {
    const [, secret, key, value] = /^(--secret )?(\S+) (\S+)$/.exec(rest)!;
    const full = key.includes(":") ? key : `${project.name}:${key}`;
    session.stack!.config[full] = here(value, session);
    if (secret) session.stack!.secretKeys.push(full);
  } else if (verb === "up" && !rest) {
    const stack = session.stack!;
    const provider = Object.fromEntries(Object.entries(stack.config).filter(([k]) => k.startsWith("realtimekit:")));
    const host = await startHost({ cwd: root, config: provider });
    hosts.push(host);
    try {
      // The program Pulumi.yaml names, loaded anew as each `pulumi up` runs it.
      const main = path.join(root, "dist", project.main.replace(/\.ts$/, ".js"));
      const program = () => {
        delete nodeRequire.cache[nodeRequire.resolve(main)];
        return nodeRequire(main);
      };
      const result = await runProgram(program, { host, project: project.name, stack: "local", config: stack.config, secretKeys: stack.secretKeys, state: stack.state });
      stack.state = result.state;
      stack.outputs = result.outputs;
    } finally {
      hosts.splice(hosts.indexOf(host), 1);
      await host.stop();
    }
  } else throw new Error(`${command}: not a pulumi command the offline engine plays here`);
}

/** GetPluginInfo, as the engine asks a plugin listening on `port`: its version. */
function pluginVersion(port: number): Promise<string> {
  const proto = loadProto(path.dirname(nodeRequire.resolve("@pulumi/pulumi/package.json")));
  const client = new proto.provRpc.ResourceProviderClient(`127.0.0.1:${port}`, proto.grpc.credentials.createInsecure());
  return new Promise<string>((resolve, reject) =>
    client.getPluginInfo(new proto.empty.Empty(), (e: Error | null, info: { getVersion(): string }) => (e ? reject(e) : resolve(info.getVersion()))),
  ).finally(() => client.close());
}

/** The commands of the ```sh blocks under `heading` in `file`, in order. */
function block(file: string, heading: string): Command[] {
  const commands = parsed.get(file)!.commands.filter((c) => c.block && c.heading === heading);
  expect(commands.length, `${file}: a sh block under "${heading}"`).toBeGreaterThan(0);
  return commands;
}

/** The docs' "# …" line after a command, as a pattern ("…" stands for any text). */
const printed = (after: string) => new RegExp(`^${after.split("…").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".+")}$`);

const until = async (what: string, done: () => boolean, ms = 15_000) => {
  for (const end = Date.now() + ms; !done(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.sequential("the commands run here", () => {
  const session = newSession();
  const api = (url: string, token: string, route: string, init: RequestInit = {}) =>
    fetch(`${url}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });

  it("docs/emulator.md: the emulator prints its URL first, keeps its objects in the state file, and README's demo command serves them again; --help lists the ranges", async () => {
    const [serve] = block("docs/emulator.md", "Emulator");
    expect(serve.text).toBe("npx realtimekit-emulator --port 8787 --token dev-token [--state data.json]");
    const em = await start(serve.text, session, "stdout");
    expect(em.first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
    const created = await api(em.first, "dev-token", "/accounts/docs-account/realtime/kit/apps", { method: "POST", body: JSON.stringify({ name: "kept" }) });
    expect(created.ok, await created.clone().text()).toBe(true);
    await stop(em.child);
    expect(JSON.stringify(JSON.parse(fs.readFileSync(path.join(sandbox, "data.json"), "utf8")))).toContain('"kept"');

    // README, the demo: `.demo/emulator.json` served again (with the demo's token).
    fs.mkdirSync(path.join(sandbox, ".demo"));
    fs.copyFileSync(path.join(sandbox, "data.json"), path.join(sandbox, ".demo/emulator.json"));
    const again = await start("npx realtimekit-emulator --token demo-token --state .demo/emulator.json", session, "stdout");
    const apps = (await (await api(again.first, "demo-token", "/accounts/docs-account/realtime/kit/apps")).json()) as { data: { name: string }[] };
    expect(apps.data.map((a) => a.name)).toEqual(["kept"]);
    await stop(again.child);

    const help = await run("realtimekit-emulator --help", session);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: realtimekit-emulator/);
    expect(help.stdout).toContain("(0..600000)");
    // What the docs say the emulator can do, its --help has.
    const doc = fs.readFileSync(path.join(root, "docs/emulator.md"), "utf8");
    for (const flag of doc.match(/`(--[a-z0-9-]+)/g)!.map((f) => f.slice(1))) expect(help.stdout, flag).toContain(flag);
  });

  it("docs/emulator.md, your backend's join flow: a deployed preset's name gives a participant and its token; one never deployed is refused as the docs print it", async () => {
    const commands = block("docs/emulator.md", "Your backend's join flow, against the presets you deploy");
    expect(commands[0].text).toBe("npx realtimekit-emulator --port 8787 --token dev-token --state .rtk-emulator.json");
    for (const c of commands) {
      if (c.text.startsWith("pulumi ")) {
        await pulumi(c.text, session);
        continue;
      }
      if (c.text.startsWith("npx realtimekit-emulator --port")) {
        const em = await start(c.text, session, "stdout");
        session.emulator = new URL(em.first).host;
        continue;
      }
      const out = await run(c.text, session);
      if (c.after) {
        expect(c.text, "a command whose output the docs show").toMatch(/join\.js/);
        expect((out.stdout + out.stderr).trim()).toMatch(printed(c.after));
      } else expect(out.code, out.stderr).toBe(0);
    }
    // The quickstart was deployed with the docs' config, to the emulator they started.
    expect(session.stack!.outputs).toMatchObject({ appId: expect.any(String), meetingId: expect.any(String) });
    expect(session.env.CLOUDFLARE_API_TOKEN).toBe("dev-token");
    const state = JSON.parse(fs.readFileSync(path.join(sandbox, ".rtk-emulator.json"), "utf8"));
    expect(JSON.stringify(state)).toContain('"custom_participant_id":"user-42"');
    expect(JSON.stringify(state)).not.toContain('"custom_participant_id":"user-43"');
  }, 120_000);

  it("docs/emulator.md, test your webhook receiver locally: the receiver prints the events the comments name, and deliveries lists them", async () => {
    const commands = block("docs/emulator.md", "Test your webhook receiver locally");
    const events = () => session.receiverOut.map((l) => JSON.parse(l) as { event: string; recording?: { status: string } });
    for (const c of commands) {
      if (c.text.startsWith("pulumi ")) {
        await pulumi(c.text, session);
        continue;
      }
      if (c.text.endsWith("&")) {
        const receiver = await start(c.text, session, "stderr");
        expect(receiver.first).toMatch(/^listening at http:\/\/127\.0\.0\.1:\d+\/realtimekit\/events$/);
        session.receiver = new URL(receiver.first.slice("listening at ".length)).host;
        createInterface({ input: receiver.child.stdout! }).on("line", (l) => session.receiverOut.push(l));
        continue;
      }
      const out = await run(c.text, session);
      expect(out.code, out.stderr).toBe(0);
      if (c.text.startsWith("npx realtimekit-emulator join")) {
        await until("meeting.started and recording.statusUpdate at the receiver", () => session.receiverOut.length >= 2);
        expect(events().map((e) => e.event)).toEqual(["meeting.started", "recording.statusUpdate"]);
      }
      if (c.text.startsWith("npx realtimekit-emulator end")) {
        await until("meeting.ended and two recording updates", () => session.receiverOut.length >= 5);
        expect(events().slice(2).map((e) => [e.event, e.recording?.status ?? ""])).toEqual([
          ["meeting.ended", ""],
          ["recording.statusUpdate", "UPLOADING"],
          ["recording.statusUpdate", "UPLOADED"],
        ]);
      }
      if (c.text === "npx realtimekit-emulator deliveries") {
        const { deliveries } = JSON.parse(out.stdout) as { deliveries: { webhook_id: string; event: string; status: number; attempts: number; outcome: string }[] };
        const webhookId = session.stack!.outputs.webhookId;
        expect(deliveries.map((d) => [d.webhook_id, d.event, d.status, d.attempts, d.outcome])).toEqual(
          events().map((e) => [webhookId, e.event, 200, 1, "delivered"]),
        );
      }
    }
    // What the docs' comments say each prints is what arrived.
    const doc = fs.readFileSync(path.join(root, "docs/emulator.md"), "utf8");
    expect(doc).toMatch(/join "\$TOKEN" +# the receiver prints meeting\.started, recording\.statusUpdate/);
    expect(doc).toMatch(/# meeting\.ended, recording\.statusUpdate \(UPLOADING, UPLOADED\)/);
    expect(doc).toMatch(/deliveries +# each delivery: webhook, event, status, attempts/);
  }, 120_000);

  it("docs/gitops-export.md and examples/gitops: realtimekit-export writes the emulator's account as a program; --help", async () => {
    const [exportAll] = block("docs/gitops-export.md", "Exporting an existing account");
    const out = await run(exportAll.text, session);
    expect(out.code, out.stderr).toBe(0);
    const app = path.join(sandbox, "realtimekit", "support-calls");
    expect(fs.readdirSync(path.join(app, "presets")).sort()).toEqual(["host.yaml", "participant.yaml"]);
    expect(fs.readdirSync(path.join(sandbox, "realtimekit")).sort()).toEqual(expect.arrayContaining(["index.ts", "Pulumi.yaml", "package.json", "README.md", "support-calls"]));

    const gitops = await run("npx realtimekit-export --out DIR --all", session);
    expect(gitops.code, gitops.stderr).toBe(0);
    expect(fs.existsSync(path.join(sandbox, "dir", "support-calls", "webhooks", "events.yaml"))).toBe(true);

    const help = await run("npx realtimekit-export --help", session);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: realtimekit-export --out DIR/);
    for (const flag of ["--out", "--all", "--app", "--package-spec"]) expect(help.stdout).toContain(flag);
  }, 120_000);

  it("docs/testing-against-cloudflare.md: npm run test:live without the two variables prints one line and exits 0", async () => {
    const out = await run("npm run test:live", newSession(), root);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim().split("\n").filter((l) => l && !l.startsWith(">")), out.stdout).toEqual([expect.stringMatching(/CLOUDFLARE_ACCOUNT_ID/)]);
  });

  it("docs/troubleshooting.md: command -v finds pulumi-resource-realtimekit where its bin is on PATH", async () => {
    const out = await run("command -v pulumi-resource-realtimekit", newSession());
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(path.join(sandbox, "node_modules/.bin/pulumi-resource-realtimekit"));
  });

  it("docs/other-languages.md: the plugin started by hand, as for PULUMI_DEBUG_PROVIDERS (under the inspector) and as its start time is measured, prints the port it serves on and answers there", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const doc = fs.readFileSync(path.join(root, "docs/other-languages.md"), "utf8");
    expect(doc).toContain("(`node --inspect <package>/dist/plugin/cli.js` prints the port it serves on)");
    for (const command of ["node dist/plugin/cli.js", "node --inspect <package>/dist/plugin/cli.js"]) {
      const plugin = await start(command, newSession(), "stdout");
      try {
        expect(plugin.first, command).toMatch(/^\d+$/);
        expect(await pluginVersion(Number(plugin.first)), command).toBe(version);
        if (command.includes("--inspect")) expect(plugin.other(), command).toMatch(/Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//);
      } finally {
        await stop(plugin.child);
      }
    }
  });

  it("every command classified as run here was run", () => {
    expect(RUN_HERE.filter((c) => !ran.has(c))).toEqual([]);
  });
});
