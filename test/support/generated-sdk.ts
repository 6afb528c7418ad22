// What `pulumi package gen-sdk` generates for Node.js from schema.json, cut down
// to what the engine sees: each resource a pulumi.CustomResource of type
// `realtimekit:index:<Kind>` that registers its input properties from the
// arguments, every output property as undefined (for the engine to fill in), the
// schema's secret properties as additionalSecretOutputs, and `get` as a read by
// id. It stands in for the SDK another language's program would use; it is not
// shipped (the package ships schema.json, from which the CLI generates SDKs).
import * as fs from "node:fs";
import * as path from "node:path";

type Pulumi = typeof import("@pulumi/pulumi");
interface PropertySpec {
  secret?: boolean;
}
interface ResourceSpec {
  properties: Record<string, PropertySpec>;
  inputProperties: Record<string, PropertySpec>;
}

export type Args = Record<string, unknown>;
export interface GeneratedResource {
  readonly id: import("@pulumi/pulumi").Output<string>;
  readonly urn: import("@pulumi/pulumi").Output<string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly [output: string]: any;
}
export interface GeneratedClass {
  new (name: string, args?: Args, opts?: import("@pulumi/pulumi").CustomResourceOptions): GeneratedResource;
  get(name: string, id: import("@pulumi/pulumi").Input<string>, state?: Args, opts?: import("@pulumi/pulumi").CustomResourceOptions): GeneratedResource;
}
export type GeneratedSdk = Record<"App" | "Preset" | "Meeting" | "Webhook", GeneratedClass>;

/** The generated classes, on the program's own @pulumi/pulumi (the one the engine's mocks run). */
export function generatedSdk(pulumi: Pulumi, schemaPath = path.resolve(__dirname, "../../schema.json")): GeneratedSdk {
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8")) as { name: string; resources: Record<string, ResourceSpec> };
  const classOf = (kind: string): GeneratedClass => {
    const token = `${schema.name}:index:${kind}`;
    const spec = schema.resources[token];
    const secrets = Object.entries(spec.properties)
      .filter(([, p]) => p.secret)
      .map(([k]) => k);
    class Resource extends pulumi.CustomResource {
      constructor(name: string, args: Args = {}, opts: import("@pulumi/pulumi").CustomResourceOptions = {}) {
        const props: Args = {};
        if (opts.id) {
          // `get`: the arguments are the state to read by.
          for (const k of Object.keys(spec.properties)) props[k] = args[k];
        } else {
          for (const k of Object.keys(spec.inputProperties)) props[k] = args[k];
          for (const k of Object.keys(spec.properties)) if (!(k in spec.inputProperties)) props[k] = undefined;
        }
        super(token, name, props, { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secrets] });
      }
      static get(name: string, id: import("@pulumi/pulumi").Input<string>, state: Args = {}, opts: import("@pulumi/pulumi").CustomResourceOptions = {}) {
        return new Resource(name, state, { ...opts, id });
      }
    }
    return Resource as unknown as GeneratedClass;
  };
  return { App: classOf("App"), Preset: classOf("Preset"), Meeting: classOf("Meeting"), Webhook: classOf("Webhook") };
}
