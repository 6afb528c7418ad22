// What the plugin says about its package: its version (GetPluginInfo) and its
// schema (GetSchema). One source, the package's own package.json and
// schema.json: read from the package root, or, in the self-contained
// executable `npm run dist` builds, from the copies of those two files it
// carries as single-executable-application assets (scripts/dist.js).
import * as fs from "node:fs";
import * as path from "node:path";

/** The executable built by `npm run dist` (a Node.js single executable application), not Node.js running dist/. */
export function inExecutable(): boolean {
  try {
    return (require("node:sea") as typeof import("node:sea")).isSea();
  } catch {
    return false; // a Node.js without node:sea (before 20.12) runs no executable of ours
  }
}

const packageRoot = path.resolve(__dirname, "../..");

function packageFile(name: "package.json" | "schema.json"): string {
  if (inExecutable()) return (require("node:sea") as typeof import("node:sea")).getAsset(name, "utf8");
  return fs.readFileSync(path.join(packageRoot, name), "utf8");
}

export const packageVersion = (): string => JSON.parse(packageFile("package.json")).version;
export const packageSchema = (): string => packageFile("schema.json");
