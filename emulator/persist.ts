// The state file: read once at start, rewritten whole after every write. A
// write goes to a temporary file in the same directory, is fsynced, then
// renamed over the old file, so a crash leaves either the old or the new state,
// never a partial JSON.
import { randomUUID } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { State } from "./store";

/**
 * The saved state, or undefined when the file does not exist yet. Errors name
 * the file and never quote it (JSON.parse's own message shows the text).
 */
export function loadState(path: string): State | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`state file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw new Error(`state file ${path}: not JSON, so not an emulator state file`);
  }
  const problem = stateProblem(state);
  if (problem) throw new Error(`state file ${path}: not an emulator state file (${problem})`);
  return state as State;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What makes `v` no State (version 1: accounts → apps → {app, presets, meetings,
 * webhooks, participants}), or undefined. Files saved before participants were
 * served have none: that is an app without participants.
 */
function stateProblem(v: unknown): string | undefined {
  if (!isMap(v) || v.version !== 1) return "no version 1";
  if (!isMap(v.accounts)) return "no accounts";
  for (const [account, apps] of Object.entries(v.accounts)) {
    if (!isMap(apps)) return `account ${account} is not a mapping of apps`;
    for (const [id, app] of Object.entries(apps)) {
      if (!isMap(app) || !isMap(app.app) || app.app.id !== id) return `app ${id} of account ${account} has no app record`;
      for (const kind of ["presets", "meetings", "webhooks"]) if (!isMap(app[kind])) return `app ${id} of account ${account} has no ${kind}`;
      if (app.participants !== undefined && !isMap(app.participants)) return `app ${id} of account ${account} has participants that are not a mapping`;
    }
  }
  return undefined;
}

/** Rewrites the file atomically (see above); an error names the state file, and the old file stays. */
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
    throw new Error(`state file ${path}: cannot save it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
