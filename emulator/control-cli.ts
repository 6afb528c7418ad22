// `realtimekit-emulator join|leave|end|deliveries|webhook-public-key`: the
// control API (control.ts) from a terminal, against a running emulator. Prints
// the answer (JSON, or the PEM key) on stdout; a refusal is one line on stderr
// with the emulator's message, exit 1; a bad command line, exit 2.
import { parseArgs } from "node:util";
import { CONTROL_METHODS, CONTROL_PREFIX, type ControlRoute } from "./control";
import { PROGRAM, reportUsage, UsageError, usageError } from "./usage";

/** Longest a command waits for the emulator. */
const TIMEOUT_MS = 10_000;

interface Command {
  /** The positional argument it takes, if any, and the body field it fills. */
  argument?: { name: string; field: string };
  help: string;
}

export const COMMANDS: Record<ControlRoute, Command> = {
  join: { argument: { name: "PARTICIPANT_TOKEN", field: "token" }, help: "join the meeting with a participant's token (the first join starts the session)" },
  leave: { argument: { name: "PARTICIPANT_TOKEN", field: "token" }, help: "leave it" },
  end: { argument: { name: "MEETING_ID", field: "meeting_id" }, help: "end the meeting's session now" },
  deliveries: { help: "list the webhook deliveries, oldest first" },
  "webhook-public-key": { help: "print the PEM public key deliveries are signed with" },
};

export const CONTROL_USAGE = `Commands, against a running emulator:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${`${PROGRAM} ${name}${c.argument ? ` ${c.argument.name}` : ""}`.padEnd(50)}${c.help}`)
  .join("\n")}
  with --url URL (the emulator's, as it printed it; default $CLOUDFLARE_BASE_URL, else http://127.0.0.1:8787)
  and --token T (its token; default $CLOUDFLARE_API_TOKEN, else "test-token")
`;

/** Runs `argv` (the command first); the process's exit code. */
export async function runControlCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS[name as ControlRoute];
  try {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { url: { type: "string" }, token: { type: "string" } } });
    const wanted = command.argument ? 1 : 0;
    if (positionals.length !== wanted) throw new UsageError(`${name} takes ${command.argument ? `one argument, ${command.argument.name}` : "no argument"}`);
    const origin = originOf(values.url || process.env.CLOUDFLARE_BASE_URL || "http://127.0.0.1:8787");
    const token = values.token || process.env.CLOUDFLARE_API_TOKEN || "test-token";
    return await call(name, command, origin, token, positionals[0]);
  } catch (e) {
    const usage = usageError(e);
    if (!(usage instanceof UsageError)) throw e;
    return reportUsage(usage, name);
  }
}

/** The emulator's origin, from its base URL as printed (…/client/v4) or the origin itself. */
function originOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url wants the emulator's URL, e.g. http://127.0.0.1:8787/client/v4, got "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--url wants an http URL, got "${text}"`);
  return url.origin;
}

async function call(name: string, command: Command, origin: string, token: string, argument: string | undefined): Promise<number> {
  const body = command.argument && JSON.stringify({ [command.argument.field]: argument });
  let res: Response;
  try {
    res = await fetch(`${origin}${CONTROL_PREFIX}${name}`, {
      method: CONTROL_METHODS[name as ControlRoute],
      headers: { authorization: `Bearer ${token}`, ...(body && { "content-type": "application/json" }) },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    const why = (e as Error).name === "TimeoutError" ? `no answer within ${TIMEOUT_MS} ms` : (((e as Error).cause as Error)?.message ?? (e as Error).message);
    process.stderr.write(`${PROGRAM} ${name}: cannot reach the emulator at ${origin} (${why}); is it running?\n`);
    return 1;
  }
  const text = await res.text();
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      message += `: ${JSON.parse(text).error.message}`;
    } catch {
      // not the emulator's error envelope: the status says enough
    }
    process.stderr.write(`${PROGRAM} ${name}: ${message}\n`);
    return 1;
  }
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  return 0;
}
