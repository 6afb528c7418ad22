// The engine's step logic: runs a program under `pulumi.runtime.setMocks` and, for every dynamic
// resource it registers, does what the Pulumi engine does (check → diff → create/update/replace)
// against the real dynamic-provider host; resources of the plugin's package (`realtimekit:index:*`,
// as a generated SDK registers them) go to the plugin. Resources left out of a run are deleted, like
// `pulumi up`; with `preview`, nothing is written and the steps are the plan, like `pulumi preview`.
import { createRequire } from "node:module";
import * as path from "node:path";
import { changedPaths, driftedPaths, sameJson } from "./diff";
import { SECRET_SIG, SIG_KEY, UNKNOWN, urn as makeUrn, type DiffResult, type Host, type InitFailure, type Props } from "./host";
import type { Plugin } from "./plugin";
import { seal, unseal, withoutUnknowns, wrappedKeys } from "./secrets";

export interface ResourceState {
    type: string;
    name: string;
    id: string;
    /** Checked inputs (including `__provider`), as the engine stores them. */
    inputs: Props;
    /** Plain (unwrapped) outputs; `secretOutputs` says which top-level keys are secret. */
    outputs: Props;
    secretOutputs: string[];
    /** Which top-level keys of `inputs` are secret (inputs are plain too). */
    secretInputs?: string[];
    /** The `additionalSecretOutputs` option, which the engine keeps in the state and applies again after each step. */
    additionalSecretOutputs?: string[];
    /** Read with the `id` option (`X.get`): not managed, so never created, updated or deleted. */
    external?: boolean;
    /** Set when the create made the object but failed after it: the next run updates it whatever the diff says. */
    initErrors?: string[];
}
/** urn → resource; plain JSON, so it can be persisted between runs like a stack checkpoint. */
export type EngineState = Record<string, ResourceState>;

export interface Step {
    op: "create" | "update" | "same" | "replace" | "delete" | "read";
    name: string;
    urn: string;
    /** Empty for what a preview would create: the id is not known yet. */
    id: string;
    diff?: DiffResult;
    /** update and replace: the paths of the inputs that change, removed ones included (what the CLI's `--diff` shows). */
    changes?: string[];
}

/** A Pulumi program; what it returns (sync or async) becomes the stack outputs. */
export type Program = () => void | Record<string, unknown> | Promise<void | Record<string, unknown>>;

/** The providers a run talks to: the dynamic-provider host, the plugin, or both. */
export interface Doors {
    /** For `pulumi-nodejs:dynamic:*` resources. */
    host?: Host;
    /** For resources of its package (`realtimekit:index:*`). */
    plugin?: Plugin;
}

export interface RunOptions extends Doors {
    state?: EngineState;
    project?: string;
    stack?: string;
    /** Where @pulumi/pulumi is loaded from (default: the host's or plugin's cwd). */
    cwd?: string;
    /** Plan only, like `pulumi preview`: check and diff, reads, and no write; the state is returned unchanged. */
    preview?: boolean;
    /** The program's stack config (`pulumi.Config`), e.g. `{ "realtimekit:accountId": "..." }`; replaces what was set before. */
    config?: Record<string, string>;
    /** Keys of `config` that are secrets. */
    secretKeys?: string[];
}

export interface RunResult {
    state: EngineState;
    steps: Step[];
    outputs: Record<string, unknown>;
}

/** A failed run. Like a failed `pulumi up`, what was done so far is kept: `state` is the partial checkpoint. */
export class ProgramError extends Error {
    constructor(
        cause: unknown,
        readonly state: EngineState,
        readonly steps: Step[],
    ) {
        super(cause instanceof Error ? cause.message : String(cause), { cause });
    }
}

export interface RefreshResult {
    name: string;
    urn: string;
    changed: boolean;
    dropped: boolean;
    /**
     * What changed, as paths: for a managed resource, the inputs whose live value differs (what
     * the next `up` reverts); for an external one, the outputs that differ.
     */
    changes: string[];
}

