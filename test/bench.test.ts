// `npm run bench` must keep running: a small run of the real script, checking the
// shape of its JSON line and the figures that are counts, not timings.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { root } from "./support/stack";

it("npm run bench prints one JSON line: the project and the plugin against the peer per phase, counts of calls, 429s and refresh calls", () => {
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "scripts/tsconfig.bench.json"], {
    cwd: root,
    encoding: "utf8",
  });
  expect(tsc.stdout + tsc.stderr).toBe("");
  const args = ["--n", "12", "--concurrency", "4", "--rounds", "1", "--rate-n", "12", "--back-to-back", "12", "--refresh-n", "60"];
  const run = spawnSync(process.execPath, [join(root, "scripts", "bench.js"), ...args], { cwd: root, encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const lines = run.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^pulumi-realtimekit benchmark: 12 resources .* 4 in flight/);
  const figures = JSON.parse(lines[lines.length - 1]);
  expect(Object.keys(figures)).toEqual([
    "n",
    "vsPeer",
    "pluginVsPeer",
    "pluginVsProject",
    "hostCpuMsPerOp",
    "rawSeconds",
    "httpCallsPerOp",
    "pluginHttpCallsPerOp",
    "peakRssMiB",
    "hostStartMs",
    "pluginStartMs",
    "rateLimit",
    "refresh",
    "faults",
  ]);
  expect(figures.n).toBe(12);
  // Ratios project/peer, plugin/peer and plugin/project for each phase the engine calls (null only where /proc cannot be read).
  for (const ratios of [figures.vsPeer, figures.pluginVsPeer, figures.pluginVsProject]) {
    expect(Object.keys(ratios)).toEqual(["create", "same", "read", "delete"]);
    for (const phase of Object.values<{ wall: number; hostCpu: number | null }>(ratios)) {
      expect(Object.keys(phase)).toEqual(["wall", "hostCpu"]);
      expect(phase.wall).toBeGreaterThan(0);
      if (process.platform === "linux") expect(phase.hostCpu).toBeGreaterThan(0);
    }
  }
  // The three columns' CPU per resource and memory, each process's own.
  expect(Object.keys(figures.hostCpuMsPerOp)).toEqual(["project", "peer", "plugin"]);
  expect(Object.keys(figures.peakRssMiB)).toEqual(["project", "peer", "plugin"]);
  if (process.platform === "linux") for (const rss of Object.values<number>(figures.peakRssMiB)) expect(rss).toBeGreaterThan(0);
  expect(figures.pluginStartMs).toBeGreaterThan(0);
  // One lifecycle through both doors: the same HTTP calls.
  expect(figures.httpCallsPerOp).toEqual({ create: 1, read: 1, update: 1, delete: 1, check: 0, diff: 0 });
  expect(figures.pluginHttpCallsPerOp).toEqual(figures.httpCallsPerOp);
  // At the documented limits (on a simulated clock): nothing answered 429, also for two processes back to
  // back; the unpaced peer sending 1,300 at once loses all beyond the token's 1,200 (one more request made its app).
  expect(figures.rateLimit).toMatchObject({ requests: 12, answered429: 0, failed: 0, backToBack: { answered429: 0 }, peerAnswered429: 101 });
  // 12 requests go at once: no wait, the whole of the ceiling's throughput.
  expect(figures.rateLimit).toMatchObject({ simulatedSeconds: 0, fastestSeconds: 0, ofCeiling: 1, mostInWindow: { account: 12, token: 12, client: 12 } });
  expect(figures.rateLimit.backToBack.mostInSecond).toBeGreaterThanOrEqual(12);
  expect(figures.rateLimit.backToBack.mostInSecond).toBeLessThanOrEqual(2 * 12);
  // Every out-of-band edit reported, and nothing else: from one list call (60 meetings fit a page) and a
  // GET of each edited meeting, one more if the first read came alone (it then reads its meeting itself).
  expect(figures.refresh).toMatchObject({ objects: 60, drifted: 10, missed: 0 });
  expect(figures.refresh.httpCalls).toBeGreaterThanOrEqual(11);
  expect(figures.refresh.httpCalls).toBeLessThanOrEqual(12);
  expect(figures.faults).toEqual({ failed: 0, duplicates: 0, lost: 0 });
}, 180_000);
