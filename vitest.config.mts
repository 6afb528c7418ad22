import { defineConfig } from "vitest/config";

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