/** What the mocks don't pass to newResource; captured from the Register/ReadResourceRequest. */
interface RegOpts {
    urn: string;
    additionalSecretOutputs: string[];
    deleteBeforeReplace?: boolean;
    /** The properties as the engine receives them: unknowns stay the sentinel (mocks make them undefined). */
    raw: Props;
    /** A ReadResource (`X.get`), not a RegisterResource. */
    read: boolean;
}

type Pulumi = typeof import("@pulumi/pulumi");
/** Runtime functions that exist in @pulumi/pulumi's JS but are marked @internal in its typings. */
type RuntimeInternals = {
    unwrapSecretValues(value: unknown): [unknown, boolean];
    waitForRPCs(): Promise<void>;
    setAllConfig(config: Record<string, string>, secretKeys?: string[]): void;
};

export function isDynamicType(type: string): boolean {
    return type.startsWith("pulumi-nodejs:dynamic");
}

/** The provider of a resource type among `doors`; undefined for types neither serves (the mocks answer those). */
export function doorOf(type: string, doors: Doors): Host | undefined {
    if (isDynamicType(type)) return doors.host ?? missing(type, "the dynamic-provider host");
    if (doors.plugin && type.split(":")[0] === doors.plugin.pkg) return doors.plugin;
    return undefined;
}
const missing = (type: string, what: string): never => {
    throw new Error(`${type}: the run has no ${what}`);
};

/**
 * `@pulumi/pulumi` through Node's own require (not vitest's module graph): the program's resource
 * classes must share this instance, and closure serialization needs real Node modules.
 */
export function loadPulumi(cwd: string): Pulumi {
    return createRequire(path.join(cwd, "package.json"))("@pulumi/pulumi");
}

// setMocks keeps process-global state, so runs must never overlap.
let running: Promise<unknown> = Promise.resolve();

export function runProgram(
    program: Program,
    opts: RunOptions,
): Promise<RunResult> {
    const run = running.then(() => runExclusive(program, opts));
    running = run.catch(() => undefined);
    return run;
}

