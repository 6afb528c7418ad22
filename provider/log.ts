// Warnings shown to the user by `pulumi up`. Inside the dynamic-provider host
// @pulumi/pulumi's log reaches the engine; outside it (tests without an engine)
// stderr is the fallback.
export async function warn(message: string): Promise<void> {
  try {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    await pulumi.log.warn(message);
  } catch {
    process.stderr.write(`warning: ${message}\n`);
  }
}
