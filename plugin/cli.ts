#!/usr/bin/env node
// pulumi-resource-realtimekit: the provider as a Pulumi resource plugin. The
// engine finds it on PATH by that name (or, in a clone of the repository, runs
// it from pulumi-plugin/PulumiPlugin.yaml through the Node.js language host,
// whose @pulumi/pulumi/cmd/run-plugin requires this file), starts it with the
// engine's own gRPC address as the argument, and reads the port it serves on
// from the first line of its stdout.
import { useEngine } from "./engine";
import { serve } from "./server";

/**
 * The engine's address among the arguments: the flags the engine puts before it
 * (`--logtostderr` and `-v=<n>` with `pulumi --logflow`, `--tracing <endpoint>`;
 * pkg/resource/plugin/plugin.go, buildPluginArguments) are skipped, as
 * @pulumi/pulumi's provider/internals.js parseArgs skips them.
 */
function engineAddress(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--logtostderr" || args[i].startsWith("-v=")) continue;
    if (args[i] === "--tracing") {
      i++;
      continue;
    }
    return args[i];
  }
  return undefined;
}

const engine = engineAddress(process.argv.slice(2));
// The engine shows a resource plugin's stderr only in its debug logs: warnings
// (provider/log.ts, through @pulumi/pulumi's log, loaded on first use) go to the engine's Log instead.
// Started by hand for PULUMI_DEBUG_PROVIDERS, the plugin has no address until the engine's Attach.
if (engine && !process.env.PULUMI_NODEJS_ENGINE) useEngine(engine);

serve().then(
  ({ port }) => process.stdout.write(`${port}\n`),
  (e: unknown) => {
    process.stderr.write(`pulumi-resource-realtimekit: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
