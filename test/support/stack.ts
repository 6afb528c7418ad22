// A test "stack": the emulator on 127.0.0.1 and Pulumi's dynamic-provider host
// configured against it, the way `pulumi up` would run with stack config.
import { createRequire } from "node:module";
import * as path from "node:path";
import { startHost, type Host } from "../harness";

// Compiled code through Node's own require: vitest's transform breaks closure serialization.
export const nodeRequire = createRequire(__filename);
export const root = path.resolve(__dirname, "../..");

type Emulator = Awaited<ReturnType<typeof import("../../emulator").startEmulator>>;
type EmulatorOptions = Parameters<typeof import("../../emulator").startEmulator>[0];

export interface Stack {
  em: Emulator;
  host: Host;
  account: string;
  token: string;
  close(): Promise<void>;
}

let n = 0;

export async function startStack(opts: { cwd?: string; emulator?: EmulatorOptions } = {}): Promise<Stack> {
  const token = `tok-${process.pid}-${++n}-secret`;
  const account = `acct-${process.pid}-${n}`;
  const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../../emulator");
  const em = await startEmulator({ port: 0, token, ...opts.emulator });
  const host = await startHost({
    cwd: opts.cwd ?? root,
    config: { "realtimekit:accountId": account, "realtimekit:apiToken": token, "realtimekit:baseUrl": em.url },
  });
  return { em, host, account, token, close: async () => void (await Promise.all([host.stop(), em.close()])) };
}

/** The package's SDK as users import it, loaded through Node's require. */
export const sdk = (): typeof import("../../sdk") => nodeRequire(path.join(root, "dist/sdk"));
