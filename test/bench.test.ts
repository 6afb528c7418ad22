// `npm run bench` must keep running: a small run of the real script, checking the
// shape of its JSON line and the figures that are counts, not timings.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { root } from "./support/stack";

it("npm run bench prints one JSON line: one HTTP call per operation, none for check and diff, no faulted losses", () => {
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "scripts/tsconfig.bench.json"], {
    cwd: root,
    encoding: "utf8",
  });
  expect(tsc.stdout + tsc.stderr).toBe("");
  const run = spawnSync(process.execPath, [join(root, "scripts", "bench.js"), "--n", "12", "--concurrency", "4", "--rounds", "1"], {
    cwd: root,
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const lines = run.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^pulumi-realtimekit benchmark: 12 resources .* 4 in flight/);
  const figures = JSON.parse(lines[lines.length - 1]);
  expect(Object.keys(figures)).toEqual(["providerSeconds", "rawSeconds", "ratio", "httpCallsPerOp", "providerBytes", "hostStartMs", "faults"]);
  expect(figures.httpCallsPerOp).toEqual({ create: 1, read: 1, update: 1, delete: 1, check: 0, diff: 0 });
  expect(figures.faults).toEqual({ failed: 0, duplicates: 0, lost: 0 });
  expect(figures.ratio).toBeCloseTo(figures.providerSeconds / figures.rawSeconds, 1);
  expect(figures.providerBytes).toBeGreaterThan(0);
  expect(figures.hostStartMs).toBeGreaterThan(0);
}, 180_000);
