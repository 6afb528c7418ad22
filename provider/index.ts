// What the serialized stub (sdk/stub.ts) loads inside the dynamic-provider host:
// the configured provider for each resource kind.
import type * as pulumi from "@pulumi/pulumi";
import { kinds, type KindName } from "./kinds";
import { resourceProvider, type Lifecycle } from "./resource";
import { configure } from "./settings";

export const providers = Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [name, resourceProvider(kind)])) as Record<KindName, Lifecycle>;
export { kinds, type KindName };

/** The dynamic provider's `configure`: stack config, read at run time. */
export function configureFrom(req: pulumi.dynamic.ConfigureRequest): void {
  configure(req.config);
}

export { RealtimeKit, RealtimeKitError, all, paginate, DEFAULT_BASE_URL, type ClientOptions } from "./client";
export * as schema from "./schema";
