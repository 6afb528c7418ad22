import * as pulumi from "@pulumi/pulumi";
import { App as AppSchema } from "../provider/schema";
import { RealtimeKitResource } from "./resource";
import type { AppFields, AppOutputs } from "./generated";
import { outputNames } from "./shape";
import type { AccountArgs, AccountOutputs, GetState } from "./types";

export type AppArgs = AppFields &
  AccountArgs & {
    /** Adopts an existing app instead of creating one: its id. */
    importId?: pulumi.Input<string>;
  };

export interface App extends AppOutputs, AccountOutputs {}

/**
 * A RealtimeKit app, the container of presets, meetings and webhooks.
 * The API can neither rename nor delete apps: changing `name` fails the preview,
 * and deleting this resource only drops the app from the stack (a warning says so).
 * Two App resources of one program that may create an app (no `importId`) need
 * distinct names: a create whose answer is lost finds its app again by name.
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
    declare(name, args.name, args.importId !== undefined);
    super("App", name, args, [...outputNames(AppSchema), "accountId"], opts);
  }

  /**
   * An existing app, read by its id and not managed: `pulumi up` never changes or
   * deletes it, `pulumi refresh` reads it again.
   */
  static get(name: string, id: pulumi.Input<string>, state?: GetState, opts?: pulumi.CustomResourceOptions): App {
    return new App(name, { ...state } as AppArgs, { ...opts, id });
  }
}

// App names declared by the program, per Pulumi run (the resource monitor: one
// per program process, a new one for each run under mocks). Only a name known
// at registration (a string) can be refused here; for a name that is an Output,
// the provider runs same-name creates one at a time and never lets a lost
// create take an app another resource of the run holds.
const declared = new WeakMap<object, { resource: string; name: string; adopted: boolean }[]>();
const noMonitor = {};

/** Throws when another App of the program has this (known) name, unless both adopt existing apps. */
function declare(resource: string, name: pulumi.Input<string>, adopted: boolean): void {
  if (typeof name !== "string") return;
  const key = pulumi.runtime.getMonitor() ?? noMonitor;
  const apps = declared.get(key) ?? [];
  declared.set(key, apps);
  const other = apps.find((a) => a.name === name && !(a.adopted && adopted));
  if (other) {
    throw new Error(
      `App "${resource}": the app name ${JSON.stringify(name)} is also that of App "${other.resource}" in this program. ` +
        "A create whose answer was lost finds its app again by name, and RealtimeKit can neither rename nor delete apps, " +
        "so App resources that may create an app need names of their own (e.g. one per environment); adopting apps with importId is not affected.",
    );
  }
  apps.push({ resource, name, adopted });
}
