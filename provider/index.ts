// What the serialized stub (sdk/stub.ts) loads inside the dynamic-provider host:
// the configured provider for each resource kind.
import type * as pulumi from "@pulumi/pulumi";
import { resourceProvider } from "./resource";
import { app } from "./resources/app";
import { meeting } from "./resources/meeting";
import { preset } from "./resources/preset";
import { webhook } from "./resources/webhook";
import { configure } from "./settings";

export const providers = {
  App: resourceProvider(app),
  Preset: resourceProvider(preset),
  Meeting: resourceProvider(meeting),
  Webhook: resourceProvider(webhook),
};
export type KindName = keyof typeof providers;

/** The dynamic provider's `configure`: stack config, read at run time. */
export function configureFrom(req: pulumi.dynamic.ConfigureRequest): void {
  configure(req.config);
}

export { RealtimeKit, RealtimeKitError, all, paginate, DEFAULT_BASE_URL, type ClientOptions } from "./client";
export * as schema from "./schema";
