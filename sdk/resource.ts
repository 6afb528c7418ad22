// The base of the four resource classes: the kind's stub provider, its secret
// outputs (from the Kind table, as the plugin has them), the
// resource type `pulumi-nodejs:dynamic/realtimekit:<Kind>`, and outputs that
// exist (as undefined) before the engine fills them in.
import * as pulumi from "@pulumi/pulumi";
import { kinds } from "../provider/kinds";
import { secretOutputs } from "../provider/resource";
import { providerFor, type KindName } from "./stub";

export abstract class RealtimeKitResource extends pulumi.dynamic.Resource {
  protected constructor(
    kind: KindName,
    name: string,
    args: object,
    outputNames: readonly string[],
    opts: pulumi.CustomResourceOptions = {},
  ) {
    // Outputs the program did not set are registered as undefined so the engine fills them in.
    const props: Record<string, unknown> = Object.fromEntries(outputNames.map((k) => [k, undefined]));
    Object.assign(props, args);
    const additionalSecretOutputs = [...(opts.additionalSecretOutputs ?? []), ...secretOutputs(kinds[kind])];
    super(providerFor(kind), name, props, { ...opts, additionalSecretOutputs }, "realtimekit", kind);
  }
}
