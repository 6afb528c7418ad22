import type * as pulumi from "@pulumi/pulumi";
import { WebhookCreate, Webhook as WebhookSchema } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import { outputNames, secretOutputs, type ArgsOf, type OutputsOf } from "./shape";
import type { InAppArgs } from "./types";

export type WebhookArgs = ArgsOf<typeof WebhookCreate> & InAppArgs;

export interface Webhook extends OutputsOf<typeof WebhookSchema> {
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
