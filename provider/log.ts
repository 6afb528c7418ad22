// Warnings shown to the user by `pulumi up`. Inside the dynamic-provider host
// @pulumi/pulumi's log reaches the engine; outside it (tests without an engine)
// stderr is the fallback. The log module alone: the plugin loads no more of
// @pulumi/pulumi than it needs (its executable bundles only what it loads).
export async function warn(message: string): Promise<void> {
  try {
    const log = require("@pulumi/pulumi/log") as typeof import("@pulumi/pulumi/log");
    await log.warn(message);
  } catch {
    process.stderr.write(`warning: ${message}\n`);
  }
}
