// The native plugin: Pulumi's ResourceProvider gRPC protocol served on the
// stubs @pulumi/pulumi ships, each RPC mapped onto the lifecycle that the
// dynamic provider runs too (provider/resource.ts, one Kind table per
// resource). Modelled on @pulumi/pulumi's cmd/dynamic-provider/index.js; what
// the engine sends and expects is read from pulumi/pulumi's
// pkg/resource/plugin/provider_plugin.go and proto/pulumi/provider.proto.
//
// What passes the door: values arrive as protobuf Structs in which the engine
// marks secrets with its secret signature (Configure answers acceptSecrets) and
// values not known yet (previews) with its unknown sentinel. Secrets are taken
// off before the lifecycle sees a value and put back on what leaves: where they
// were, and the kind's secret outputs. Unknowns pass through: the lifecycle's
// check and diff treat them.
import type * as grpcJs from "@grpc/grpc-js";
import { providers, kinds, type KindName } from "../provider";
import { LOOKUPS, lookup, lookupFailures, type LookupName } from "../provider/lookups";
import type { CheckFailure } from "../provider/check";
import { credentialPaths, secretOutputs, Unfinished } from "../provider/resource";
import { configFailures, unknownConfigKeys } from "../provider/schema/config";
import { configure } from "../provider/settings";
import { clean, getPath, hasUnknown, isObject, type Props } from "../provider/values";
import { useEngine } from "./engine";
import { packageSchema, packageVersion } from "./package-files";
import { Any, Empty, PluginInfo, ResourceProviderService, Status, Struct, grpc, proto } from "./stubs";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Msg = any;
type Callback = (err: Partial<grpcJs.ServiceError> | null, resp?: Msg, trailer?: grpcJs.Metadata) => void;
type Call = { request: Msg };

const PACKAGE = "realtimekit";

// The engine's value signatures (sdk/go/common/resource/sig).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Path = (string | number)[];

/** A value with every secret taken off, and the paths at which there were secrets. */
function unwrap(value: unknown): { plain: any; secrets: Path[] } {
  const secrets: Path[] = [];
  const walk = (v: unknown, p: Path): unknown => {
    if (isObject(v) && v[SIG_KEY] === SECRET_SIG) {
      secrets.push(p);
      return walk(v.value, p);
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...p, i]));
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...p, k])]));
    return v;
  };
  return { plain: walk(value, []), secrets };
}

/**
 * A copy of `value` as a Struct takes it (no undefined), with the values at `paths` (those present)
 * marked secret; a path inside a secret one is secret already. A secret inside a list makes the whole
 * list secret: lists compare as sets (values.ts satisfies), so an answer may hold the elements in
 * another order than the request that marked them (the engine does the same for providers without
 * secrets: provider_plugin.go annotateSecrets, "arrays are treated like sets").
 */
function wrap(value: Props, paths: Path[]): Props {
  const out = clean(value);
  const listed = paths.map((p) => (p.some((k) => typeof k === "number") ? p.slice(0, p.findIndex((k) => typeof k === "number")) : p));
  const sorted = listed.sort((a, b) => a.length - b.length);
  const done: Path[] = [];
  for (const p of sorted) {
    if (!p.length || done.some((d) => d.every((k, i) => p[i] === k))) continue;
    let parent: any = out;
    for (const k of p.slice(0, -1)) parent = parent?.[k];
    const last = p[p.length - 1];
    if (parent === null || typeof parent !== "object" || parent[last] === undefined) continue;
    parent[last] = { [SIG_KEY]: SECRET_SIG, value: parent[last] };
    done.push(p);
  }
  return out;
}

const toStruct = (v: Props, secrets: Path[] = []) => Struct.fromJavaScript(wrap(v, secrets));
const fromStruct = (s: Msg | undefined): { plain: Props; secrets: Path[] } => unwrap(s?.toJavaScript() ?? {});

/** The kind of a resource request: from its type (`realtimekit:index:Preset`), else its URN's. */
function kindOf(req: Msg): KindName {
  const type: string = req.getType?.() || String(req.getUrn()).split("::")[2]?.split("$").pop() || "";
  const [pkg, mod, name] = type.split(":");
  if (pkg !== PACKAGE || mod !== "index" || !Object.hasOwn(kinds, name)) {
    throw new Error(`unknown resource type ${JSON.stringify(type)}: this provider has ${Object.keys(kinds).map((k) => `${PACKAGE}:index:${k}`).join(", ")}`);
  }
  return name as KindName;
}

/** What leaves the door for a kind: secret where the kind's secret outputs are, and where the request had secrets. */
const sealed = (kind: KindName, value: Props, secrets: Path[]) => toStruct(value, [...secretOutputs(kinds[kind]).map((k) => [k]), ...secrets]);

