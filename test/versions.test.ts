// What the repository says about Node and @pulumi/pulumi versions agrees with what
// the dependencies declare: engines.node, the README, the gitops workflow, and
// every package of the lockfile (npm ci warns EBADENGINE for each one whose
// `engines.node` the running Node does not satisfy, with npm's own semver).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { nodeRequire, root } from "./support/stack";

const semver: typeof import("semver") = nodeRequire("semver");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const pkg = JSON.parse(read("package.json"));
const lock = JSON.parse(read("package-lock.json"));
const readme = read("README.md");

/** The lockfile's packages (runtime only, or all) with their engines.node; optional platform binaries are never installed together. */
const engines = (runtimeOnly: boolean) =>
  Object.entries(lock.packages as Record<string, { engines?: { node?: string }; dev?: boolean; optional?: boolean }>)
    .filter(([p, m]) => p && m.engines?.node && !m.optional && !(runtimeOnly && m.dev))
    .map(([p, m]) => ({ name: p.replace(/^.*node_modules\//, ""), node: m.engines!.node! }));
const unsatisfied = (version: string, runtimeOnly: boolean) =>
  engines(runtimeOnly).filter((e) => !semver.satisfies(version, e.node)).map((e) => `${e.name} wants ${e.node}`);

describe("Node versions", () => {
  // The README's words, and the versions they name.
  const use = /Node\.js (\d+\.\d+)\+ or (\d+\.\d+)\+ to use the package/.exec(readme);
  const develop = /Node\.js (\d+\.\d+)\+ or (\d+\.\d+)\+ to develop it/.exec(readme);

  it("the README names the Node versions to use and to develop the package; the installation page the same ones to use it", () => {
    expect(use, "README: Node.js A+ or B+ to use the package").not.toBeNull();
    expect(develop, "README: Node.js A+ or B+ to develop it").not.toBeNull();
    const installation = /Node\.js (\d+\.\d+)\+ or (\d+\.\d+)\+ to use the package/.exec(read("docs/installation-configuration.md"));
    expect(installation?.slice(1), "docs/installation-configuration.md: Node.js A+ or B+ to use the package").toEqual(use!.slice(1));
  });

  it("engines.node is what the runtime dependencies need: the README's versions, no lower", () => {
    const [low, high] = use!.slice(1).map((v) => `${v}.0`);
    expect(pkg.engines.node).toBe(`^${low} || >=${high}`);
    for (const v of [low, high]) expect(unsatisfied(v, true), `runtime dependencies on Node ${v}`).toEqual([]);
    // One minor lower, some dependency would not have it (the range is not looser than needed).
    const minorBefore = (v: string) => `${semver.major(v)}.${semver.minor(v) - 1}.0`;
    for (const v of [low, high]) expect(unsatisfied(minorBefore(v), true).length, `Node ${minorBefore(v)}`).toBeGreaterThan(0);
  });

  it("npm ci on the Node versions the README names for development warns about no package (no EBADENGINE)", () => {
    for (const v of develop!.slice(1).map((v) => `${v}.0`)) expect(unsatisfied(v, false), `Node ${v}`).toEqual([]);
    // And on this Node, which CI runs.
    expect(unsatisfied(process.versions.node, false)).toEqual([]);
  });

  it("the gitops workflow runs a Node that the package and the latest @pulumi/pulumi (Node 22) support, and installs with npm ci", () => {
    const workflow = YAML.parse(read("examples/gitops/.github/workflows/realtimekit.yml"));
    for (const [name, job] of Object.entries(workflow.jobs as Record<string, { steps: Record<string, any>[] }>)) {
      const setup = job.steps.find((s) => String(s.uses).startsWith("actions/setup-node@"));
      const major = Number(setup?.with?.["node-version"]);
      expect(semver.satisfies(`${major}.99.0`, pkg.engines.node), `${name}: node-version ${major}`).toBe(true);
      expect(major, `${name}: node-version`).toBeGreaterThanOrEqual(22);
      expect(job.steps.some((s) => s.run === "npm ci"), `${name}: npm ci`).toBe(true);
    }
  });
});

describe("the gitops workflow and package specs", () => {
  it("posts the pull request's preview on the pull request", () => {
    const workflow = YAML.parse(read("examples/gitops/.github/workflows/realtimekit.yml"));
    const preview = workflow.jobs.preview;
    const pulumi = preview.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi.with).toMatchObject({ command: "preview", "comment-on-pr": true });
    expect(preview.permissions["pull-requests"]).toBe("write");
  });

  it("the gitops example depends on specs that resolve: this repository, and the package's @pulumi/pulumi range", () => {
    const example = JSON.parse(read("examples/gitops/package.json"));
    const spec: string = example.dependencies["pulumi-realtimekit"];
    expect(spec).toMatch(/^file:/);
    const target = path.resolve(root, "examples/gitops", spec.slice("file:".length));
    expect(JSON.parse(fs.readFileSync(path.join(target, "package.json"), "utf8")).name).toBe("pulumi-realtimekit");
    expect(example.dependencies["@pulumi/pulumi"]).toBe(pkg.dependencies["@pulumi/pulumi"]);
  });
});

describe("CI tests pinned versions", () => {
  const script = read("scripts/pulumi-versions.sh");
  const pinned = (name: string) => new RegExp(`^${name}=(\\S+)$`, "m").exec(script)?.[1];

  it("the @pulumi/pulumi versions CI runs are written once, exactly: the range's floor and NEWEST, with dependencies as of BEFORE", () => {
    const newest = pinned("NEWEST")!;
    const floor = pkg.dependencies["@pulumi/pulumi"].replace(/^\^/, "");
    expect(semver.valid(newest), "NEWEST is an exact version").toBe(newest);
    expect(semver.valid(floor), "the range's floor is an exact version").toBe(floor);
    expect(semver.satisfies(newest, pkg.dependencies["@pulumi/pulumi"])).toBe(true);
    expect(semver.gte(newest, lock.packages["node_modules/@pulumi/pulumi"].version)).toBe(true);
    expect(pinned("BEFORE")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Without arguments (CI) the script runs those two; `latest` only when asked.
    expect(script).toMatch(/if \[ \$# -eq 0 \]; then versions=\("\$floor" "\$NEWEST"\); before=\(--before="\$BEFORE"\)/);
  });

  it(".ci/run installs from the lockfile and runs the pinned versions; the README names them and the command for the newest release", () => {
    const ci = read(".ci/run");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^scripts\/pulumi-versions\.sh$/m);
    expect(ci).not.toMatch(/latest|npm (i|install) |npx [^ ]+@/);
    expect(readme).toContain(pinned("NEWEST")!);
    expect(readme).toContain("scripts/pulumi-versions.sh latest");
  });
});
