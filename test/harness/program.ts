// A mini Pulumi engine: runs a program under `pulumi.runtime.setMocks` and, for every dynamic
// resource it registers, performs the engine's step logic (check → diff → create/update/replace)
// against the real dynamic-provider host. Resources left out of a run are deleted, like `pulumi up`.
import { createRequire } from "node:module";
import * as path from "node:path";
import { SECRET_SIG, SIG_KEY, urn as makeUrn, type DiffResult, type Host, type Props } from "./host";

export interface ResourceState {
    type: string;
    name: string;
    id: string;
    /** Checked inputs (including `__provider`), as the engine stores them. */
    inputs: Props;
    /** Plain (unwrapped) outputs; `secretOutputs` says which top-level keys are secret. */
    outputs: Props;
    secretOutputs: string[];
}
/** urn → resource; plain JSON, so it can be persisted between runs like a stack checkpoint. */
export type EngineState = Record<string, ResourceState>;

export interface Step {
    op: "create" | "update" | "same" | "replace" | "delete";
    name: string;
    urn: string;
    id: string;
    diff?: DiffResult;
}

/** A Pulumi program; what it returns (sync or async) becomes the stack outputs. */
export type Program = () => void | Record<string, unknown> | Promise<void | Record<string, unknown>>;

export interface RunOptions {
    host: Host;
    state?: EngineState;
    project?: string;
    stack?: string;
    /** Where @pulumi/pulumi is loaded from (default: the host's cwd). */
    cwd?: string;
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
}

/** Registration options the mocks don't pass to newResource; captured from the RegisterResourceRequest. */
interface RegOpts {
    urn: string;
    additionalSecretOutputs: string[];
    deleteBeforeReplace?: boolean;
}

type Pulumi = typeof import("@pulumi/pulumi");
/** Runtime functions that exist in @pulumi/pulumi's JS but are marked @internal in its typings. */
type RuntimeInternals = {
    unwrapSecretValues(value: unknown): [unknown, boolean];
    waitForRPCs(): Promise<void>;
};

export function isDynamicType(type: string): boolean {
    return type.startsWith("pulumi-nodejs:dynamic");
}

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
    const { host } = opts;
    const project = opts.project ?? "test";
    const stack = opts.stack ?? "test";
    const pulumi = loadPulumi(opts.cwd ?? host.cwd);
    const runtime = pulumi.runtime as unknown as RuntimeInternals;
    const old: EngineState = opts.state ?? {};
    const state: EngineState = {};
    const steps: Step[] = [];
    const regOpts = new Map<string, RegOpts>();
    const replaced: (ResourceState & { urn: string })[] = [];

    // Engine step logic for one dynamic resource; returns the outputs handed back to the program.
    async function step(type: string, name: string, news: Props, reg: RegOpts): Promise<{ id: string; outs: Props }> {
        const urn = reg.urn;
        const prior = old[urn];
        // The host does not accept secrets: strip them and remember which top-level inputs were secret.
        const secretKeys = new Set(reg.additionalSecretOutputs);
        const plainNews: Props = {};
        for (const [k, v] of Object.entries(news)) {
            const [plain, wasSecret] = runtime.unwrapSecretValues(v);
            plainNews[k] = plain;
            if (wasSecret) secretKeys.add(k);
        }

        const checked = await host.check(urn, prior?.inputs ?? {}, plainNews);
        if (checked.failures.length > 0) {
            const lines = checked.failures.map((f) => `${f.property}: ${f.reason}`);
            throw new Error(`${name}: check failed:\n${lines.join("\n")}`);
        }
        const inputs = checked.inputs;
        const save = (id: string, outs: Props, op: Step["op"], diff?: DiffResult) => {
            state[urn] = { type, name, id, inputs, outputs: outs, secretOutputs: [...secretKeys] };
            steps.push({ op, name, urn, id, diff });
            return { id, outs };
        };

        if (!prior) {
            const { id, outs } = await host.create(urn, inputs);
            return save(id, outs, "create");
        }
        const diff = await host.diff(prior.id, urn, prior.outputs, inputs);
        // DIFF_UNKNOWN (provider has no diff()): the engine falls back to comparing old and new inputs.
        const changed = diff.changes === "some" || (diff.changes === "unknown" && !sameJson(prior.inputs, inputs));
        if (changed && diff.replaces.length > 0) {
            const deleteFirst = reg.deleteBeforeReplace ?? diff.deleteBeforeReplace;
            if (deleteFirst) await host.delete(prior.id, urn, prior.outputs);
            const { id, outs } = await host.create(urn, inputs);
            // Default is create-before-delete; like the engine, the old one goes at the end of the run.
            if (!deleteFirst) replaced.push({ urn, ...prior });
            return save(id, outs, "replace", diff);
        }
        if (changed) {
            const { outs } = await host.update(prior.id, urn, prior.outputs, inputs);
            return save(prior.id, outs, "update", diff);
        }
        return save(prior.id, prior.outputs, "same", diff);
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
        async newResource(args: { type: string; name: string; inputs: Props }) {
            if (!isDynamicType(args.type)) return { id: `${args.name}_id`, state: args.inputs };
            if (failure) return hang();
            const reg = regOpts.get(`${args.type}::${args.name}`) ?? {
                urn: makeUrn(args.type, args.name, project, stack),
                additionalSecretOutputs: [],
            };
            const op = step(args.type, args.name, args.inputs, reg);
            inflight.add(op);
            try {
                const { id, outs } = await op;
                return { id, state: wrapSecrets(outs, state[reg.urn].secretOutputs) };
            } catch (e) {
                fail(e);
                return hang();
            } finally {
                inflight.delete(op);
            }
        },
    };

    await pulumi.runtime.setMocks(mocks as never, project, stack, false);
    // The mocks' newResource only sees type/name/inputs. Wrap the mock monitor's registerResource to
    // also capture the parent-qualified URN and options the engine would honour.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: any, cb: unknown): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        const type: string = req.getType();
        const parent: string = req.getParent();
        const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
        regOpts.set(`${type}::${req.getName()}`, {
            urn: makeUrn(qualified, req.getName(), project, stack),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        });
        return register(req, cb);
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
        throw new ProgramError(failure.error, { ...old, ...state }, steps);
    }

    for (const r of replaced.reverse()) await host.delete(r.id, r.urn, r.outputs);
    // Resources that were not registered this time are deleted (reverse creation order).
    for (const [urn, r] of Object.entries(old).reverse()) {
        if (state[urn]) continue;
        await host.delete(r.id, urn, r.outputs);
        steps.push({ op: "delete", name: r.name, urn, id: r.id });
    }
    return { state, steps, outputs };
}