/**
 * Check's failures, those on a secret input (a credential, or a value the program made secret) told
 * without its value: the engine prints a failure's `property` with the goal's value of it beside it,
 * secrets included (pulumi/pulumi pkg/resource/deploy/step_generator.go, issueCheckFailures), so
 * such a failure has none; its reason names the path, and a secret value it quotes is not shown.
 */
function unshown(kind: KindName, news: { plain: Props; secrets: Path[] }, failures: CheckFailure[]): CheckFailure[] {
  const secrets = [...news.secrets, ...credentialPaths(kinds[kind])];
  const keys = new Set(secrets.map((p) => p[0]));
  const quoted = secrets.flatMap((p) => leaves(getPath(news.plain, p))).map((v) => `got ${JSON.stringify(v)}`);
  return failures.map((f) => {
    if (!keys.has(/^[^.[]*/.exec(f.property)![0])) return f;
    return { property: "", reason: quoted.reduce((reason, q) => reason.split(q).join("got a value not shown (secret)"), f.reason) };
  });
}

/** The plain values in `v`. */
const leaves = (v: unknown): unknown[] => (v !== null && typeof v === "object" ? Object.values(v).flatMap(leaves) : v === undefined ? [] : [v]);

const checkFailures = (failures: CheckFailure[]) =>
  failures.map((f) => {
    const cf = new proto.CheckFailure();
    cf.setProperty(f.property);
    cf.setReason(f.reason);
    return cf;
  });

/** A change's PropertyDiff kind, without and with a replacement. */
const K = proto.PropertyDiff.Kind;
const PROPERTY_DIFF = { add: [K.ADD, K.ADD_REPLACE], update: [K.UPDATE, K.UPDATE_REPLACE], delete: [K.DELETE, K.DELETE_REPLACE] } as const;

/** An error that is already a gRPC status. */
const grpcError = (code: grpcJs.status, details: string, metadata?: grpcJs.Metadata) => Object.assign(new Error(details), { grpc: { code, details, metadata } });

/**
 * A create or update that made or changed its object but failed after it: the
 * error carries the object (ErrorResourceInitFailed) for the engine to record,
 * and to update on the next `up`. Any other error passes as it is.
 */
const initFailed = (kind: KindName, secrets: Path[]) => (e: unknown): never => {
  if (!(e instanceof Unfinished)) throw e;
  const detail = new proto.ErrorResourceInitFailed();
  detail.setId(e.id);
  detail.setProperties(sealed(kind, e.properties, secrets));
  detail.setReasonsList(e.reasons);
  const any = new Any();
  any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new Status();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(e.message);
  status.addDetails(any);
  // grpc-status-details-bin: how a Node server sends status details (as cmd/dynamic-provider does).
  const metadata = new grpc.Metadata();
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  throw grpcError(grpc.status.UNKNOWN, e.message, metadata);
};

/** Runs one RPC: its answer, or its error as the engine reads it (UNKNOWN with the message, as the dynamic host answers). */
function rpc(fn: (req: Msg) => Promise<Msg> | Msg) {
  return async (call: Call, callback: Callback) => {
    try {
      callback(null, await fn(call.request));
    } catch (e) {
      const err: Partial<grpcJs.ServiceError> = (e as { grpc?: Partial<grpcJs.ServiceError> }).grpc ?? {
        code: grpc.status.UNKNOWN,
        details: e instanceof Error ? e.message : String(e),
      };
      callback(err, undefined, err.metadata);
    }
  };
}

const unimplemented = (name: string) => rpc(() => {
  throw grpcError(grpc.status.UNIMPLEMENTED, `${name} is not implemented by the ${PACKAGE} provider`);
});

/** Config keys of a Configure's `variables`: `realtimekit:config:accountId` (the engine's), or `realtimekit:accountId`. */
const configKey = (key: string) => key.replace(/^realtimekit:(config:)?/, "");

function providerService() {
  /** After Cancel, no new write starts (running ones finish: each request is bounded, and a write cut off halfway is the ambiguous case). */
  let cancelled = false;
  const notCancelled = () => {
    if (cancelled) throw grpcError(grpc.status.CANCELLED, "the operation was cancelled: the engine asked the provider to stop");
  };
  const lifecycle = (req: Msg) => {
    const kind = kindOf(req);
    return { kind, lc: providers[kind] };
  };

  return {
    getPluginInfo: rpc(() => {
      const info = new PluginInfo();
      info.setVersion(packageVersion());
      return info;
    }),

    getSchema: rpc((req) => {
      if (req.getSubpackageName()) throw grpcError(grpc.status.INVALID_ARGUMENT, `the ${PACKAGE} provider has no sub-packages`);
      const resp = new proto.GetSchemaResponse();
      resp.setSchema(packageSchema());
      return resp;
    }),

    // The provider's config, checked before Configure: each bad value fails, naming its key and what it
    // allows, and so does each key that is not the provider's. Values not known yet (preview) are decided once known.
    checkConfig: rpc((req) => {
      const { plain } = fromStruct(req.getNews());
      const known = Object.fromEntries(Object.entries(plain).filter(([, v]) => !hasUnknown(v)));
      const resp = new proto.CheckResponse();
      resp.setInputs(req.getNews() ?? new Struct());
      resp.setFailuresList(checkFailures([...unknownConfigKeys(plain), ...configFailures(known)]));
      return resp;
    }),

    // A new config never replaces the provider (which would replace every resource it manages):
    // - accountId: each resource records its own account (its `accountId` output), so the new provider
    //   still manages the old ones; each resource's own Diff replaces those whose account changes, and
    //   deletes them in their old account (a resource that sets its own accountId is not touched).
    // - baseUrl: another address of the same API (a proxy, a regional endpoint) reaches the same objects;
    //   where it points to another API, refresh finds the objects gone and `up` creates them there.
    // - apiToken, rateLimit: how requests are sent, not which objects exist.
    diffConfig: rpc((req) => {
      const olds = fromStruct(req.getOldInputs() ?? req.getOlds()).plain;
      const news = fromStruct(req.getNews()).plain;
      const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== "version");
      const changed = keys.filter((k) => hasUnknown(news[k]) || JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
      const resp = new proto.DiffResponse();
      resp.setChanges(changed.length ? proto.DiffResponse.DiffChanges.DIFF_SOME : proto.DiffResponse.DiffChanges.DIFF_NONE);
      resp.setDiffsList(changed);
      for (const k of changed) {
        const d = new proto.PropertyDiff();
        d.setKind(olds[k] === undefined ? K.ADD : news[k] === undefined ? K.DELETE : K.UPDATE);
        d.setInputdiff(true);
        resp.getDetaileddiffMap().set(k, d);
      }
      resp.setHasdetaileddiff(true);
      return resp;
    }),

    // Config from `args` (secrets wrapped) and from `variables` (the deprecated text map); args win.
    configure: rpc((req) => {
      const values: Record<string, string> = {};
      req.getVariablesMap().forEach((v: string, k: string) => (values[configKey(k)] = v));
      for (const [k, v] of Object.entries(fromStruct(req.getArgs()).plain)) {
        if (k !== "version" && v !== undefined && v !== null) values[k] = typeof v === "string" ? v : JSON.stringify(v);
      }
      configure({ get: (key: string) => values[configKey(key)] });
      const resp = new proto.ConfigureResponse();
      resp.setAcceptsecrets(true);
      // Create and Update answer previews (no request is sent); resource references and output
      // values are left to the engine to resolve (ids and plain values arrive).
      resp.setSupportspreview(true);
      resp.setAcceptresources(false);
      resp.setAcceptoutputs(false);
      return resp;
    }),

    check: rpc(async (req) => {
      const { kind, lc } = lifecycle(req);
      const news = fromStruct(req.getNews());
      const { inputs, failures } = await lc.check(fromStruct(req.getOlds()).plain, news.plain);
      const resp = new proto.CheckResponse();
      // The engine stores Check's answer as the state's inputs, in clear where it is not wrapped
      // (step_executor.go marks outputs only): credentials are answered secret however they came.
      resp.setInputs(toStruct(inputs, [...news.secrets, ...credentialPaths(kinds[kind])]));
      resp.setFailuresList(checkFailures(unshown(kind, news, failures)));
      return resp;
    }),

    // olds: the old outputs (what the object is); news: the checked inputs (what the program wants).
    diff: rpc(async (req) => {
      const { lc } = lifecycle(req);
      const d = await lc.diff(req.getId(), fromStruct(req.getOlds()).plain, fromStruct(req.getNews()).plain);
      const resp = new proto.DiffResponse();
      const C = proto.DiffResponse.DiffChanges;
      resp.setChanges(d.changes ? C.DIFF_SOME : C.DIFF_NONE);
      resp.setReplacesList(d.replaces);
      resp.setDiffsList(d.diffs);
      for (const [p, { kind, replace }] of Object.entries(d.detailedDiff)) {
        const pd = new proto.PropertyDiff();
        pd.setKind(PROPERTY_DIFF[kind][replace ? 1 : 0]);
        // Against the old state (outputs), not the old inputs: drift shows as what the update puts back.
        pd.setInputdiff(false);
        resp.getDetaileddiffMap().set(p, pd);
      }
      resp.setHasdetaileddiff(true);
      return resp;
    }),

    // A preview sends nothing: the outputs are the arguments, and what only the answer can tell is not known yet.
    create: rpc(async (req) => {
      const { kind, lc } = lifecycle(req);
      const inputs = fromStruct(req.getProperties());
      const resp = new proto.CreateResponse();
      if (req.getPreview()) {
        resp.setProperties(sealed(kind, lc.preview(inputs.plain), inputs.secrets));
        return resp;
      }
      notCancelled();
      const { id, outs } = await lc.create(inputs.plain).catch(initFailed(kind, inputs.secrets));
      resp.setId(id);
      resp.setProperties(sealed(kind, outs, inputs.secrets));
      return resp;
    }),

    // A refresh sends the state (properties: the outputs; inputs); `pulumi import` sends only the id,
    // `<appId>/<id>` (`<appId>` for apps): the answer then has the arguments that reproduce the object.
    // No properties in the answer: the object does not exist.
    read: rpc(async (req) => {
      const { kind, lc } = lifecycle(req);
      const state = fromStruct(req.getProperties());
      const imported = !Object.keys(state.plain).length && !req.hasInputs();
      const read = imported ? await lc.readImport(req.getId()) : await lc.read(req.getId(), state.plain);
      const resp = new proto.ReadResponse();
      resp.setId(read.id);
      if (!read.id) return resp;
      const inputSecrets = fromStruct(req.getInputs()).secrets;
      resp.setProperties(sealed(kind, read.props, state.secrets));
      if (read.inputs) resp.setInputs(sealed(kind, read.inputs, inputSecrets));
      return resp;
    }),

    update: rpc(async (req) => {
      const { kind, lc } = lifecycle(req);
      const olds = fromStruct(req.getOlds()).plain;
      const news = fromStruct(req.getNews());
      const resp = new proto.UpdateResponse();
      if (req.getPreview()) {
        resp.setProperties(sealed(kind, lc.preview(news.plain, olds), news.secrets));
        return resp;
      }
      notCancelled();
      const { outs } = await lc.update(req.getId(), olds, news.plain).catch(initFailed(kind, news.secrets));
      resp.setProperties(sealed(kind, outs, news.secrets));
      return resp;
    }),

    delete: rpc(async (req) => {
      const { lc } = lifecycle(req);
      notCancelled();
      await lc.delete(req.getId(), fromStruct(req.getProperties()).plain);
      return new Empty();
    }),

    // Lookups by name (`realtimekit:index:getApp` …): bad arguments come back as failures naming them.
    invoke: rpc(async (req) => {
      const tok: string = req.getTok();
      const name = tok.startsWith(`${PACKAGE}:index:`) ? tok.slice(`${PACKAGE}:index:`.length) : "";
      if (!LOOKUPS.includes(name as LookupName)) {
        const known = LOOKUPS.map((n) => `${PACKAGE}:index:${n}`).join(", ");
        throw grpcError(grpc.status.INVALID_ARGUMENT, `unknown function ${JSON.stringify(tok)}: this provider has ${known}`);
      }
      const args = fromStruct(req.getArgs());
      const resp = new proto.InvokeResponse();
      const failures = lookupFailures(name as LookupName, args.plain);
      if (failures.length) {
        resp.setFailuresList(checkFailures(failures));
        return resp;
      }
      const found = await lookup(name as LookupName, args.plain);
      // What a secret argument found is secret too (as the engine marks it for providers without secrets).
      resp.setReturn(toStruct(found, args.secrets.length ? Object.keys(found).map((k) => [k]) : []));
      return resp;
    }),

    cancel: rpc(() => {
      cancelled = true;
      return new Empty();
    }),

    // PULUMI_DEBUG_PROVIDERS=realtimekit:<port>: the engine attaches to a plugin started by hand (under a
    // debugger, `node --inspect dist/plugin/cli.js`) instead of starting one, and sends the address it
    // would have passed as the argument (provider_plugin.go, NewProvider then Attach; plugin.proto
    // PluginAttach). An error here fails the engine's load of the provider.
    attach: rpc((req) => {
      useEngine(req.getAddress());
      return new Empty();
    }),

    // The engine falls back when these answer UNIMPLEMENTED (provider_plugin.go): no handshake (Configure
    // negotiates), no parameterization, components, methods, listing or mappings.
    handshake: unimplemented("Handshake"),
    parameterize: unimplemented("Parameterize"),
    construct: unimplemented("Construct"),
    call: unimplemented("Call"),
    getMapping: unimplemented("GetMapping"),
    getMappings: unimplemented("GetMappings"),
    list: (call: { emit(event: string, err: unknown): void }) =>
      call.emit("error", { code: grpc.status.UNIMPLEMENTED, details: `List is not implemented by the ${PACKAGE} provider` }),
  };
}

/** Serves the provider on 127.0.0.1, on a free port. */
export async function serve(): Promise<{ port: number; stop(): Promise<void> }> {
  // As large a message as the engine may send (a stack's state): @pulumi/pulumi's maxRPCMessageSize, 400 MiB.
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(ResourceProviderService, providerService());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}
