// A test "stack": the emulator on 127.0.0.1 and Pulumi's dynamic-provider host
// (or the package's plugin) configured against it, the way `pulumi up` would run
// with stack config.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { startHost, startPlugin, type Host, type Plugin, type StartPluginOptions } from "../harness";

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

/** The emulator, and the credentials of a stack that uses it. */
async function emulated(opts: { emulator?: EmulatorOptions }) {
  const token = `tok-${process.pid}-${++n}-secret`;
  const account = `acct-${process.pid}-${n}`;
  const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../../emulator");
  const em = await startEmulator({ port: 0, token, ...opts.emulator });
  return { em, token, account };
}

export async function startStack(opts: { cwd?: string; emulator?: EmulatorOptions } = {}): Promise<Stack> {
  const { em, token, account } = await emulated(opts);
  const host = await startHost({
    cwd: opts.cwd ?? root,
    config: { "realtimekit:accountId": account, "realtimekit:apiToken": token, "realtimekit:baseUrl": em.url },
  });
  return { em, host, account, token, close: async () => void (await Promise.all([host.stop(), em.close()])) };
}

export interface PluginStack extends Omit<Stack, "host"> {
  plugin: Plugin;
  /** The stack config the plugin was started with (the token is a secret). */
  config: Record<string, string>;
}

/** The emulator and the package's plugin (pulumi-resource-realtimekit), configured with the token as a secret. */
export async function startPluginStack(opts: { emulator?: EmulatorOptions; plugin?: Partial<StartPluginOptions> } = {}): Promise<PluginStack> {
  const { em, token, account } = await emulated(opts);
  const config = { "realtimekit:accountId": account, "realtimekit:apiToken": token, "realtimekit:baseUrl": em.url };
  const plugin = await startPlugin({ cwd: root, config, secretKeys: ["realtimekit:apiToken"], ...opts.plugin }).catch(async (e) => {
    await em.close();
    throw e;
  });
  return { em, plugin, account, token, config, close: async () => void (await Promise.all([plugin.stop(), em.close()])) };
}

/** Makes the app a platform team would have made (through the provider's client), which the examples look up by name; its id. */
export async function platformApp(stack: Omit<Stack, "host" | "close">, name: string): Promise<string> {
  const { RealtimeKit } = nodeRequire(path.join(root, "dist/provider")) as typeof import("../../provider");
  const api = new RealtimeKit({ accountId: stack.account, apiToken: stack.token, baseUrl: stack.em.url });
  return (await api.apps.create({ name })).id;
}

/** The package's SDK as users import it, loaded through Node's require. */
export const sdk = (): typeof import("../../sdk") => nodeRequire(path.join(root, "dist/sdk"));

/** Copies the repository's files as git sees them (tracked, and untracked but not ignored: no node_modules, no dist/) into `dest`. */
export function copyRepository(dest: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(root, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(dest, f));
  }
}
