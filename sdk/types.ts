// Hand-written types shared by the resource classes; the argument and output
// types of each resource are generated (sdk/generated.ts).
import type * as pulumi from "@pulumi/pulumi";

export type { CamelKeys } from "../provider/schema";

/** What `Preset.get`, `Webhook.get` and `Meeting.get` need besides the id: the app. */
export interface InAppGetState {
  /** ID of the app the object belongs to. */
  appId: pulumi.Input<string>;
}

/** Arguments of every resource that lives in an app. */
export interface InAppArgs {
  /** ID of the RealtimeKit app. Changing it replaces the resource. */
  appId: pulumi.Input<string>;
  /**
   * Adopts an existing object instead of creating one: `"<appId>/<id>"`.
   * The first `pulumi up` reads it and changes only what differs from the
   * arguments; Pulumi's own `import` option does not work for dynamic resources.
   */
  importId?: pulumi.Input<string>;
}
