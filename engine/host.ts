// Runs @pulumi/pulumi's real dynamic-provider host (cmd/dynamic-provider) as a child process
// and talks to it over gRPC with the same ResourceProvider calls the Pulumi engine makes. The
// plugin (engine/plugin.ts) is the same kind of process spoken to the same way.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";

/** The sentinel the engine sends in place of a value that is not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Type token of `pulumi.dynamic.Resource` (subclasses may add `/module` and a type name). */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";
/** Signature of Pulumi's RPC secret wrapper: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Props = Record<string, unknown>;

/** `urn:pulumi:<stack>::<project>::<type>::<name>` — the same shape the mock monitor builds. */
export function urn(type: string, name: string, project = "test", stack = "test"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

export interface CheckFailure {
    property: string;
    reason: string;
}
export interface CheckResult {
    inputs: Props;
    failures: CheckFailure[];
}
export interface DiffResult {
    changes: "none" | "some" | "unknown";
    replaces: string[];
    deleteBeforeReplace: boolean;
    /** The top-level properties that change, if the provider said (the dynamic host does not). */
    diffs?: string[];
    /** Only present if the provider sent one (the nodejs dynamic host never does today); `kind` is PropertyDiff.Kind. */
    detailedDiff?: Record<string, { kind: number; inputDiff: boolean }>;
}
export interface ReadResult {
    /** Empty string means "the resource no longer exists". */
    id: string;
    props: Props;
    /** Whether the answer has properties at all (`pulumi import`: none means the object does not exist). */
    exists: boolean;
    /** Only set when the provider's read() returned `inputs`. */
    inputs?: Props;
}
/**
 * A create that made its object but failed after it (ErrorResourceInitFailed in
 * the error's details): the engine records the object with this id and these
 * properties, and updates it on the next `up`.
 */
export interface InitFailure {
    id: string;
    properties: Props;
    reasons: string[];
}

export interface EngineLog {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn: string;
}

/** What the provider's ConfigureResponse says it supports; the engine sends and expects accordingly. */
export interface Protocol {
    /** Secrets arrive and leave wrapped in the secret signature (else the engine strips them). */
    acceptSecrets: boolean;
    /** Create and Update are called with `preview: true` in previews (else the engine takes the inputs as outputs). */
    supportsPreview: boolean;
}

export interface StartHostOptions {
    /** Project dir: @pulumi/pulumi is resolved from here and it is the host's cwd. */
    cwd: string;
    /** Extra environment for the host process. */
    env?: Record<string, string>;
    /** Config sent with the initial Configure call (the engine always configures before any CRUD). */
    config?: Record<string, string>;
    /**
     * Route the provider's `pulumi.log.*` to the fake engine (recorded in `host.logs`).
     * Off by default, because the real CLI does not do this: the host ignores its engine argument and
     * `PULUMI_NODEJS_ENGINE` is not set for plugins, so `pulumi.log.warn` inside a dynamic provider
     * ends up on stderr as `warning: [runtime] <msg>` (pulumi/pulumi#18249).
     */
    engineLogs?: boolean;
}

// Minimal views of the generated protobuf / grpc-js modules, loaded at runtime from the project under test.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type Msg = any;
export interface Proto {
    grpc: typeof import("@grpc/grpc-js");
    struct: typeof import("google-protobuf/google/protobuf/struct_pb");
    prov: typeof import("@pulumi/pulumi/proto/provider_pb");
    provRpc: { ResourceProviderClient: new (addr: string, creds: unknown) => any };
    eng: typeof import("@pulumi/pulumi/proto/engine_pb");
    plugin: typeof import("@pulumi/pulumi/proto/plugin_pb");
    status: { Status: { deserializeBinary(bytes: Uint8Array): Msg } };
    engRpc: { EngineService: any };
    empty: { Empty: new () => Msg };
}

export function loadProto(pulumiDir: string): Proto {
    // Require everything relative to the resolved @pulumi/pulumi, so the stubs, grpc-js and
    // google-protobuf are the very instances that the host process uses.
    const req = createRequire(path.join(pulumiDir, "package.json"));
    return {
        grpc: req("@grpc/grpc-js"),
        struct: req("google-protobuf/google/protobuf/struct_pb.js"),
        empty: req("google-protobuf/google/protobuf/empty_pb.js"),
        prov: req("./proto/provider_pb.js"),
        provRpc: req("./proto/provider_grpc_pb.js"),
        eng: req("./proto/engine_pb.js"),
        plugin: req("./proto/plugin_pb.js"),
        status: req("./proto/status_pb.js"),
        engRpc: req("./proto/engine_grpc_pb.js"),
    };
}

/** Struct.fromJavaScript rejects `undefined`; drop it like JSON would (null in arrays). */
export function stripUndefined<T>(value: T): T {
    if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : stripUndefined(v))) as T;
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
        return out as T;
    }
    return value;
}

