import type * as pulumi from "@pulumi/pulumi";
import { MeetingCreate, Meeting as MeetingSchema } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import type { MeetingFields, MeetingOutputs } from "./generated";
import { outputNames, secretOutputs } from "./shape";
import type { InAppArgs } from "./types";

export type MeetingArgs = MeetingFields & InAppArgs;

export interface Meeting extends MeetingOutputs {
  /** ID of the app the meeting belongs to. */
  readonly appId: pulumi.Output<string>;
}

/**
 * A meeting. The RealtimeKit API cannot delete meetings: deleting this resource sets the meeting INACTIVE, so nobody can join it. Changing `appId` replaces it; everything else is updated in place.
 * Write-only recording storage credentials are kept from the arguments and are secret outputs.
 */
export class Meeting extends RealtimeKitResource {
  constructor(name: string, args: MeetingArgs, opts?: pulumi.CustomResourceOptions) {
    super("Meeting", name, args, [...outputNames(MeetingSchema), "appId"], opts, secretOutputs(MeetingCreate));
  }
}
