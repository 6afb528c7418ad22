#!/usr/bin/env node
// pulumi-resource-realtimekit: the provider as a Pulumi resource plugin. The
// engine finds it on PATH by that name, starts it with the engine's own gRPC
// address as the argument, and reads the port it serves on from the first line
// of its stdout.
import { serve } from "./server";

const engine = process.argv[2];
// The engine shows a resource plugin's stderr only in its debug logs: warnings
// (provider/log.ts, through @pulumi/pulumi's log, loaded on first use) go to the engine's Log instead.
if (engine && !process.env.PULUMI_NODEJS_ENGINE) process.env.PULUMI_NODEJS_ENGINE = engine;

serve().then(
  ({ port }) => process.stdout.write(`${port}\n`),
  (e: unknown) => {
    process.stderr.write(`pulumi-resource-realtimekit: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