/** A provider process started and listening, with a client of it and the fake engine it was given. */
export interface Launched {
    child: ChildProcess;
    client: any;
    engine: import("@grpc/grpc-js").Server;
    proto: Proto;
    io: { stdout: string; stderr: string };
    logs: EngineLog[];
    port: number;
    /** The fake engine's address (what the process was given, or what Attach sends). */
    engineAddr: string;
}

/**
 * Start a provider process as the engine does: the engine's address as its argument; its gRPC
 * port is the first line of its stdout. `command` gets the resolved @pulumi/pulumi directory
 * (whose stubs the client uses) and the fake engine's address. It runs in `pwd` (default `cwd`).
 */
export async function launch(
    opts: { cwd: string; pwd?: string; env?: Record<string, string>; engineLogs?: boolean },
    command: (pulumiDir: string, engineAddr: string) => string[],
    what: string,
    /** The program run with `command`'s arguments: Node.js, or an executable of its own. */
    file: string = process.execPath,
): Promise<Launched> {
    const pkgJson = require.resolve("@pulumi/pulumi/package.json", { paths: [opts.cwd] });
    const pulumiDir = path.dirname(pkgJson);
    const proto = loadProto(pulumiDir);
    const logs: EngineLog[] = [];
    const { engine, engineAddr } = await startFakeEngine(proto, logs);

    const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
    if (opts.engineLogs) env.PULUMI_NODEJS_ENGINE = engineAddr;
    const child = spawn(file, command(pulumiDir, engineAddr), {
        cwd: opts.pwd ?? opts.cwd,
        env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    const io = { stdout: "", stderr: "" };
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (io.stderr += d));
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (io.stdout += d));

    // The process prints its gRPC port as the first stdout line once it listens.
    const port = await new Promise<number>((resolve, reject) => {
        const onExit = (code: number | null) => fail(new Error(`${what} exited early with code ${code}`));
        const timer = setTimeout(() => fail(new Error(`timed out waiting for the ${what}'s port`)), 30_000);
        const fail = (e: Error) => {
            clearTimeout(timer);
            child.kill();
            engine.forceShutdown();
            reject(new Error(`${e.message}\n${what} stderr:\n${io.stderr}`));
        };
        child.on("error", fail).on("exit", onExit);
        const onData = () => {
            const m = /^(\d+)\r?\n/.exec(io.stdout);
            if (!m) return;
            clearTimeout(timer);
            child.off("exit", onExit).stdout!.off("data", onData);
            io.stdout = io.stdout.slice(m[0].length);
            resolve(Number(m[1]));
        };
        child.stdout!.on("data", onData);
    });

    const client = new proto.provRpc.ResourceProviderClient(`127.0.0.1:${port}`, proto.grpc.credentials.createInsecure());
    return { child, client, engine, proto, io, logs, port, engineAddr };
}

export class Host {
    private exited = false;
    /** Set by configure() from the ConfigureResponse. */
    protocol: Protocol = { acceptSecrets: false, supportsPreview: false };
    protected readonly child: ChildProcess;
    protected readonly client: any;
    protected readonly engine: import("@grpc/grpc-js").Server;
    protected readonly proto: Proto;
    private readonly io: { stdout: string; stderr: string };
    /** Log calls received by the fake engine (see StartHostOptions.engineLogs). */
    readonly logs: EngineLog[];
    readonly port: number;

    /** @internal use startHost() (or startPlugin()) */
    constructor(
        launched: Launched,
        readonly cwd: string,
    ) {
        ({ child: this.child, client: this.client, engine: this.engine, proto: this.proto, io: this.io, logs: this.logs, port: this.port } = launched);
        this.child.on("exit", () => (this.exited = true));
    }

    /** @internal use startHost() */
    static async start(opts: StartHostOptions): Promise<Host> {
        // The host requires an engine address argument (it only checks that it exists).
        const launched = await launch(opts, (pulumiDir, engineAddr) => [path.join(pulumiDir, "cmd/dynamic-provider/index.js"), engineAddr], "host");
        const host = new Host(launched, opts.cwd);
        await host.configure(opts.config ?? {});
        return host;
    }

    /** Everything the host wrote to stderr so far (errors, console.warn/error of the provider). */
    get stderr(): string {
        return this.io.stderr;
    }
    /** Everything the host wrote to stdout after the port line (provider console.log). */
    get stdout(): string {
        return this.io.stdout;
    }
    get pid(): number {
        return this.child.pid!;
    }

