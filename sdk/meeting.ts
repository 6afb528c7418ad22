import type * as pulumi from "@pulumi/pulumi";
import { Meeting as MeetingSchema } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import type { MeetingFields, MeetingOutputs } from "./generated";
import { outputNames } from "./shape";
import type { AccountOutputs, InAppArgs, InAppGetState } from "./types";

export type MeetingArgs = MeetingFields & InAppArgs;

export interface Meeting extends MeetingOutputs, AccountOutputs {
  /** ID of the app the meeting belongs to. */
  readonly appId: pulumi.Output<string>;
}

/**
 * A meeting. The RealtimeKit API cannot delete meetings: deleting this resource sets the meeting INACTIVE, so nobody can join it. Changing `appId` replaces it; everything else is updated in place.
 * Write-only recording storage credentials are kept from the arguments, and are secret in the state (inputs and outputs) whether or not the program wraps them.
 *
 * @example
 * ```ts
 * import * as rtk from "pulumi-realtimekit";
 *
 * const app = new rtk.App("support", { name: "support-calls" });
 * const standup = new rtk.Meeting("standup", {
 *   appId: app.id,
 *   title: "Daily standup",
 *   recordOnStart: true,
 *   recordingConfig: { maxSeconds: 1800, fileNamePrefix: "daily-standup" },
 * });
 * export const meetingId = standup.id;
 *
 * // A meeting made elsewhere, read and not managed:
 * const allHands = rtk.Meeting.get("all-hands", "<meeting-id>", { appId: app.id });
 * ```
 */
export class Meeting extends RealtimeKitResource {
  constructor(name: string, args: MeetingArgs, opts?: pulumi.CustomResourceOptions) {
    super("Meeting", name, args, [...outputNames(MeetingSchema), "appId", "accountId"], opts);
  }

  /**
   * An existing meeting, read by its id and not managed: `pulumi up` never changes
   * or deletes it, `pulumi refresh` reads it again.
   */
  static get(name: string, id: pulumi.Input<string>, state: InAppGetState, opts?: pulumi.CustomResourceOptions): Meeting {
    return new Meeting(name, { ...state } as MeetingArgs, { ...opts, id });
  }
}
