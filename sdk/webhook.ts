import type * as pulumi from "@pulumi/pulumi";
import { Webhook as WebhookSchema } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import type { WebhookFields, WebhookOutputs } from "./generated";
import { outputNames } from "./shape";
import type { AccountOutputs, InAppArgs, InAppGetState } from "./types";

export type WebhookArgs = WebhookFields & InAppArgs;

export interface Webhook extends WebhookOutputs, AccountOutputs {
  /** ID of the app the webhook belongs to. */
  readonly appId: pulumi.Output<string>;
}

/**
 * A webhook: where RealtimeKit posts the events of an app. Name and URL are each unique within the app. Changing `appId` replaces it; everything else is updated in place.
 *
 * @example
 * ```ts
 * import * as rtk from "pulumi-realtimekit";
 *
 * const app = new rtk.App("support", { name: "support-calls" });
 * new rtk.Webhook("events", {
 *   appId: app.id,
 *   name: "events",
 *   url: "https://ops.example.com/realtimekit/events",
 *   events: ["meeting.started", "meeting.ended", "recording.statusUpdate"],
 * });
 *
 * // A webhook made elsewhere, read and not managed:
 * const audit = rtk.Webhook.get("audit", "<webhook-id>", { appId: app.id });
 * ```
 */
export class Webhook extends RealtimeKitResource {
  constructor(name: string, args: WebhookArgs, opts?: pulumi.CustomResourceOptions) {
    super("Webhook", name, args, [...outputNames(WebhookSchema), "appId", "accountId"], opts);
  }

  /**
   * An existing webhook, read by its id and not managed: `pulumi up` never changes
   * or deletes it, `pulumi refresh` reads it again.
   */
  static get(name: string, id: pulumi.Input<string>, state: InAppGetState, opts?: pulumi.CustomResourceOptions): Webhook {
    return new Webhook(name, { ...state } as WebhookArgs, { ...opts, id });
  }
}
