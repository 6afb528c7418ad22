import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import base from "../../vitest.config.mts";

// The acceptance suite only (`npm run test:live`): *.live.ts, which `npm test` does not pick up.
// A real API is slower than the emulator: more time per test.
export default defineConfig({
  ...base,
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: { ...base.test, include: ["test/live/**/*.live.ts"], testTimeout: 180_000, hookTimeout: 180_000 },
});
