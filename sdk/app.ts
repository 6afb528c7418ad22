import type * as pulumi from "@pulumi/pulumi";
import { App as AppSchema } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import type { AppFields, AppOutputs } from "./generated";
import { outputNames } from "./shape";

export type AppArgs = AppFields & {
  /** Adopts an existing app instead of creating one: its id. */
  importId?: pulumi.Input<string>;
};

export interface App extends AppOutputs {}

/**
 * A RealtimeKit app, the container of presets, meetings and webhooks.
 * The API can neither rename nor delete apps: a new `name` creates a new app,
 * and deleting this resource only drops the app from the stack (a warning says so).
 *
 * @example
 * ```ts
 * import * as rtk from "pulumi-realtimekit";
 *
 * const app = new rtk.App("support", { name: "support-calls" });
 * export const appId = app.id;
 *
 * // An app made elsewhere, read and not managed:
 * const shared = rtk.App.get("shared", "<app-id>");
 * ```
 */
export class App extends RealtimeKitResource {
  constructor(name: string, args: AppArgs, opts?: pulumi.CustomResourceOptions) {
    super("App", name, args, outputNames(AppSchema), opts);
  }

  /**
   * An existing app, read by its id and not managed: `pulumi up` never changes or
   * deletes it, `pulumi refresh` reads it again.
   */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): App {
    return new App(name, {} as AppArgs, { ...opts, id });
  }
}
