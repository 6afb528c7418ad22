// The generated types and reference must match the schemas they are generated
// from, and the types must actually constrain arguments.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..");
// Reads the compiled schemas in dist/: `npm test` builds first.
const { render } = createRequire(__filename)("../scripts/generate.js") as { render(): Record<string, string> };

describe("generated files", () => {
  for (const [file, text] of Object.entries(render())) {
    it(`${file} is up to date (else run \`npm run generate\`)`, () => {
      expect(fs.readFileSync(path.join(root, file), "utf8")).toBe(text);
    });
  }

  it("reject a wrong enum value and accept pulumi.Outputs deep inside arguments (test/types/args.ts)", () => {
    const tsc = require.resolve("typescript/bin/tsc");
    const flags = ["--noEmit", "--strict", "--target", "ES2022", "--module", "commonjs", "--moduleResolution", "node"];
    const run = () =>
      execFileSync(process.execPath, [tsc, ...flags, "--types", "node", "--skipLibCheck", "test/types/args.ts"], { cwd: root, encoding: "utf8" });
    expect(run).not.toThrow();
  });
});
