// Runs the package's own plugin (pulumi-resource-realtimekit, dist/plugin/cli.js) as a child
// process and talks to it as the Pulumi engine does (pkg/resource/plugin/provider_plugin.go and
// pkg/resource/deploy/providers/registry.go): Handshake (the plugin answers UNIMPLEMENTED, so the
// engine goes on without), GetPluginInfo, CheckConfig, then Configure, before any resource call.
// The same calls as the dynamic-provider host (Host), plus those only a plugin answers.
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { Host, launch, SECRET_SIG, SIG_KEY, type CheckFailure, type CheckResult, type DiffResult, type Msg, type Props, type Protocol } from "./host";

export interface StartPluginOptions {
    /** The package directory (a clone of the repository, or the installed package): the plugin is started from it. */
    cwd: string;
    /**
     * How the engine starts it:
     * - "bin" (default): `pulumi-resource-realtimekit` found on PATH, i.e. dist/plugin/cli.js, in `cwd`;
     * - "PulumiPlugin.yaml": from the folder pulumi-plugin/ (`runtime: nodejs`) through the Node.js
     *   language host's RunPlugin: `node <@pulumi/pulumi/cmd/run-plugin, resolved from that folder>
     *   <the runtime's nodeargs option> <the folder> <engine flags> <engine address>` in the stack's
     *   directory `pwd` (sdk/nodejs/cmd/pulumi-language-nodejs/main.go).
     */
    from?: "bin" | "PulumiPlugin.yaml";
    /**
     * Instead, this executable (the self-contained plugin `npm run dist` builds, as the engine runs
     * it from a downloaded archive): started itself, with the engine's flags and address.
     */
    executable?: string;
    /**
     * Started by hand, as for `PULUMI_DEBUG_PROVIDERS=realtimekit:<port>`: the process gets no engine
     * address; the engine connects to its port and sends its address with Attach after the Handshake
     * (sdk/go/common/resource/plugin/provider_plugin.go, NewProvider).
     */
    attach?: boolean;
    /** The directory the engine runs in (the Pulumi project's), for `from: "PulumiPlugin.yaml"`; default `cwd`. */
    pwd?: string;
    /**
     * What the engine puts before its address: `--logtostderr` and `-v=<n>` with `pulumi --logflow`,
     * `--tracing <endpoint>` (pkg/resource/plugin/plugin.go, buildPluginArguments).
     */
    engineFlags?: string[];
    env?: Record<string, string>;
    /** The stack's config (`realtimekit:accountId` …), checked with CheckConfig and sent with Configure. */
    config?: Record<string, string>;
    /** Keys of `config` that are secrets (`pulumi config set --secret`). */
    secretKeys?: string[];
    /**
     * How Configure carries the config: in `args` (the provider's inputs, secrets wrapped), in
     * `variables` (the deprecated text map, keys `realtimekit:config:<key>`), or both, as the engine does.
     */
    configVia?: "both" | "args" | "variables";
}

/** The provider's config key of a stack config key: `realtimekit:accountId` → `accountId`. */
const configKey = (key: string) => key.slice(key.indexOf(":") + 1);

export class Plugin extends Host {
    /** The package whose resource types (`realtimekit:index:*`) and functions the plugin serves. */
    readonly pkg = "realtimekit";
    private configVia: NonNullable<StartPluginOptions["configVia"]> = "both";