async function runExclusive(
    program: Program,
    opts: RunOptions,
): Promise<RunResult> {
    const preview = opts.preview ?? false;
    const project = opts.project ?? "test";
    const stack = opts.stack ?? "test";
    const pulumi = loadPulumi(opts.cwd ?? (opts.host ?? opts.plugin)!.cwd);
    const runtime = pulumi.runtime as unknown as RuntimeInternals;
    const old: EngineState = opts.state ?? {};
    const state: EngineState = {};
    const steps: Step[] = [];
    const regOpts = new Map<string, RegOpts>();
    /** The id each `X.get` read returned, for the ReadResourceResponse. */
    const readIds = new Map<string, string>();
    const replaced: (ResourceState & { urn: string })[] = [];

    // Engine step logic for one resource of a provider (`door`); returns the outputs handed back to the program.
    async function step(door: Host, type: string, name: string, reg: RegOpts): Promise<{ id: string; outs: Props }> {
        const urn = reg.urn;
        const prior = old[urn];
        const aso = reg.additionalSecretOutputs;
        // The goal's inputs: kept wrapped for a provider that accepts secrets, stripped otherwise
        // (the engine then notes which top-level inputs held a secret).
        const goalSecrets = new Set<string>();
        const plainNews: Props = {};
        for (const [k, v] of Object.entries(reg.raw)) {
            const [plain, wasSecret] = runtime.unwrapSecretValues(v);
            plainNews[k] = plain;
            if (wasSecret) goalSecrets.add(k);
        }
        const sealOld = (r: ResourceState) => ({
            outputs: seal(door.protocol, r.outputs, r.secretOutputs),
            inputs: seal(door.protocol, r.inputs, r.secretInputs),
        });

        const checked = await door.check(urn, prior ? sealOld(prior).inputs : {}, door.protocol.acceptSecrets ? reg.raw : plainNews);
        if (checked.failures.length > 0) throw new Error(`${name}: check failed:\n${checkFailures(type, name, plainNews, checked.failures)}`);
        // The state's inputs are Check's answer (provider_plugin.go, Check): as the provider returned it
        // where it accepts secrets, so an input it answers outside a secret wrapper is stored in clear;
        // for a provider without secrets, the keys that held a secret in the goal (annotateSecrets).
        // additionalSecretOutputs never makes an input secret (step_executor.go marks outputs only).
        const answered = unseal(checked.inputs);
        const inputs = answered.plain;
        const secretInputs = door.protocol.acceptSecrets ? answered.secretKeys : Object.keys(inputs).filter((k) => goalSecrets.has(k));
        const sent = seal(door.protocol, inputs, secretInputs);
        /**
         * The secret outputs of an answer, as the engine marks them after each step (step_executor.go):
         * what the provider wrapped (for a provider without secrets, what annotateSecrets carries over from
         * the inputs sent: every key that holds a secret), the additionalSecretOutputs, and each output
         * whose input of the same name is itself a secret (not one that only holds one inside).
         */
        const secretOutputsOf = (answer: Props, before: string[] = []) => {
            const carried = door.protocol.acceptSecrets ? wrappedKeys(checked.inputs) : secretInputs;
            return [...new Set([...before, ...unseal(answer).secretKeys, ...carried, ...aso])];
        };
        /** Records the resource in the state, with the inputs checked above and their secrets. */
        const record = (id: string, outputs: Props, secretOutputs: string[], extra: Partial<ResourceState> = {}) => {
            state[urn] = {
                type,
                name,
                id,
                inputs,
                outputs,
                secretOutputs,
                ...(secretInputs.length ? { secretInputs } : {}),
                ...(aso.length ? { additionalSecretOutputs: aso } : {}),
                ...extra,
            };
        };
        const save = (id: string, outs: Props, op: Step["op"], secretOutputs: string[], diff?: DiffResult) => {
            record(id, outs, secretOutputs);
            const changes = op === "update" || op === "replace" ? changedPaths(withoutProvider(prior!.inputs), withoutProvider(inputs)) : undefined;
            steps.push({ op, name, urn, id, diff, ...(changes ? { changes } : {}) });
            return { id, outs };
        };
        /** Saves a provider's answer: its outputs plain, their secrets noted. */
        const saveAnswer = (id: string, answer: Props, op: Step["op"], diff?: DiffResult) => save(id, unseal(answer).plain, op, secretOutputsOf(answer), diff);
        // A preview writes nothing: a provider that supports previews says what the outputs will be
        // (what only the answer tells is not known yet); for one that does not, they are the inputs.
        const previewCreate = async () => (door.protocol.supportsPreview ? (await door.create(urn, sent, { preview: true })).outs : sent);

        if (!prior || prior.external) {
            if (preview) return saveAnswer("", await previewCreate(), prior ? "replace" : "create");
            try {
                const { id, outs } = await door.create(urn, sent);
                return saveAnswer(id, outs, prior ? "replace" : "create");
            } catch (e) {
                // Like the engine: an object made by a create that failed after it is recorded, to be updated next time.
                const init = (e as { initFailure?: InitFailure }).initFailure;
                if (init) record(init.id, unseal(init.properties).plain, secretOutputsOf(init.properties), { initErrors: init.reasons });
                throw e;
            }
        }
        const was = sealOld(prior);
        const diff = await door.diff(prior.id, urn, was.outputs, sent, was.inputs);
        // DIFF_UNKNOWN (provider has no diff()): the engine falls back to comparing old and new inputs.
        // An object recorded with init errors is always updated (the engine's applyReplaceOnChanges).
        const changed = diff.changes === "some" || !!prior.initErrors?.length || (diff.changes === "unknown" && !sameJson(prior.inputs, inputs));
        if (changed && diff.replaces.length > 0) {
            if (preview) return saveAnswer("", await previewCreate(), "replace", diff);
            const deleteFirst = reg.deleteBeforeReplace ?? diff.deleteBeforeReplace;
            if (deleteFirst) await door.delete(prior.id, urn, was.outputs, was.inputs);
            const { id, outs } = await door.create(urn, sent);
            // Default is create-before-delete; like the engine, the old one goes at the end of the run.
            if (!deleteFirst) replaced.push({ urn, ...prior });
            return saveAnswer(id, outs, "replace", diff);
        }
        if (changed) {
            const outs =
                !preview || door.protocol.supportsPreview ? (await door.update(prior.id, urn, was.outputs, sent, { preview, oldInputs: was.inputs })).outs : sent;
            return saveAnswer(prior.id, outs, "update", diff);
        }
        // The old outputs, with the secrets the state had.
        return save(prior.id, prior.outputs, "same", secretOutputsOf({}, prior.secretOutputs), diff);
    }

    // `X.get(name, id)`: the engine reads the object (in previews too, unless the id is not known yet) and manages nothing.
    async function read(door: Host, type: string, name: string, id: string, reg: RegOpts): Promise<{ id: string; outs: Props }> {
        const goal = unseal(reg.raw);
        // ReadStep sends the goal's properties as both inputs and state (step.go), marshalled without
        // unknowns (rpc.go: an unknown value "will be ignored"), secrets stripped for a provider without them.
        const known = withoutUnknowns(reg.raw);
        const props = door.protocol.acceptSecrets ? known : unseal(known).plain;
        const result = id === UNKNOWN ? { id: "", props: {} } : await door.read(id, reg.urn, props, props);
        if (id !== UNKNOWN && !result.id) throw new Error(`resource '${id}' does not exist`);
        // A managed resource that the program now only reads is deleted at the end, as the engine does.
        const prior = old[reg.urn];
        if (prior && !prior.external && !preview) replaced.push({ urn: reg.urn, ...prior });
        // The outputs' secrets: what the provider wrapped (for one without secrets, annotateSecrets carries
        // them over from the state sent), the additionalSecretOutputs, and inputs that are themselves secret.
        const carried = door.protocol.acceptSecrets ? wrappedKeys(reg.raw) : goal.secretKeys;
        const outputs = unseal(result.props);
        const secretOutputs = [...new Set([...outputs.secretKeys, ...carried, ...reg.additionalSecretOutputs])];
        state[reg.urn] = {
            type,
            name,
            id: result.id,
            inputs: goal.plain,
            outputs: outputs.plain,
            secretOutputs,
            ...(goal.secretKeys.length ? { secretInputs: goal.secretKeys } : {}),
            ...(reg.additionalSecretOutputs.length ? { additionalSecretOutputs: reg.additionalSecretOutputs } : {}),
            external: true,
        };
        readIds.set(`${type}::${name}`, result.id);
        steps.push({ op: "read", name, urn: reg.urn, id: result.id });
        return { id: result.id, outs: outputs.plain };
    }

    // On the first failure the run halts like the engine does: the failed registration (and any
    // later one) never completes instead of rejecting. Rejecting would make the Pulumi runtime reject
    // every output promise of the resource, which surfaces as a burst of unhandled rejections.
    let failure: { error: unknown } | undefined;
    let onFailure!: (e: unknown) => void;
    const failed = new Promise<never>((_, reject) => (onFailure = reject));
    failed.catch(() => undefined);
    const fail = (error: unknown) => {
        failure ??= { error };
        onFailure(failure.error);
    };
    const hang = () => new Promise<never>(() => undefined);
    const inflight = new Set<Promise<unknown>>();

    const mocks = {
        call: (args: { token: string }) => {
            throw new Error(`harness: invoke ${args.token} is not supported`);
        },
        async newResource(args: { type: string; name: string; inputs: Props; id?: string }) {
            let door: Host | undefined;
            try {
                door = doorOf(args.type, opts);
            } catch (e) {
                fail(e);
                return hang();
            }
            if (!door) return { id: `${args.name}_id`, state: args.inputs };
            if (failure) return hang();
            const reg = regOpts.get(`${args.type}::${args.name}`) ?? {
                urn: makeUrn(args.type, args.name, project, stack),
                additionalSecretOutputs: [],
                raw: args.inputs,
                read: false,
            };
            const op = reg.read ? read(door, args.type, args.name, args.id!, reg) : step(door, args.type, args.name, reg);
            inflight.add(op);
            try {
                const { id, outs } = await op;
                // In a preview, what holds an unknown is left out: the program sees it as not known yet.
                const known = preview ? Object.fromEntries(Object.entries(outs).filter(([, v]) => !hasUnknown(v))) : outs;
                return { id, state: wrapSecrets(known, state[reg.urn].secretOutputs) };
            } catch (e) {
                fail(e);
                return hang();
            } finally {
                inflight.delete(op);
            }
        },
    };

    await pulumi.runtime.setMocks(mocks as never, project, stack, preview);
    if (opts.config) runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
    // The mocks' newResource only sees type/name/inputs. Wrap the mock monitor's registerResource and
    // readResource to also capture the parent-qualified URN, the raw properties and the options the
    // engine would honour.
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: any, cb: unknown): unknown;
        readResource(req: any, cb: (err: unknown, resp: any) => void): unknown;
    };
    /* eslint-enable @typescript-eslint/no-explicit-any */
    const qualifiedUrn = (type: string, parent: string, name: string) =>
        makeUrn(parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type, name, project, stack);
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        regOpts.set(`${req.getType()}::${req.getName()}`, {
            urn: qualifiedUrn(req.getType(), req.getParent(), req.getName()),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
            raw: req.getObject()?.toJavaScript() ?? {},
            read: false,
        });
        return register(req, cb);
    };
    const readResource = monitor.readResource.bind(monitor);
    monitor.readResource = (req, cb) => {
        const key = `${req.getType()}::${req.getName()}`;
        regOpts.set(key, {
            urn: qualifiedUrn(req.getType(), req.getParent(), req.getName()),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            raw: req.getProperties()?.toJavaScript() ?? {},
            read: true,
        });
        // The engine answers with the id the provider's Read returned (ReadResourceResponse.id), and from
        // @pulumi/pulumi 3.276.0 on the SDK resolves the resource's id from it, since a Read may normalise
        // the id (pulumi/pulumi#10890); an empty one means "not known yet" in a preview. The mock monitor
        // leaves it empty, so it is filled in here; older SDKs have no such field and take the requested id.
        return readResource(req, (err, resp) => {
            if (!err && typeof resp?.setId === "function") resp.setId(readIds.get(key) ?? "");
            cb(err, resp);
        });
    };

    let outputs: Record<string, unknown> = {};
    try {
        const exported = (await Promise.race([program(), failed])) ?? {};
        // Resolving the stack outputs also waits for every resource they depend on.
        outputs = await Promise.race([resolve(pulumi, exported), failed]);
        // Then wait for registrations the outputs did not depend on (each holds an RPC keep-alive).
        await Promise.race([runtime.waitForRPCs(), failed]);
    } catch (e) {
        fail(e);
    }
    if (failure) {
        await Promise.allSettled([...inflight]); // let steps already talking to the host finish
        throw new ProgramError(failure.error, preview ? old : { ...old, ...state }, steps);
    }

    const remove = (r: ResourceState, urn: string) => {
        const door = doorOf(r.type, opts)!;
        return door.delete(r.id, urn, seal(door.protocol, r.outputs, r.secretOutputs), seal(door.protocol, r.inputs, r.secretInputs));
    };
    if (!preview) for (const r of replaced.reverse()) await remove(r, r.urn);
    // Resources that were not registered this time are deleted (reverse creation order); one that
    // was only read leaves the state, and nothing is deleted.
    for (const [urn, r] of Object.entries(old).reverse()) {
        if (state[urn] || r.external) continue;
        if (!preview) await remove(r, urn);
        steps.push({ op: "delete", name: r.name, urn, id: r.id });
    }
    return { state: preview ? old : state, steps, outputs };
}

