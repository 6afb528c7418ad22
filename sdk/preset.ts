import type * as pulumi from "@pulumi/pulumi";
import { Preset as PresetSchema } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import type { PresetFields, PresetOutputs } from "./generated";
import { outputNames } from "./shape";
import type { AccountOutputs, InAppArgs, InAppGetState } from "./types";

export type PresetArgs = PresetFields & InAppArgs;

export interface Preset extends PresetOutputs, AccountOutputs {
  /** ID of the app the preset belongs to. */
  readonly appId: pulumi.Output<string>;
}

/**
 * A preset: what participants who join with it can see and do (view type, media, UI, permissions). Changing `appId` replaces it; everything else is updated in place.
 *
 * Only `appId` and `name` are required. `role` picks a template (default: `groupCallParticipant`;
 * the templates are exported as functions, e.g. `webinarViewer()`), and `config`, `ui` and
 * `permissions` are merged over it key by key: `permissions: { canRecord: true }` is the role's
 * permissions with recording allowed. The merged object is what the resource manages: a change
 * made in the dashboard to a field left to the template shows on refresh and is reverted by `up`.
 *
 * @example
 * ```ts
 * import * as rtk from "pulumi-realtimekit";
 *
 * const app = new rtk.App("support", { name: "support-calls" });
 * // The host role's whole preset, with a brand colour of its own.
 * const host = new rtk.Preset("host", {
 *   appId: app.id,
 *   name: "host",
 *   role: "groupCallHost",
 *   ui: { designTokens: { colors: { brand: { "500": "#0a84ff" } } } },
 * });
 *
 * // A preset made elsewhere, read and not managed:
 * const viewer = rtk.Preset.get("viewer", "<preset-id>", { appId: app.id });
 * ```
 */
export class Preset extends RealtimeKitResource {
  constructor(name: string, args: PresetArgs, opts?: pulumi.CustomResourceOptions) {
    super("Preset", name, args, [...outputNames(PresetSchema), "appId", "accountId"], opts);
  }

  /**
   * An existing preset, read by its id and not managed: `pulumi up` never changes
   * or deletes it, `pulumi refresh` reads it again.
   */
  static get(name: string, id: pulumi.Input<string>, state: InAppGetState, opts?: pulumi.CustomResourceOptions): Preset {
    return new Preset(name, { ...state } as PresetArgs, { ...opts, id });
  }
}
