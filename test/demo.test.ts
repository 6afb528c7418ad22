// `npm run demo`, as a new user runs it: in a fresh copy of the repository (its
// files as git sees them, no dist/ and no .demo/), with the dependencies
// installed (node_modules hard-linked from here), no Pulumi CLI on PATH and no
// network (npm offline with an empty cache, an empty PULUMI_HOME). Each step's
// outcome is checked in what the demo leaves in .demo/, and in what it says.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyRepository, root } from "./support/stack";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-demo-"));
const copy = path.join(tmp, "repo");
const demoDir = path.join(copy, ".demo");

/** PATH without any directory that holds a `pulumi` executable. */
const hasPulumi = (dir: string) => {
  try {
    fs.accessSync(path.join(dir, "pulumi"), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const pathEntries = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
const pulumiOnPath = pathEntries.some(hasPulumi);
const noPulumiPath = [path.dirname(process.execPath), ...pathEntries.filter((d) => !hasPulumi(d))].join(path.delimiter);

function freshCopy() {
  copyRepository(copy);
  // The installed dependencies, as `npm ci` leaves them (hard links: instant, nothing written through them).
  execFileSync("cp", ["-al", path.join(root, "node_modules"), path.join(copy, "node_modules")]);
}

function demo(args: string[], env: Record<string, string>) {
  const run = spawnSync("npm", ["run", "demo", ...(args.length ? ["--", ...args] : [])], { cwd: copy, env: { ...process.env, ...env }, encoding: "utf8", timeout: 240_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const offline = () => {
  const empty = (name: string) => fs.mkdtempSync(path.join(tmp, name));
  return {
    PATH: noPulumiPath,
    PULUMI_HOME: empty("pulumi-home-"),
    npm_config_offline: "true",
    npm_config_cache: empty("npm-cache-"),
    npm_config_update_notifier: "false",
  };
};

beforeAll(freshCopy, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run demo without the Pulumi CLI and without network: the offline path", () => {
  let run: ReturnType<typeof demo>;
  beforeAll(() => {
    run = demo([], offline());
  }, 240_000);

  it("says in one line that the Pulumi CLI was not found, that this is the offline path, and where its state is", () => {
    expect(run.code, run.out + run.err).toBe(0);
    const lines = run.out.split("\n");
    const notFound = lines.filter((l) => l.startsWith("Pulumi CLI not found"));
    expect(notFound).toHaveLength(1);
    expect(notFound[0]).toMatch(/^Pulumi CLI not found \(not on PATH; `npx pulumi@[\d.]+` .+\): this is the offline path, .+; state in \.demo\/$/);
  });

  it("1. deploys the quickstart: the plan, then the objects created", () => {
    expect(run.out).toMatch(/\$ pulumi preview\n(?: {2}\+ .+to create\n){5} {2}Resources: 5 to create\n/);
    expect(run.out).toMatch(/\$ pulumi up\n(?: {2}\+ .+created {2}\S+\n){5}/);
    const state = JSON.parse(fs.readFileSync(path.join(demoDir, "emulator.json"), "utf8"));
    const apps = Object.values(state.accounts["demo-account"]) as { app: { name: string }; presets: object; webhooks: object; meetings: object }[];
    expect(apps.map((a) => a.app.name)).toEqual(["support-calls"]);
    expect([apps[0].presets, apps[0].webhooks, apps[0].meetings].map((o) => Object.keys(o).length)).toEqual([2, 1, 1]);
    const stack = JSON.parse(fs.readFileSync(path.join(demoDir, "stacks", "quickstart.json"), "utf8"));
    expect(Object.values(stack).map((r) => (r as { name: string }).name).sort()).toEqual(["daily-standup", "events", "host", "participant", "support-calls"]);
  });

  it("2. finds the change made outside the code, naming the field, and up reverts it", () => {
    expect(run.out).toContain("  ~ realtimekit:Webhook events: changed outside the program: events\n");
    expect(run.out).toContain("  ✓ drift found, naming the field changed: events\n");
    expect(run.out).toMatch(/\$ pulumi up --refresh\n {2}~ +realtimekit:Webhook {2}events {2}updated {2}events /);
    const state = JSON.parse(fs.readFileSync(path.join(demoDir, "emulator.json"), "utf8"));
    const app = Object.values(state.accounts["demo-account"])[0] as { webhooks: Record<string, { events: string[] }> };
    const [webhook] = Object.values(app.webhooks);
    expect(webhook.events.sort()).toEqual(["meeting.ended", "meeting.started", "recording.statusUpdate"]);
  });

  it("3. exports the account into .demo/gitops; the exported program adopts everything and its preview has no changes", () => {
    for (const f of ["index.ts", "package.json", "support-calls/app.yaml", "support-calls/presets/host.yaml", "support-calls/webhooks/events.yaml", "support-calls/meetings.yaml"]) {
      expect(fs.existsSync(path.join(demoDir, "gitops", f)), f).toBe(true);
    }
    // Its package.json depends on a spec that resolves: this copy of the repository.
    const pkg = JSON.parse(fs.readFileSync(path.join(demoDir, "gitops", "package.json"), "utf8"));
    expect(path.resolve(demoDir, "gitops", pkg.dependencies["pulumi-realtimekit"].replace(/^file:/, ""))).toBe(copy);
    expect(run.out).toContain("  Resources: 5 adopted\n");
    expect(run.out).toContain("  ✓ adopted: nothing created or deleted in RealtimeKit\n");
    expect(run.out).toContain("  no changes (5 resources unchanged)\n");
    expect(run.out).toMatch(/\nDone in \d+\.\d s\./);
  });

  it("ends with one line on how another language uses the package: the plugin on PATH, the SDK from schema.json", () => {
    const last = run.out.trimEnd().split("\n").pop();
    expect(last).toBe(
      'From another language: `npm install -g pulumi-realtimekit` puts the plugin pulumi-resource-realtimekit on PATH; in a Python, Go, .NET or Java project, `pulumi package add "$(npm root -g)/pulumi-realtimekit/schema.json"` generates the SDK (Pulumi YAML needs none): see examples/python and examples/yaml.',
    );
    // What it names is there: the bin, the schema the package ships, the examples.
    const pkg = JSON.parse(fs.readFileSync(path.join(copy, "package.json"), "utf8"));
    expect(pkg.bin["pulumi-resource-realtimekit"]).toBe("dist/plugin/cli.js");
    expect(pkg.files).toEqual(expect.arrayContaining(["schema.json", "examples"]));
    for (const dir of ["examples/python", "examples/yaml"]) expect(fs.existsSync(path.join(copy, dir, "Pulumi.yaml")), dir).toBe(true);
  });

  it("--clean removes .demo/; a .demo/ the demo did not make is left alone", () => {
    const clean = demo(["--clean"], offline());
    expect(clean.code, clean.err).toBe(0);
    expect(clean.out).toContain("removed .demo");
    expect(fs.existsSync(demoDir)).toBe(false);
    fs.mkdirSync(demoDir);
    fs.writeFileSync(path.join(demoDir, "notes.txt"), "mine");
    // (The script itself: npm run would only build again first.)
    const refused = spawnSync(process.execPath, ["scripts/demo.js", "--clean"], { cwd: copy, encoding: "utf8", timeout: 60_000 });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe("demo failed: .demo exists and is not the demo's folder (no .demo/README.md from npm run demo): move it away first\n");
    expect(fs.readFileSync(path.join(demoDir, "notes.txt"), "utf8")).toBe("mine");
    fs.rmSync(demoDir, { recursive: true });
  });
});

// Said in the test output, where a skipped test's name is not.
if (!pulumiOnPath) console.info("skipped: npm run demo with the Pulumi CLI on PATH: there is no `pulumi` on PATH on this machine");

describe("npm run demo with the Pulumi CLI on PATH", () => {
  it.skipIf(!pulumiOnPath)(
    pulumiOnPath ? "runs the same three steps through the CLI" : "runs the same three steps through the CLI (skipped: no `pulumi` on PATH on this machine)",
    () => {
      const run = demo([], { npm_config_update_notifier: "false" });
      expect(run.code, run.out + run.err).toBe(0);
      expect(run.out).toMatch(/^Engine: pulumi .+ on PATH; state in \.demo\/$/m);
      for (const step of ["created: the app, 2 presets", "drift found, naming the field changed: events", "reverted by up", "adopted: nothing created", "preview: no changes"]) {
        expect(run.out).toContain(step);
      }
    },
    240_000,
  );
});