/** Like `pulumi refresh`: read every resource and update `state` in place (dropping vanished ones). `doors`: a Host (or Plugin) for all, or each by type. */
export async function refresh(state: EngineState, doors: Host | Doors): Promise<RefreshResult[]> {
    const results: RefreshResult[] = [];
    const byType: Doors = "protocol" in doors ? ("invoke" in doors ? { plugin: doors as Plugin } : { host: doors }) : doors;
    for (const [urn, r] of Object.entries(state)) {
        const door = doorOf(r.type, byType);
        if (!door) continue;
        const outputs = seal(door.protocol, r.outputs, r.secretOutputs);
        const sentInputs = seal(door.protocol, r.inputs, r.secretInputs);
        const read = await door.read(r.id, urn, outputs, sentInputs);
        if (!read.id) {
            delete state[urn];
            results.push({ name: r.name, urn, changed: true, dropped: true, changes: [] });
            continue;
        }
        const props = unseal(read.props);
        const readInputs = read.inputs && unseal(read.inputs);
        const inputs = readInputs?.plain ?? r.inputs; // the engine keeps old inputs unless read returned some
        let drifted: boolean;
        let changes: string[];
        if (r.external) {
            // Not managed: the engine compares outputs only.
            changes = changedPaths(r.outputs, props.plain);
            drifted = changes.length > 0;
        } else {
            // As `pulumi refresh` reports it since pulumi/pulumi#16146: the provider's Diff of the
            // read state against the desired inputs (the state's, as `pulumi refresh` has no program).
            const diff = await door.diff(read.id, urn, read.props, sentInputs, read.inputs ?? sentInputs);
            // A provider without diff(): the engine compares the states itself.
            drifted = diff.changes === "unknown" ? !sameJson(props.plain, r.outputs) : diff.changes === "some";
            // Named for the report: the arguments whose live value differs, else whatever output changed.
            changes = drifted ? driftedPaths(withoutProvider(r.inputs), props.plain) : [];
            if (drifted && changes.length === 0) changes = changedPaths(r.outputs, props.plain);
        }
        const changed = read.id !== r.id || drifted;
        // As after any step (step_executor.go): what the provider wrapped (for one without secrets,
        // annotateSecrets carries over what the state sent held), the additionalSecretOutputs, and
        // outputs whose input is itself secret (the state notes top-level keys only: one that holds
        // a secret counts). Read's inputs, if any, are stored as answered (annotated likewise).
        const secretInputs = !readInputs
            ? r.secretInputs
            : door.protocol.acceptSecrets
              ? readInputs.secretKeys
              : Object.keys(readInputs.plain).filter((k) => r.secretInputs?.includes(k));
        const carried = door.protocol.acceptSecrets ? wrappedKeys(read.inputs ?? sentInputs) : [...r.secretOutputs, ...(secretInputs ?? [])];
        const secretOutputs = [...new Set([...props.secretKeys, ...carried, ...(r.additionalSecretOutputs ?? [])])];
        state[urn] = { ...r, id: read.id, outputs: props.plain, inputs, secretOutputs, ...(secretInputs?.length ? { secretInputs } : {}) };
        results.push({ name: r.name, urn, changed, dropped: false, changes });
    }
    return results;
}