    /** @internal use startPlugin() */
    static async startPlugin(opts: StartPluginOptions): Promise<Plugin> {
        const flags = opts.engineFlags ?? [];
        const launched = await launch(
            opts,
            (_pulumiDir, address) => {
                const engineAddr = opts.attach ? [] : [address];
                if (opts.executable) return [...flags, ...engineAddr];
                if (opts.from !== "PulumiPlugin.yaml") return [path.join(opts.cwd, "dist/plugin/cli.js"), ...flags, ...engineAddr];
                // The language host locates run-plugin with `require.resolve` from the plugin's folder, and
                // puts the runtime's `nodeargs` option between it and the folder (RunPlugin; shlex-split there,
                // on spaces here: ours has no quotes).
                const folder = path.join(opts.cwd, "pulumi-plugin");
                const { runtime } = YAML.parse(fs.readFileSync(path.join(folder, "PulumiPlugin.yaml"), "utf8"));
                const nodeargs = String(runtime?.options?.nodeargs ?? "").split(" ").filter(Boolean);
                return [require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [folder] }), ...nodeargs, folder, ...flags, ...engineAddr];
            },
            "plugin",
            opts.executable,
        );
        const plugin = new Plugin(launched, opts.cwd);
        plugin.configVia = opts.configVia ?? "both";
        try {
            // The engine handshakes first and goes on without where the plugin answers UNIMPLEMENTED.
            await plugin.handshake().catch((e: { code?: number }) => {
                if (e.code !== launched.proto.grpc.status.UNIMPLEMENTED) throw e;
            });
            if (opts.attach) await plugin.attach(launched.engineAddr);
            await plugin.getPluginInfo();
            const config = opts.config ?? {};
            const checked = await plugin.checkConfig(plugin.providerInputs(config, opts.secretKeys));
            if (checked.failures.length) throw new Error(`provider config: ${checked.failures.map((f) => f.reason).join("; ")}`);
            await plugin.configure(config, { secretKeys: opts.secretKeys });
        } catch (e) {
            await plugin.stop();
            throw e;
        }
        return plugin;
    }

    /**
     * The provider's inputs from stack config, as the engine builds a default provider's: keys
     * without the package (`accountId`), secrets wrapped.
     */
    providerInputs(config: Record<string, string>, secretKeys: string[] = []): Props {
        return Object.fromEntries(
            Object.entries(config).map(([k, v]) => [configKey(k), secretKeys.includes(k) ? { [SIG_KEY]: SECRET_SIG, value: v } : v]),
        );
    }

    /**
     * Configure as the engine sends it to a plugin: `args` keyed as the provider's inputs, `variables` as
     * `realtimekit:config:<key>`; `opts.variables`, a text map other than `config`'s (which of the two wins).
     */
    override async configure(
        config: Record<string, string>,
        opts: { secretKeys?: string[]; via?: StartPluginOptions["configVia"]; variables?: Record<string, string> } = {},
    ): Promise<Protocol> {
        const via = opts.via ?? this.configVia;
        const req = new this.proto.prov.ConfigureRequest();
        if (via !== "variables") req.setArgs(this.toStruct(this.providerInputs(config, opts.secretKeys)));
        if (via !== "args") for (const [k, v] of Object.entries(opts.variables ?? config)) req.getVariablesMap().set(`${this.pkg}:config:${configKey(k)}`, v);
        req.setType(`pulumi:providers:${this.pkg}`);
        return this.sendConfigure(req);
    }

    async handshake(): Promise<Msg> {
        const req = new this.proto.prov.ProviderHandshakeRequest();
        req.setConfigureWithUrn(true);
        return this.call("handshake", req);
    }

    /** Attach: the engine's address, to a plugin the engine did not start (an error fails the engine's load of it). */
    async attach(engineAddr: string): Promise<void> {
        const req = new this.proto.plugin.PluginAttach();
        req.setAddress(engineAddr);
        await this.call("attach", req);
    }

    async getPluginInfo(): Promise<{ version: string }> {
        const resp = await this.call("getPluginInfo", new this.proto.empty.Empty());
        return { version: resp.getVersion() };
    }

    /** The package schema, parsed. */
    async getSchema(): Promise<Record<string, any>> {
        const resp = await this.call("getSchema", new this.proto.prov.GetSchemaRequest());
        return JSON.parse(resp.getSchema());
    }

    /** CheckConfig of a provider resource: `news` keyed as the provider's inputs (see providerInputs). */
    async checkConfig(news: Props, olds: Props = {}): Promise<CheckResult> {
        return this.sendCheck("checkConfig", this.providerUrn(), olds, news);
    }

    /** DiffConfig: the old config (as outputs and inputs) against the new. */
    async diffConfig(olds: Props, news: Props): Promise<DiffResult> {
        const req = this.named(new this.proto.prov.DiffRequest(), this.providerUrn());
        req.setId("provider-id");
        req.setOlds(this.toStruct(olds));
        req.setOldInputs(this.toStruct(olds));
        req.setNews(this.toStruct(news));
        return this.diffResult(await this.call("diffConfig", req));
    }

    /** A function (`realtimekit:index:getApp` …): what it returns, or the failures of its arguments. */
    async invoke(tok: string, args: Props): Promise<{ result?: Props; failures: CheckFailure[] }> {
        const req = new this.proto.prov.InvokeRequest();
        req.setTok(tok);
        req.setArgs(this.toStruct(args));
        const resp = await this.call("invoke", req);
        return {
            result: resp.getReturn()?.toJavaScript(),
            failures: resp.getFailuresList().map((f: Msg) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async cancel(): Promise<void> {
        await this.call("cancel", new this.proto.empty.Empty());
    }

    /** Any unary RPC by its name (e.g. "construct") with an empty request of `type`, for what the engine may call and the plugin declines. */
    async callEmpty(method: string, type: string): Promise<Msg> {
        const ctor = (this.proto.prov as Record<string, any>)[type] ?? (this.proto.empty as Record<string, any>)[type];
        return this.call(method, new ctor());
    }

    /** The URN of the default provider, as the engine names it. */
    private providerUrn(): string {
        return `urn:pulumi:test::test::pulumi:providers:${this.pkg}::default`;
    }
}

/** Start the plugin from the package at `opts.cwd`, as the engine would find it on PATH. */
export function startPlugin(opts: StartPluginOptions): Promise<Plugin> {
    return Plugin.startPlugin(opts);
}
