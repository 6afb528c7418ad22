// The state file: read once at start, rewritten whole after every write. A
// write goes to a temporary file in the same directory, is fsynced, then
// renamed over the old file, so a crash leaves either the old or the new state,
// never a partial JSON.
import { randomUUID } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { State } from "./store";

/** The saved state, or undefined when the file does not exist yet. */
export function loadState(path: string): State | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const state = JSON.parse(text) as State;
  if (state?.version !== 1 || typeof state.accounts !== "object") throw new Error(`${path} is not an emulator state file`);
  return state;
}

export function saveState(path: string, state: State): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
