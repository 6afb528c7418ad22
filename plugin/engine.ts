// The engine's address, where the plugin's warnings go (provider/log.ts, through
// @pulumi/pulumi's log): the plugin's argument when the engine starts it, or what
// Attach sends when the engine attaches to a plugin started by hand.

/** Sends @pulumi/pulumi's log (and so the plugin's warnings) to the engine at `address`. */
export function useEngine(address: string): void {
  process.env.PULUMI_NODEJS_ENGINE = address;
  // Once loaded (run-plugin loads it before the plugin; a first warning loads it), @pulumi/pulumi
  // has read its options from the environment: it is told, as its own provider server tells it
  // on Configure (provider/server.js, configureRuntime); only the engine's address changes.
  if (require.cache[require.resolve("@pulumi/pulumi/runtime/settings")]) {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    pulumi.runtime.resetOptions(pulumi.getProject(), pulumi.getStack(), -1, address, "", pulumi.runtime.isDryRun(), "");
  }
}
