#!/usr/bin/env node
// realtimekit-emulator: runs the emulator until SIGINT/SIGTERM. The first line
// on stdout is the base URL, so scripts can read it. Flags are one table
// (name, value, help, range check, where it goes): the usage text and the
// parser are both read off it.
import { parseArgs } from "node:util";
import { LIMIT_SCOPES, type LimitScope } from "../provider/client/limits";
import { COMMANDS, CONTROL_USAGE, runControlCommand } from "./control-cli";
import type { EmulatorOptions, Faults } from "./options";
import { PROGRAM, reportUsage, UsageError, usageError } from "./usage";

type Options = EmulatorOptions & { faults: Faults };

interface Flag {
  /** Placeholder of the value in the usage text; a flag without one is a switch. */
  value?: string;
  help: string;
  /** May be given more than once: `set` is called for each. */
  multiple?: boolean;
  /** Parses and range-checks the value (switches: always true) into the options. */
  set(o: Options, value: string): void;
}

/** A number written in decimal (no hex, no exponent, no blanks) within [min, max]; integers only unless `fraction`. */
function numberIn(min: number, max: number, fraction = false) {
  const form = fraction ? /^-?(\d+(\.\d*)?|\.\d+)$/ : /^-?\d+$/;
  return (flag: string, text: string): number => {
    const n = Number(text);
    if (!form.test(text) || n < min || n > max) {
      throw new UsageError(`--${flag} wants ${fraction ? "a number" : "a whole number"} from ${min} to ${max}, got "${text}"`);
    }
    return n;
  };
}

const MS = numberIn(0, 600_000); // delays: up to 10 minutes, so a typo cannot hang a test run for hours
const SHARE = numberIn(0, 1, true);
const PORT = numberIn(0, 65_535);
const SEED = numberIn(0, 2 ** 32 - 1);

const FLAGS: Record<string, Flag> = {
  port: { value: "N", help: "port on 127.0.0.1 (default 0: any free port)", set: (o, v) => (o.port = PORT("port", v)) },
  token: { value: "T", help: 'the bearer token accepted (default "test-token")', set: (o, v) => (o.token = nonEmpty("token", v)) },
  state: { value: "FILE", help: "JSON file to load at start and save after every write", set: (o, v) => (o.statePath = nonEmpty("state", v)) },
  latency: { value: "MS", help: "delay every answer (0..600000)", set: (o, v) => (o.faults.latencyMs = MS("latency", v)) },
  "latency-jitter": {
    value: "MS",
    help: "add a random 0..MS to every delay (0..600000)",
    set: (o, v) => (o.faults.latencyJitterMs = MS("latency-jitter", v)),
  },
  "arrival-jitter": {
    value: "MS",
    help: "delay every request a random 0..MS before it arrives (0..600000)",
    set: (o, v) => (o.faults.arrivalJitterMs = MS("arrival-jitter", v)),
  },
  "error-rate": { value: "R", help: "share (0..1) of requests answered 500/503", set: (o, v) => (o.faults.errorRate = SHARE("error-rate", v)) },
  "request-limit": {
    value: `N/SECONDS[/${LIMIT_SCOPES.join("|")}]|off`,
    help: "one of the API's rate limits, 429 beyond it (repeatable; replaces the default, Cloudflare's documented 3500/300/account, 1200/300/token and 200/1/client)",
    multiple: true,
    set: (o, v) => (o.requestLimit = requestLimit(v, o.requestLimit)),
  },
  "rate-limit": {
    value: "EVERY,BURST,RETRY",
    help: "after every EVERY requests, BURST requests get 429 with Retry-After: RETRY (seconds, 0..3600)",
    set: (o, v) => (o.faults.rateLimit = rateLimit(v)),
  },
  "drop-after-commit": {
    value: "R",
    help: "share (0..1) of writes committed, then cut off without an answer",
    set: (o, v) => (o.faults.dropAfterCommitRate = SHARE("drop-after-commit", v)),
  },
  "drop-before-commit": {
    value: "R",
    help: "share (0..1) of writes cut off without an answer before being done",
    set: (o, v) => (o.faults.dropBeforeCommitRate = SHARE("drop-before-commit", v)),
  },
  seed: { value: "N", help: "seed of the fault decisions (0..4294967295)", set: (o, v) => (o.faults.seed = SEED("seed", v)) },
  // Modes of the live API; its other behaviours are always on (docs/api-behaviour.md).
  "no-realtimekit": {
    value: "ACCOUNT",
    help: "answer 403 for this account, as when RealtimeKit is not enabled (repeatable)",
    multiple: true,
    set: (o, v) => (o.noRealtimekit = [...(o.noRealtimekit ?? []), nonEmpty("no-realtimekit", v)]),
  },
  "new-token-403": {
    value: "MS",
    help: "answer 403 for MS after the token is first used, as for a new token (0..600000)",
    set: (o, v) => (o.newToken403Ms = MS("new-token-403", v)),
  },
  "consistency-lag": {
    value: "MS",
    help: "lists show a new or deleted object only MS after the change (0..600000)",
    set: (o, v) => (o.consistencyLagMs = MS("consistency-lag", v)),
  },
  "partial-write-answers": {
    help: "answer PATCH and PUT with only the fields the request named",
    set: (o) => (o.partialWriteAnswers = true),
  },
  "allow-remote-webhooks": {
    help: "deliver webhooks to any host (default: 127.0.0.1, localhost and [::1] only)",
    set: (o) => (o.allowRemoteWebhooks = true),
  },
  verbose: { help: "write a line per webhook delivery to stderr", set: (o) => (o.verbose = true) },
};

