// Hand-written types shared by the resource classes; the argument and output
// types of each resource are generated (sdk/generated.ts).
import type * as pulumi from "@pulumi/pulumi";

export type { CamelKeys } from "../provider/schema";

/** Arguments of every resource. */
export interface AccountArgs {
  /**
   * The Cloudflare account the object lives in; default: the stack's
   * (`realtimekit:accountId`, else CLOUDFLARE_ACCOUNT_ID). Changing it replaces
   * the resource. The API token (`realtimekit:apiToken`) is the stack's: one
   * token with access to several accounts serves them all.
   */
  accountId?: pulumi.Input<string>;
}

/** Outputs of every resource. */
export interface AccountOutputs {
  /** The Cloudflare account the object lives in. */
  readonly accountId: pulumi.Output<string>;
}

/** What `App.get` may take besides the id. */
export interface GetState {
  /** The account to read from; default: the stack's. */
  accountId?: pulumi.Input<string>;
}

/** What `Preset.get`, `Webhook.get` and `Meeting.get` need besides the id: the app (and may take: the account). */
export interface InAppGetState extends GetState {
  /** ID of the app the object belongs to. */
  appId: pulumi.Input<string>;
}

/** Arguments of every resource that lives in an app. */
export interface InAppArgs extends AccountArgs {
  /** ID of the RealtimeKit app. Changing it replaces the resource. */
  appId: pulumi.Input<string>;
  /**
   * Adopts an existing object instead of creating one: `"<appId>/<id>"`.
   * The first `pulumi up` reads it and changes only what differs from the
   * arguments; Pulumi's own `import` option does not work for dynamic resources.
   */
  importId?: pulumi.Input<string>;
}
