// Issue 11, attacks on the two command lines (realtimekit-emulator and
// realtimekit-export, dist/: build first): out-of-range and malformed values are
// refused with one line in one format, `<program>: <what is wrong> (see
// <program> --help)`, exit 2, before anything starts; a broken state file is
// named, never quoted.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const EMULATOR = join(__dirname, "..", "dist", "emulator", "cli.js");
const EXPORT = join(__dirname, "..", "dist", "export", "cli.js");
const tmp = mkdtempSync(join(tmpdir(), "rtk-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cli: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    // Bounded: a CLI that started serving instead of refusing is killed, and the test fails on its exit code.
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, timeout: 20_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? (typeof e.code === "number" ? e.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** One usage line: the program's name, the message, the pointer to --help; nothing else (no stack, no usage dump). */
const usageLine = (program: string, message: string) => `${program}: ${message} (see ${program} --help)\n`;

describe("realtimekit-emulator flags are range-checked", () => {
  it.each([
    [["--error-rate", "7"], '--error-rate wants a number from 0 to 1, got "7"'],
    [["--error-rate=-0.1"], '--error-rate wants a number from 0 to 1, got "-0.1"'],
    [["--drop-after-commit", "1.5"], '--drop-after-commit wants a number from 0 to 1, got "1.5"'],
    [["--drop-before-commit", "NaN"], '--drop-before-commit wants a number from 0 to 1, got "NaN"'],
    [["--rate-limit", "0,0,1"], '--rate-limit EVERY wants a whole number from 1 to 1000000, got "0"'],
    [["--rate-limit", "5,0,1"], '--rate-limit BURST wants a whole number from 1 to 1000000, got "0"'],
    [["--rate-limit", "5,1,-1"], '--rate-limit RETRY wants a whole number from 0 to 3600, got "-1"'],
    [["--rate-limit", "5,1"], '--rate-limit wants EVERY,BURST,RETRY (three whole numbers), got "5,1"'],
    [["--port", "70000"], '--port wants a whole number from 0 to 65535, got "70000"'],
    [["--port", "0x50"], '--port wants a whole number from 0 to 65535, got "0x50"'],
    [["--port", " 80"], '--port wants a whole number from 0 to 65535, got " 80"'],
    [["--latency=-5"], '--latency wants a whole number from 0 to 600000, got "-5"'],
    [["--latency", "1e9"], '--latency wants a whole number from 0 to 600000, got "1e9"'],
    [["--latency-jitter", "Infinity"], '--latency-jitter wants a whole number from 0 to 600000, got "Infinity"'],
    [["--seed", "1.5"], '--seed wants a whole number from 0 to 4294967295, got "1.5"'],
    [["--token", ""], "--token wants a value"],
    [["--state", ""], "--state wants a value"],
    [["--frobnicate"], "Unknown option '--frobnicate'"],
    [["--port"], "Option '--port <value>' argument missing"],
    [["serve"], "Unexpected argument 'serve'"],
  ])("%j", async (args, message) => {
    const r = await run(EMULATOR, args);
    expect(r).toEqual({ code: 2, stdout: "", stderr: usageLine("realtimekit-emulator", message) });
  });

  it("values at the ends of each range are accepted", async () => {
    // --help after the flags: parsed and checked, then the usage printed instead of serving.
    const args = ["--port", "0", "--error-rate", "1", "--drop-after-commit", "0.25", "--rate-limit", "1,1,0", "--latency", "600000", "--seed", "4294967295"];
    const r = await run(EMULATOR, [...args, "--help"]);
    expect([r.code, r.stderr, r.stdout.split("\n")[0]]).toEqual([0, "", "Usage: realtimekit-emulator [options]"]);
    // Each option's line: the flag, then at least one space before its help, however long the flag.
    const options = r.stdout.split("\n").filter((l) => l.startsWith("  -"));
    expect(options.length).toBeGreaterThan(10);
    for (const line of options) expect(line).toMatch(/^ {2}(-h, )?--[a-z0-9-]+( \S+)? +\S/);
    expect(r.stdout).toContain("--request-limit N/SECONDS[/account|token|client]|off one of the API's rate limits");
  });
});

describe("realtimekit-emulator --state errors name the file and never quote it", () => {
  const canary = "AKIA-CANARY-do-not-print";
  it.each([
    ["not JSON", `aws_secret_access_key = ${canary}\n`, "not JSON, so not an emulator state file"],
    ["JSON of another shape", JSON.stringify({ version: 1, accounts: { a: { b: { key: canary } } } }), "not an emulator state file (app b of account a has no app record)"],
    ["JSON without a version", JSON.stringify({ token: canary }), "not an emulator state file (no version 1)"],
  ])("%s", async (name, content, reason) => {
    const file = join(tmp, `${name.replace(/ /g, "-")}.json`);
    writeFileSync(file, content);
    const r = await run(EMULATOR, ["--state", file]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `realtimekit-emulator: state file ${file}: ${reason}\n` });
  });

  it("a folder", async () => {
    const dir = join(tmp, "a-folder");
    mkdirSync(dir);
    const r = await run(EMULATOR, ["--state", dir]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `realtimekit-emulator: state file ${dir}: cannot read it (EISDIR)\n` });
  });
});

describe("realtimekit-export usage errors: the same one-line format", () => {
  const env = { CLOUDFLARE_ACCOUNT_ID: "acct", CLOUDFLARE_API_TOKEN: "tok", CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" };
  it.each([
    [["--out", "x", "--all", "--app", "a1"], "--all exports every app: give --all or --app, not both"],
    [["--out", "x"], "give --app APP_ID (one or more) or --all"],
    [["--all"], "--out DIR is required"],
    [["--out", "x", "--app", ""], "--app wants an app id"],
    [["--out", "x", "--all", "--frobnicate"], "Unknown option '--frobnicate'"],
    [["--out"], "Option '--out <value>' argument missing"],
    [["--out", "x", "--all", "extra"], "Unexpected argument 'extra'"],
  ])("%j", async (args, message) => {
    const r = await run(EXPORT, args, env);
    expect(r).toEqual({ code: 2, stdout: "", stderr: usageLine("realtimekit-export", message) });
  });

  it("--out naming a file: one line, no stack, nothing asked of the API", async () => {
    const file = join(tmp, "program.txt");
    writeFileSync(file, "mine\n");
    // The base URL points at a closed port: had the export called the API first, the message would be a network error.
    const r = await run(EXPORT, ["--out", file, "--all"], env);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `realtimekit-export: ${file} is a file, not a folder\n` });
  });
});
