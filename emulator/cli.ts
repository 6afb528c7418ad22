#!/usr/bin/env node
// realtimekit-emulator: runs the emulator until SIGINT/SIGTERM. The first line
// on stdout is the base URL, so scripts can read it.
import { parseArgs } from "node:util";
import { startEmulator } from "./index";
import type { EmulatorOptions, Faults } from "./options";

const USAGE = `Usage: realtimekit-emulator [options]

Local emulator of the Cloudflare RealtimeKit REST API (apps, presets, meetings, webhooks).
Prints its base URL (http://127.0.0.1:PORT/client/v4) as the first line on stdout.

Options:
  --port N                        port on 127.0.0.1 (default 0: any free port)
  --token T                       the bearer token accepted (default "test-token")
  --state FILE                    JSON file to load at start and save after every write
  --latency MS                    delay every answer
  --latency-jitter MS             add a random 0..MS to every delay
  --error-rate R                  share (0..1) of requests answered 500/503
  --rate-limit EVERY,BURST,RETRY  after every EVERY requests, BURST requests get 429 with Retry-After: RETRY
  --drop-after-commit R           share (0..1) of writes committed, then cut off without an answer
  --drop-before-commit R          share (0..1) of writes cut off without an answer before being done
  --seed N                        seed of the fault decisions
  --incomplete-webhook-put        answer webhook PUT with only {id, name}
  -h, --help                      show this help
`;

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new Error(`--${flag} wants a number, got "${text}"`);
  return n;
}

function parseOptions(argv: string[]): EmulatorOptions | undefined {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      token: { type: "string" },
      state: { type: "string" },
      latency: { type: "string" },
      "latency-jitter": { type: "string" },
      "error-rate": { type: "string" },
      "rate-limit": { type: "string" },
      "drop-after-commit": { type: "string" },
      "drop-before-commit": { type: "string" },
      seed: { type: "string" },
      "incomplete-webhook-put": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (v.help) return undefined;
  const faults: Faults = {
    latencyMs: number("latency", v.latency),
    latencyJitterMs: number("latency-jitter", v["latency-jitter"]),
    errorRate: number("error-rate", v["error-rate"]),
    dropAfterCommitRate: number("drop-after-commit", v["drop-after-commit"]),
    dropBeforeCommitRate: number("drop-before-commit", v["drop-before-commit"]),
    seed: number("seed", v.seed),
  };
  if (v["rate-limit"] !== undefined) {
    const [every, burst, retryAfterSeconds] = v["rate-limit"].split(",").map((part) => number("rate-limit", part));
    if (every === undefined || burst === undefined || retryAfterSeconds === undefined) {
      throw new Error("--rate-limit wants EVERY,BURST,RETRY_AFTER_SECONDS");
    }
    faults.rateLimit = { every, burst, retryAfterSeconds };
  }
  return {
    port: number("port", v.port),
    token: v.token,
    statePath: v.state,
    faults,
    incompleteWebhookPut: v["incomplete-webhook-put"],
  };
}

async function main(): Promise<void> {
  let options: EmulatorOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (!options) {
    process.stdout.write(USAGE);
    return;
  }
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
  process.stderr.write(`realtimekit-emulator: ${(e as Error).message ?? e}\n`);
  process.exit(1);
});
