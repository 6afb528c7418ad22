// The provider that Pulumi serializes into every resource's state (`__provider`).
// It holds nothing but the resource kind's name and loads the installed
// package by name at run time: no credential is ever captured, the text stays
// tiny, and it does not change when the package's internals do, so upgrading
// the package neither shows every resource as changed nor keeps running the
// code of the last update (pulumi/pulumi#4805).
import type * as pulumi from "@pulumi/pulumi";

export type KindName = "App" | "Preset" | "Meeting" | "Webhook";

export function providerFor(kind: KindName): pulumi.dynamic.ResourceProvider {
  const load = () => require("pulumi-realtimekit/provider");
  return {
    configure: async (req) => load().configureFrom(req),
    check: (olds, news) => load().providers[kind].check(olds, news),
    diff: (id, olds, news) => load().providers[kind].diff(id, olds, news),
    create: (inputs) => load().providers[kind].create(inputs),
    read: (id, props) => load().providers[kind].read(id, props),
    update: (id, olds, news) => load().providers[kind].update(id, olds, news),
    delete: (id, props) => load().providers[kind].delete(id, props),
  };
}