    /**
     * Configure the provider. The host reads only `args` (namespaced keys like `realtimekit:accountId`);
     * `variables` is set too, as the engine does. Must happen before the first CRUD call, because the
     * host configures each deserialized provider once and caches it.
     */
    async configure(config: Record<string, string>, opts: { secretKeys?: string[] } = {}): Promise<Protocol> {
        const req = new this.proto.prov.ConfigureRequest();
        const args: Props = {};
        for (const [k, v] of Object.entries(config)) {
            args[k] = opts.secretKeys?.includes(k) ? { [SIG_KEY]: SECRET_SIG, value: v } : v;
            req.getVariablesMap().set(k, v);
        }
        req.setArgs(this.toStruct(args));
        return this.sendConfigure(req);
    }

    /** Sends a ConfigureRequest with the flags the engine sets, and keeps what the provider answers it supports. */
    protected async sendConfigure(req: Msg): Promise<Protocol> {
        req.setAcceptsecrets(true);
        req.setAcceptresources(true);
        req.setSendsOldInputs(true);
        req.setSendsOldInputsToDelete(true);
        const resp = await this.call("configure", req);
        this.protocol = { acceptSecrets: resp.getAcceptsecrets(), supportsPreview: resp.getSupportspreview() };
        return this.protocol;
    }

    async check(urnStr: string, olds: Props, news: Props): Promise<CheckResult> {
        return this.sendCheck("check", urnStr, olds, news);
    }

