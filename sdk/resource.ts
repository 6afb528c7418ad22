// The base of the four resource classes: the kind's stub provider, its secret
// outputs (from the Kind table, as the plugin has them), its credentials made
// secret before they are registered, the resource type
// `pulumi-nodejs:dynamic/realtimekit:<Kind>`, and outputs that exist (as
// undefined) before the engine fills them in.
import * as pulumi from "@pulumi/pulumi";
import { kinds } from "../provider/kinds";
import { credentialPaths, secretOutputs } from "../provider/resource";
import { providerFor, type KindName } from "./stub";

export abstract class RealtimeKitResource extends pulumi.dynamic.Resource {
  protected constructor(
    kind: KindName,
    name: string,
    args: object,
    outputNames: readonly string[],
    opts: pulumi.CustomResourceOptions = {},
  ) {
    // `X.get` (the id option) reads an object of an app by its appId: said here, where the program is,
    // for the provider cannot tell an appId left out from one not known yet in a preview (resource.ts read).
    if (opts.id !== undefined && kinds[kind].inApp && (args as { appId?: unknown }).appId === undefined) {
      throw new Error(`${kind}.get: the app is missing: ${kind}.get(name, id, { appId })`);
    }
    // Outputs the program did not set are registered as undefined so the engine fills them in.
    const props: Record<string, unknown> = Object.fromEntries(outputNames.map((k) => [k, undefined]));
    Object.assign(props, secretIn(args as Record<string, unknown>, credentialPaths(kinds[kind])));
    const additionalSecretOutputs = [...(opts.additionalSecretOutputs ?? []), ...secretOutputs(kinds[kind])];
    super(providerFor(kind), name, props, { ...opts, additionalSecretOutputs }, "realtimekit", kind);
  }
}

/**
 * A copy of `args` with what is at each of `paths` made secret, however the program gave it: the
 * engine stores the inputs as registered (for the dynamic provider, which takes no secrets, with the
 * secrets it was sent), so a credential registered in clear is stored in clear. Where a path goes
 * through an Output or a promise, all of it is made secret. (Registering secrets is not what
 * pulumi/pulumi issue 3012 is about: a dynamic provider must not *return* secret values.)
 */
function secretIn(args: Record<string, unknown>, paths: string[][]): Record<string, unknown> {
  const out = { ...args };
  for (const key of new Set(paths.map((p) => p[0]))) {
    const rest = paths.filter((p) => p[0] === key).map((p) => p.slice(1));
    const value = out[key];
    if (value === undefined || value === null) continue;
    out[key] = rest.some((p) => !p.length) || !isPlainObject(value) ? pulumi.secret(value) : secretIn(value, rest);
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));
