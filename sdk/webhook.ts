import type * as pulumi from "@pulumi/pulumi";
import { WebhookCreate, Webhook as WebhookSchema } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import type { WebhookFields, WebhookOutputs } from "./generated";
import { outputNames, secretOutputs } from "./shape";
import type { InAppArgs } from "./types";

export type WebhookArgs = WebhookFields & InAppArgs;

export interface Webhook extends WebhookOutputs {
  /** ID of the app the webhook belongs to. */
  readonly appId: pulumi.Output<string>;
}

/**
 * A webhook: where RealtimeKit posts the events of an app. Name and URL are each unique within the app. Changing `appId` replaces it; everything else is updated in place.
 */
export class Webhook extends RealtimeKitResource {
  constructor(name: string, args: WebhookArgs, opts?: pulumi.CustomResourceOptions) {
    super("Webhook", name, args, [...outputNames(WebhookSchema), "appId"], opts, secretOutputs(WebhookCreate));
  }
}
