// The engine's address, where the plugin's warnings go (provider/log.ts, through
// @pulumi/pulumi's log): the plugin's argument when the engine starts it, or what
// Attach sends when the engine attaches to a plugin started by hand.
import { inExecutable } from "./package-files";

/** Sends @pulumi/pulumi's log (and so the plugin's warnings) to the engine at `address`. */
export function useEngine(address: string): void {
  process.env.PULUMI_NODEJS_ENGINE = address;
  // Once loaded (run-plugin loads it before the plugin; a first warning loads it), @pulumi/pulumi
  // has read its options from the environment: it is told, as its own provider server tells it
  // on Configure (provider/server.js, configureRuntime); only the engine's address changes. The
  // executable `npm run dist` builds carries the settings module in its bundle, where no
  // require.resolve can find it.
  if (inExecutable() || require.cache[require.resolve("@pulumi/pulumi/runtime/settings")]) {
    const settings = require("@pulumi/pulumi/runtime/settings") as typeof import("@pulumi/pulumi/runtime/settings");
    settings.resetOptions(settings.getProject(), settings.getStack(), -1, address, "", settings.isDryRun(), "");
  }
}
