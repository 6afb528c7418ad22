// The gRPC stubs @pulumi/pulumi ships and their runtime, resolved from
// @pulumi/pulumi itself: the very grpc-js and google-protobuf instances its
// generated code was built for (npm may nest them under it). The executable
// `npm run dist` builds bundles the same modules, resolved from the same folder
// (scripts/dist.js turns each `fromPulumi(…)` below into a bundled require).
import type * as grpcJs from "@grpc/grpc-js";
import { createRequire } from "node:module";

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcJs;
export const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb.js");
export const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb.js");
export const { Any } = fromPulumi("google-protobuf/google/protobuf/any_pb.js");
export const proto = fromPulumi("./proto/provider_pb.js") as typeof import("@pulumi/pulumi/proto/provider_pb");
export const { ResourceProviderService } = fromPulumi("./proto/provider_grpc_pb.js");
export const { PluginInfo } = fromPulumi("./proto/plugin_pb.js");
export const { Status } = fromPulumi("./proto/status_pb.js");
