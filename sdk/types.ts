// Hand-written types shared by the resource classes; the argument and output
// types of each resource are generated (sdk/generated.ts).
import type * as pulumi from "@pulumi/pulumi";

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** The API's object with camelCase keys (keys like "1000" stay as they are). */
export type CamelKeys<T> = T extends readonly (infer U)[]
  ? CamelKeys<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? Camel<K> : K]: CamelKeys<T[K]> }
    : T;

/** Arguments of every resource that lives in an app. */
export interface InAppArgs {
  /** ID of the RealtimeKit app. Changing it replaces the resource. */
  appId: pulumi.Input<string>;
  /**
   * Adopts an existing object instead of creating one: `"<appId>/<id>"`.
   * The first `pulumi up` reads it and changes only what differs from the
   * arguments; Pulumi's own `import` option does not work for dynamic resources.
   */
  importId?: pulumi.Input<string>;
}
