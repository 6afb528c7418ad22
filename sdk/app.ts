import type * as pulumi from "@pulumi/pulumi";
import { App as AppSchema, AppCreate } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import { outputNames, type ArgsOf, type OutputsOf } from "./shape";

export type AppArgs = ArgsOf<typeof AppCreate> & {
  /** Adopts an existing app instead of creating one: its id. */
  importId?: pulumi.Input<string>;
};

export interface App extends OutputsOf<typeof AppSchema> {}

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
