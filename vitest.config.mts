import { defineConfig } from "vitest/config";

// vitest 5's reporter calls Map.groupBy, which Node 20 lacks: without this a
// failing test crashes the reporter instead of being reported.
(Map as unknown as { groupBy?: unknown }).groupBy ??= <K, V>(items: Iterable<V>, key: (v: V, i: number) => K) => {
  const groups = new Map<K, V[]>();
  let i = 0;
  for (const item of items) {
    const k = key(item, i++);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
};

// Tests start real processes (the emulator, Pulumi's dynamic-provider host):
// give them time, and run files in parallel forks on this 2-core machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