function wrapSecrets(outs: Props, secretKeys: string[]): Props {
    const wrapped: Props = { ...outs };
    for (const k of secretKeys) if (k in wrapped) wrapped[k] = { [SIG_KEY]: SECRET_SIG, value: wrapped[k] };
    return wrapped;
}

/** Resolve (nested) Outputs to plain values; secrets are unwrapped, and (in a preview) what is not known yet left out. */
async function resolve(pulumi: Pulumi, value: Record<string, unknown>): Promise<Record<string, unknown>> {
    // Output#promise() is internal but, unlike apply(), it rejects when a dependency failed.
    const promise = (v: unknown) => (pulumi.output(v) as unknown as { promise(): Promise<unknown> }).promise();
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await promise(v)] as const));
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

export { sameJson };

/** Inputs as the program gave them: without the serialized provider. */
function withoutProvider({ __provider: _p, ...inputs }: Props): Props {
    return inputs;
}

/**
 * Check's failures as the engine prints them (step_generator.go, issueCheckFailures; diag errors
 * 2002 and 2003): one with a property shows the goal's value under that key, secrets included;
 * Go's `{%v}` of a key the goal does not have (a nested path) shows `{<nil>}`.
 */
function checkFailures(type: string, name: string, goal: Props, failures: { property: string; reason: string }[]): string {
    return failures
        .map((f) => {
            if (!f.property) return `${type} resource '${name}' has a problem: ${f.reason}`;
            const value = Object.hasOwn(goal, f.property) ? JSON.stringify(goal[f.property]) : "<nil>";
            return `${type} resource '${name}': property ${f.property} value {${value}} has a problem: ${f.reason}`;
        })
        .join("\n");
}

/** Whether a value is, or holds, the engine's unknown sentinel. */
function hasUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (v !== null && typeof v === "object") return Object.values(v).some(hasUnknown);
    return false;
}