/** Like `pulumi refresh`: read every resource and update `state` in place (dropping vanished ones). */
export async function refresh(state: EngineState, host: Host): Promise<RefreshResult[]> {
    const results: RefreshResult[] = [];
    for (const [urn, r] of Object.entries(state)) {
        const read = await host.read(r.id, urn, r.outputs, r.inputs);
        if (!read.id) {
            delete state[urn];
            results.push({ name: r.name, urn, changed: true, dropped: true });
            continue;
        }
        const inputs = read.inputs ?? r.inputs; // the engine keeps old inputs unless read returned some
        // As `pulumi refresh` reports it since pulumi/pulumi#16146: the provider's Diff of the
        // read state against the desired inputs (the state's, as `pulumi refresh` has no program).
        const diff = await host.diff(read.id, urn, read.props, r.inputs);
        // A provider without diff(): the engine compares the states itself.
        const drifted = diff.changes === "unknown" ? !sameJson(read.props, r.outputs) : diff.changes === "some";
        const changed = read.id !== r.id || drifted;
        state[urn] = { ...r, id: read.id, outputs: read.props, inputs };
        results.push({ name: r.name, urn, changed, dropped: false });
    }
    return results;
}

function wrapSecrets(outs: Props, secretKeys: string[]): Props {
    const wrapped: Props = { ...outs };
    for (const k of secretKeys) if (k in wrapped) wrapped[k] = { [SIG_KEY]: SECRET_SIG, value: wrapped[k] };
    return wrapped;
}

/** Resolve (nested) Outputs to plain values; secrets are unwrapped. */
function resolve(pulumi: Pulumi, value: Record<string, unknown>): Promise<Record<string, unknown>> {
    // Output#promise() is internal but, unlike apply(), it rejects when a dependency failed.
    const out = pulumi.output(value) as unknown as { promise(): Promise<Record<string, unknown>> };
    return out.promise();
}

/** Order-insensitive deep equality for JSON data. */
export function sameJson(a: unknown, b: unknown): boolean {
    return canonical(a) === canonical(b);
}
function canonical(v: unknown): string {
    return JSON.stringify(v, (_k, x) =>
        x && typeof x === "object" && !Array.isArray(x)
            ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]]))
            : x,
    );
}
