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
 */
export class App extends RealtimeKitResource {
  constructor(name: string, args: AppArgs, opts?: pulumi.CustomResourceOptions) {
    super("App", name, args, outputNames(AppSchema), opts);
  }
}