    /** Check, or CheckConfig (the same request and answer, for a provider resource). */
    protected async sendCheck(method: "check" | "checkConfig", urnStr: string, olds: Props, news: Props): Promise<CheckResult> {
        const req = this.named(new this.proto.prov.CheckRequest(), urnStr);
        req.setOlds(this.toStruct(olds));
        req.setNews(this.toStruct(news));
        const resp = await this.call(method, req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: Msg) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    /** `olds`: the old outputs; `news`: the checked inputs; `oldInputs`: the old inputs (the engine sends them). */
    async diff(id: string, urnStr: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffResult> {
        const req = this.named(new this.proto.prov.DiffRequest(), urnStr);
        req.setId(id);
        req.setOlds(this.toStruct(olds));
        req.setNews(this.toStruct(news));
        if (oldInputs) req.setOldInputs(this.toStruct(oldInputs));
        return this.diffResult(await this.call("diff", req));
    }

    protected diffResult(resp: Msg): DiffResult {
        const C = this.proto.prov.DiffResponse.DiffChanges;
        const changes = resp.getChanges() === C.DIFF_SOME ? "some" : resp.getChanges() === C.DIFF_NONE ? "none" : "unknown";
        const result: DiffResult = {
            changes,
            replaces: resp.getReplacesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
        };
        if (resp.getDiffsList().length) result.diffs = resp.getDiffsList();
        if (resp.getHasdetaileddiff()) {
            result.detailedDiff = {};
            resp.getDetaileddiffMap().forEach((d: Msg, k: string) => {
                result.detailedDiff![k] = { kind: d.getKind(), inputDiff: d.getInputdiff() };
            });
        }
        return result;
    }

    async create(urnStr: string, props: Props, opts: { preview?: boolean } = {}): Promise<{ id: string; outs: Props }> {
        const req = this.named(new this.proto.prov.CreateRequest(), urnStr);
        req.setProperties(this.toStruct(props));
        req.setPreview(opts.preview ?? false);
        const resp = await this.call("create", req);
        return { id: resp.getId(), outs: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /** A refresh sends the state's outputs and inputs; `pulumi import` only the id (empty properties, no inputs). */
    async read(id: string, urnStr: string, props: Props, inputs?: Props): Promise<ReadResult> {
        const req = this.named(new this.proto.prov.ReadRequest(), urnStr);
        req.setId(id);
        req.setProperties(this.toStruct(props));
        if (inputs) req.setInputs(this.toStruct(inputs));
        const resp = await this.call("read", req);
        return {
            id: resp.getId(),
            props: resp.getProperties()?.toJavaScript() ?? {},
            exists: resp.hasProperties(),
            inputs: resp.hasInputs() ? resp.getInputs().toJavaScript() : undefined,
        };
    }

    async update(id: string, urnStr: string, olds: Props, news: Props, opts: { preview?: boolean; oldInputs?: Props } = {}): Promise<{ outs: Props }> {
        const req = this.named(new this.proto.prov.UpdateRequest(), urnStr);
        req.setId(id);
        req.setOlds(this.toStruct(olds));
        req.setNews(this.toStruct(news));
        req.setPreview(opts.preview ?? false);
        if (opts.oldInputs) req.setOldInputs(this.toStruct(opts.oldInputs));
        const resp = await this.call("update", req);
        return { outs: resp.getProperties()?.toJavaScript() ?? {} };
    }

    async delete(id: string, urnStr: string, props: Props, oldInputs?: Props): Promise<void> {
        const req = this.named(new this.proto.prov.DeleteRequest(), urnStr);
        req.setId(id);
        req.setProperties(this.toStruct(props));
        if (oldInputs) req.setOldInputs(this.toStruct(oldInputs));
        await this.call("delete", req);
    }

    /**
     * Poll until `check(host)` holds. Provider logs are fire-and-forget (stderr pipe, or an async
     * engine Log RPC), so they can land just after the CRUD call that produced them returned.
     */
    async waitFor(check: (host: Host) => boolean, timeoutMs = 5_000): Promise<void> {
        const until = Date.now() + timeoutMs;
        while (!check(this)) {
            if (Date.now() > until) {
                throw new Error(`waitFor timed out\nhost stderr:\n${this.stderr}\nlogs: ${JSON.stringify(this.logs)}`);
            }
            await new Promise((r) => setTimeout(r, 20));
        }
    }

    /** Kill the host and shut the fake engine down. */
    async stop(): Promise<void> {
        this.client.close();
        if (!this.exited && this.child.exitCode === null) {
            const gone = new Promise((r) => this.child.once("exit", r));
            this.child.kill();
            await gone;
        }
        this.engine.forceShutdown();
    }

    /** The ErrorResourceInitFailed detail of a failed call, if it has one (`grpc-status-details-bin`). */
    protected initFailure(metadata: Msg): InitFailure | undefined {
        const bin = metadata?.get?.("grpc-status-details-bin")?.[0];
        if (!bin) return undefined;
        for (const any of this.proto.status.Status.deserializeBinary(bin).getDetailsList()) {
            if (!String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
            const d = this.proto.prov.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
            return { id: d.getId(), properties: d.getProperties()?.toJavaScript() ?? {}, reasons: d.getReasonsList() };
        }
        return undefined;
    }

    /** The request with its URN, and the name and type the engine sends with it (parsed from the URN). */
    protected named(req: Msg, urnStr: string): Msg {
        const parts = urnStr.split("::");
        req.setUrn(urnStr);
        req.setType(parts[2]?.split("$").pop() ?? "");
        req.setName(parts[3] ?? "");
        return req;
    }

    protected toStruct(obj: Props): Msg {
        return this.proto.struct.Struct.fromJavaScript(stripUndefined(obj) as any);
    }

    /** Promisified unary call; host errors come back as gRPC UNKNOWN whose details are the message. */
    protected call(method: string, req: Msg): Promise<Msg> {
        return new Promise((resolve, reject) => {
            const deadline = new Date(Date.now() + 120_000);
            this.client[method](req, { deadline }, (err: any, resp: Msg) => {
                if (!err) return resolve(resp);
                // UNAVAILABLE usually means the host died: include its stderr to say why.
                const why = err.code === this.proto.grpc.status.UNAVAILABLE ? `\nhost stderr:\n${this.stderr}` : "";
                const e = new Error((err.details || err.message) + why) as Error & { code?: number; initFailure?: InitFailure };
                e.code = err.code;
                e.initFailure = this.initFailure(err.metadata);
                reject(e);
            });
        });
    }
}

/** Spawn the real dynamic-provider host from the project at `opts.cwd`. */
export function startHost(opts: StartHostOptions): Promise<Host> {
    return Host.start(opts);
}

/** A tiny `pulumirpc.Engine` server: records Log calls, answers the rest trivially. */
async function startFakeEngine(proto: Proto, logs: EngineLog[]) {
    const { grpc, eng, empty } = proto;
    const severities = ["debug", "info", "warning", "error"] as const;
    const { RequirePulumiVersionResponse } = eng as { RequirePulumiVersionResponse?: new () => Msg };
    const server = new grpc.Server();
    server.addService(proto.engRpc.EngineService, {
        log(call: any, cb: any) {
            const r = call.request;
            logs.push({ severity: severities[r.getSeverity()] ?? "info", message: r.getMessage(), urn: r.getUrn() });
            cb(null, new empty.Empty());
        },
        getRootResource(_call: any, cb: any) {
            cb(null, new eng.GetRootResourceResponse());
        },
        setRootResource(_call: any, cb: any) {
            cb(null, new eng.SetRootResourceResponse());
        },
        startDebugging(_call: any, cb: any) {
            cb(null, new empty.Empty());
        },
        // Newer @pulumi/pulumi only; where the proto lacks it, grpc answers UNIMPLEMENTED.
        ...(RequirePulumiVersionResponse && {
            requirePulumiVersion(_call: any, cb: any) {
                cb(null, new RequirePulumiVersionResponse());
            },
        }),
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
            err ? reject(err) : resolve(p),
        ),
    );
    return { engine: server, engineAddr: `127.0.0.1:${port}` };
}
