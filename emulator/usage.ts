// A bad command line of realtimekit-emulator (its own, or a control command's):
// one line on stderr naming what is wrong, exit 2.

export const PROGRAM = "realtimekit-emulator";

/** A bad command line: its message is the line's. */
export class UsageError extends Error {}

/**
 * A usage error from what `node:util` parseArgs threw, in Node's own wording, first sentence ("Unknown
 * option '--x'", "Option '--port <value>' argument missing"); anything else as it is.
 */
export function usageError(e: unknown): unknown {
  const parsing = (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true;
  return parsing ? new UsageError((e as Error).message.split(/\.(\s|$)/)[0]) : e;
}

/** Prints `e` as the one line, `realtimekit-emulator[ <command>]: <message> (see realtimekit-emulator --help)`; the exit code, 2. */
export function reportUsage(e: UsageError, command?: string): number {
  process.stderr.write(`${PROGRAM}${command ? ` ${command}` : ""}: ${e.message} (see ${PROGRAM} --help)\n`);
  return 2;
}
