// The two front doors of the one lifecycle, as a program meets them: the
// dynamic provider (the TS SDK's classes, through @pulumi/pulumi's
// dynamic-provider host) and the plugin (classes as `pulumi package gen-sdk`
// generates them from schema.json, through pulumi-resource-realtimekit).
import { afterAll, beforeAll } from "vitest";
import { loadPulumi, runProgram, type RunOptions } from "../harness";
import { generatedSdk, type GeneratedSdk } from "../support/generated-sdk";
import { root, sdk, startPluginStack, startStack, type Stack } from "../support/stack";

export interface DoorStack {
  em: Stack["em"];
  account: string;
  token: string;
  /** The provider(s) of runProgram and refresh. */
  doors: Pick<RunOptions, "host" | "plugin">;
  /** The resource classes a program uses (call inside the program). */
  sdk(): GeneratedSdk;
  /** Warnings shown to the user so far. */
  warnings(): string;
  /** Everything the provider process wrote or sent the engine: output and logs. */
  output(): string;
  close(): Promise<void>;
}

export interface Door {
  name: string;
  start(): Promise<DoorStack>;
}

export const dynamicDoor: Door = {
  name: "the dynamic provider",
  async start() {
    const s = await startStack();
    return {
      ...s,
      doors: { host: s.host },
      sdk: () => sdk() as unknown as GeneratedSdk,
      // Inside the dynamic host, pulumi.log reaches no engine: warnings land on its stderr (see engine/host.ts).
      warnings: () => s.host.stderr,
      output: () => s.host.stderr + s.host.stdout + JSON.stringify(s.host.logs),
    };
  },
};

export const pluginDoor: Door = {
  name: "the plugin",
  async start() {
    const s = await startPluginStack();
    return {
      ...s,
      doors: { plugin: s.plugin },
      sdk: () => generatedSdk(loadPulumi(root)),
      // A plugin's stderr is only in the engine's debug log: warnings go to the engine's Log.
      warnings: () => s.plugin.logs.filter((l) => l.severity === "warning").map((l) => l.message).join("\n"),
      output: () => s.plugin.stderr + s.plugin.stdout + JSON.stringify(s.plugin.logs),
    };
  },
};

/**
 * Starts the door's stack before the enclosing suite (handed to `use`) and closes it after;
 * the function returned runs a program through it, as `pulumi up` (or, with `preview`, `pulumi preview`).
 */
export function openDoor(door: Door, use: (stack: DoorStack) => void) {
  let stack: DoorStack | undefined;
  beforeAll(async () => use((stack = await door.start())));
  afterAll(() => stack?.close());
  return (program: () => void, opts: Omit<RunOptions, "host" | "plugin"> = {}) => runProgram(program, { ...stack!.doors, ...opts });
}