function nonEmpty(flag: string, text: string): string {
  if (!text) throw new UsageError(`--${flag} wants a value`);
  return text;
}

/** One more window (or off), after those of the flags before it; off does not mix with windows. */
function requestLimit(text: string, before: EmulatorOptions["requestLimit"]): EmulatorOptions["requestLimit"] {
  const windows = before === undefined ? [] : before === false ? undefined : Array.isArray(before) ? before : [before];
  if (windows === undefined || (text === "off" && windows.length)) throw new UsageError("--request-limit off lifts every limit: give it alone");
  if (text === "off") return false;
  const [requests, seconds, per = "account", ...rest] = text.split("/");
  if (seconds === undefined || rest.length || !LIMIT_SCOPES.includes(per as LimitScope)) {
    throw new UsageError(`--request-limit wants N/SECONDS[/${LIMIT_SCOPES.join("|")}] (e.g. 1200/300/token) or off, got "${text}"`);
  }
  const limit = {
    requests: numberIn(1, 1_000_000)("request-limit N", requests),
    windowMs: numberIn(1, 3600)("request-limit SECONDS", seconds) * 1000,
    per: per as LimitScope,
  };
  return [...windows, limit];
}

function rateLimit(text: string): NonNullable<Faults["rateLimit"]> {
  const parts = text.split(",");
  if (parts.length !== 3) throw new UsageError(`--rate-limit wants EVERY,BURST,RETRY (three whole numbers), got "${text}"`);
  return {
    every: numberIn(1, 1_000_000)("rate-limit EVERY", parts[0]),
    burst: numberIn(1, 1_000_000)("rate-limit BURST", parts[1]),
    retryAfterSeconds: numberIn(0, 3600)("rate-limit RETRY", parts[2]),
  };
}

const USAGE = `Usage: ${PROGRAM} [options]

Local emulator of the Cloudflare RealtimeKit REST API (apps, presets, meetings, webhooks, participants).
Prints its base URL (http://127.0.0.1:PORT/client/v4) as the first line on stdout.

Options:
${[...Object.entries(FLAGS).map(([name, f]) => [`--${name}${f.value ? ` ${f.value}` : ""}`, f.help]), ["-h, --help", "show this help"]]
  .map(([flag, help]) => `  ${flag.padEnd(31)} ${help}`)
  .join("\n")}

${CONTROL_USAGE}`;

function parseOptions(argv: string[]): EmulatorOptions | undefined {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(
          Object.entries(FLAGS).map(([name, f]) => [name, { type: f.value ? ("string" as const) : ("boolean" as const), multiple: !!f.multiple }]),
        ),
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw usageError(e);
  }
  if (values.help) return undefined;
  const options: Options = { faults: {} };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || name === "help") continue;
    for (const one of Array.isArray(value) ? value : [value]) FLAGS[name].set(options, String(one));
  }
  return options;
}

async function main(): Promise<void> {
  if (Object.hasOwn(COMMANDS, process.argv[2] ?? "")) {
    process.exitCode = await runControlCommand(process.argv.slice(2));
    return;
  }
  let options: EmulatorOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.exit(reportUsage(e));
  }
  if (!options) {
    process.stdout.write(USAGE);
    return;
  }
  // Loaded only to serve: the control commands start quickly without it.
  const { startEmulator } = await import("./index");
  const emulator = await startEmulator(options);
  process.stdout.write(`${emulator.url}\n`);
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${PROGRAM}: ${(e as Error).message ?? e}\n`);
  process.exit(1);
});
