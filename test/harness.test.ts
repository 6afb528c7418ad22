// Self-test of the harness against a toy dynamic provider (independent of the real provider).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import {
    DYNAMIC_TYPE,
    ProgramError,
    refresh,
    runProgram,
    startHost,
    urn,
    type EngineState,
    type Host,
} from "./harness";

// Programs must load resource classes (and @pulumi/pulumi) through Node's require, not vitest's.
const nodeRequire = createRequire(__filename);
type ToyArgs = { db: string; value: string; kind?: string; secretIn?: unknown };
type ToyClass = new (name: string, args: ToyArgs, opts?: object) => Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const toy = (): { Toy: ToyClass } => nodeRequire("./fixtures/toy-provider.js");
const pulumi: typeof import("@pulumi/pulumi") = nodeRequire("@pulumi/pulumi");

const cwd = path.resolve(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "harness-test-"));
const readDb = (db: string): Record<string, { value: string; kind?: string }> => JSON.parse(fs.readFileSync(db, "utf8"));

let host: Host;
beforeAll(async () => {
    host = await startHost({ cwd, config: { "toy:prefix": "px" } });
});
afterAll(async () => {
    await host?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
});

describe("host (direct gRPC calls)", () => {
    it("urn() matches the mock monitor's URN shape", () => {
        expect(urn(DYNAMIC_TYPE, "a")).toBe("urn:pulumi:test::test::pulumi-nodejs:dynamic:Resource::a");
    });

    it("runs as a separate process and rejects with the provider's plain error text", async () => {
        const db = path.join(tmp, "direct.json");
        const { state } = await runProgram(() => void new (toy().Toy)("d", { db, value: "1" }), { host });
        const [u, r] = Object.entries(state)[0];
        expect(r.outputs.hostPid).toBe(host.pid);
        expect(host.pid).not.toBe(process.pid);

        const checked = await host.check(u, {}, { ...r.inputs, value: "bad" });
        expect(checked.failures).toEqual([{ property: "value", reason: "must not be 'bad'" }]);

        await expect(host.create(u, { ...r.inputs, value: "explode" })).rejects.toThrow(
            /^toy create exploded for d$/,
        );
        // undefined is stripped rather than breaking Struct encoding
        await expect(host.diff(r.id, u, r.outputs, { ...r.inputs, extra: undefined })).resolves.toMatchObject({
            changes: "none",
        });
        await runProgram(() => undefined, { host, state }); // clean up
    });
});

describe("runProgram lifecycle", () => {
    const db = path.join(tmp, "life.json");
    let state: EngineState = {};
    const up = async (values: Record<string, ToyArgs | undefined>) => {
        const res = await runProgram(
            () => {
                const { Toy } = toy();
                const outs: Record<string, unknown> = {};
                for (const [name, args] of Object.entries(values)) {
                    if (args) outs[name] = new Toy(name, args).id;
                }
                return outs;
            },
            { host, state },
        );
        state = res.state;
        return res;
    };
    const ops = (steps: { op: string; name: string }[]) => steps.map((s) => `${s.op}:${s.name}`).sort();

    it("creates two resources through the host, configured by Configure", async () => {
        const { steps, outputs } = await up({ a: { db, value: "1", kind: "x" }, b: { db, value: "2", kind: "x" } });
        expect(ops(steps)).toEqual(["create:a", "create:b"]);
        expect(outputs).toEqual({ a: state[urn(DYNAMIC_TYPE, "a")].id, b: state[urn(DYNAMIC_TYPE, "b")].id });
        expect(Object.keys(readDb(db)).sort()).toEqual(Object.values(outputs).sort());
        expect(String(outputs.a)).toMatch(/^px-a-/); // "toy:prefix" reached provider.configure
        for (const r of Object.values(state)) {
            expect(typeof r.inputs.__provider).toBe("string"); // the serialized provider went to the host
            expect(r.outputs.hostPid).not.toBe(process.pid);
        }
        expect(JSON.parse(JSON.stringify(state))).toEqual(state); // state is plain JSON
    });

    it("a second run with the same program is all 'same'", async () => {
        const before = readDb(db);
        const { steps } = await up({ a: { db, value: "1", kind: "x" }, b: { db, value: "2", kind: "x" } });
        expect(ops(steps)).toEqual(["same:a", "same:b"]);
        expect(readDb(db)).toEqual(before);
    });

    it("changing an input updates in place", async () => {
        const { steps } = await up({ a: { db, value: "1b", kind: "x" }, b: { db, value: "2", kind: "x" } });
        expect(ops(steps)).toEqual(["same:b", "update:a"]);
        expect(readDb(db)[state[urn(DYNAMIC_TYPE, "a")].id].value).toBe("1b");
    });

    it("a 'replaces' diff creates the replacement, then deletes the old one", async () => {
        const oldId = state[urn(DYNAMIC_TYPE, "b")].id;
        const { steps } = await up({ a: { db, value: "1b", kind: "x" }, b: { db, value: "2", kind: "y" } });
        expect(ops(steps)).toEqual(["replace:b", "same:a"]);
        const newId = state[urn(DYNAMIC_TYPE, "b")].id;
        expect(newId).not.toBe(oldId);
        expect(readDb(db)[oldId]).toBeUndefined();
        expect(readDb(db)[newId]).toEqual({ value: "2", kind: "y" });
    });

    it("a failing check surfaces as the engine prints it (the property, its value, the reason) and keeps the prior state", async () => {
        const prior = state;
        const err = await up({ a: { db, value: "bad", kind: "x" }, b: { db, value: "2", kind: "y" } }).catch((e) => e);
        expect(err).toBeInstanceOf(ProgramError);
        expect(err.message).toContain(`${DYNAMIC_TYPE} resource 'a': property value value {"bad"} has a problem: must not be 'bad'`);
        expect(err.state[urn(DYNAMIC_TYPE, "a")]).toEqual(prior[urn(DYNAMIC_TYPE, "a")]);
        state = prior;
    });

    it("a failing create rejects with the provider's message", async () => {
        const err = await up({ a: { db, value: "1b", kind: "x" }, b: { db, value: "2", kind: "y" }, c: { db, value: "explode" } }).catch((e) => e);
        expect(err).toBeInstanceOf(ProgramError);
        expect(err.message).toBe("toy create exploded for c");
        expect(err.state[urn(DYNAMIC_TYPE, "c")]).toBeUndefined();
        state = err.state;
    });

    it("refresh reports drift and drops resources that are gone", async () => {
        const a = state[urn(DYNAMIC_TYPE, "a")];
        const b = state[urn(DYNAMIC_TYPE, "b")];
        const cloud = readDb(db);
        cloud[a.id].value = "changed-out-of-band";
        delete cloud[b.id];
        fs.writeFileSync(db, JSON.stringify(cloud));

        const results = await refresh(state, host);
        expect(results.map(({ name, changed, dropped, changes }) => ({ name, changed, dropped, changes }))).toEqual([
            { name: "a", changed: true, dropped: false, changes: ["value"] },
            { name: "b", changed: true, dropped: true, changes: [] },
        ]);
        expect(state[urn(DYNAMIC_TYPE, "a")].outputs.value).toBe("changed-out-of-band");
        expect(state[urn(DYNAMIC_TYPE, "b")]).toBeUndefined();
        // Drift is reported against the desired inputs, which this toy's read leaves as they were:
        // a second refresh still reports it (the real provider's read returns the live inputs).
        expect((await refresh(state, host)).map((r) => [r.name, r.changed])).toEqual([["a", true]]);
    });

    it("resources removed from the program are deleted", async () => {
        const { steps } = await up({ a: { db, value: "changed-out-of-band", kind: "x" } });
        expect(ops(steps)).toEqual(["same:a"]);
        const { steps: s2 } = await up({});
        expect(ops(s2)).toEqual(["delete:a"]);
        expect(readDb(db)).toEqual({});
        expect(state).toEqual({});
    });
});

describe("engine details", () => {
    const db = path.join(tmp, "details.json");

    it("honours additionalSecretOutputs, secret inputs, and parent-qualified URNs", async () => {
        const { state, outputs } = await runProgram(
            () => {
                const { Toy } = toy();
                const parent = new pulumi.ComponentResource("my:test:Comp", "comp");
                const r = new Toy(
                    "s",
                    { db, value: "1", secretIn: pulumi.secret("shh") },
                    { parent, additionalSecretOutputs: ["token"] },
                );
                return {
                    tokenIsSecret: pulumi.isSecret(r.token),
                    secretInIsSecret: pulumi.isSecret(r.secretIn),
                    valueIsSecret: pulumi.isSecret(r.value),
                    token: r.token,
                };
            },
            { host },
        );
        const u = urn(`my:test:Comp$${DYNAMIC_TYPE}`, "s");
        expect(state[u].secretOutputs.sort()).toEqual(["secretIn", "token"]);
        expect(state[u].inputs.secretIn).toBe("shh"); // the host got the plain value
        expect(outputs).toEqual({
            tokenIsSecret: true,
            secretInIsSecret: true,
            valueIsSecret: false,
            token: `tok-${state[u].id}`,
        });
        await runProgram(() => undefined, { host, state });
    });

    it("the deleteBeforeReplace resource option deletes first", async () => {
        const dbr = path.join(tmp, "dbr.json");
        const program = (kind: string) => () => void new (toy().Toy)("r", { db: dbr, value: "1", kind }, { deleteBeforeReplace: true });
        const first = await runProgram(program("x"), { host });
        const second = await runProgram(program("y"), { host, state: first.state });
        expect(second.steps.map((s) => s.op)).toEqual(["replace"]);
        // The toy numbers ids by db size, so the same id proves the old one was gone before create.
        expect(second.state[urn(DYNAMIC_TYPE, "r")].id).toBe(first.state[urn(DYNAMIC_TYPE, "r")].id);
        expect(Object.values(readDb(dbr))).toEqual([{ value: "1", kind: "y" }]);
        await runProgram(() => undefined, { host, state: second.state });
    });

    it("provider pulumi.log.* goes to stderr (like the real CLI) or to the fake engine if asked", async () => {
        const program = () => void new (toy().Toy)("w", { db, value: "warn" });
        const { state } = await runProgram(program, { host });
        await host.waitFor((h) => /warning: \[runtime\] toy px-w-\d+ was asked to warn/.test(h.stderr));
        expect(host.logs).toEqual([]);
        await runProgram(() => undefined, { host, state });

        const logged = await startHost({ cwd, engineLogs: true });
        try {
            const res = await runProgram(program, { host: logged });
            await logged.waitFor((h) => h.logs.length > 0);
            expect(logged.logs).toEqual([{ severity: "warning", message: "toy toy-w-1 was asked to warn", urn: "" }]);
            expect(logged.stderr).not.toContain("asked to warn");
            await runProgram(() => undefined, { host: logged, state: res.state });
        } finally {
            await logged.stop();
        }
    });
});

describe("preview, get and program config", () => {
    const db = path.join(tmp, "plan.json");
    const ops = (steps: { op: string; name: string }[]) => steps.map((s) => `${s.op}:${s.name}`).sort();

    it("preview plans the same steps as up without writing, and ids not known yet stay unknown", async () => {
        const program = (value: string) => () => {
            const { Toy } = toy();
            const a = new Toy("a", { db, value, kind: "x" });
            // b's value is a's token: known for an existing a, not for one still to be created.
            const b = new Toy("b", { db, value: a.token as unknown as string, kind: "x" });
            return { a: a.id, b: b.id, bValue: b.value };
        };
        const plan = await runProgram(program("1"), { host, preview: true });
        expect(ops(plan.steps)).toEqual(["create:a", "create:b"]);
        expect(plan.steps.every((s) => s.id === "")).toBe(true);
        expect(plan.state).toEqual({});
        expect(plan.outputs).toEqual({}); // ids and b's value are not known before the create
        expect(fs.existsSync(db)).toBe(false);

        const { state } = await runProgram(program("1"), { host });
        const before = readDb(db);
        const change = await runProgram(program("2"), { host, state, preview: true });
        // As in `pulumi preview`: an update's outputs are not known until it runs, so b, which
        // takes a's token, is planned as an update too.
        expect(ops(change.steps)).toEqual(["update:a", "update:b"]);
        expect(change.steps.map((s) => s.changes)).toEqual([["value"], ["value"]]);
        expect(change.state).toBe(state);
        expect(readDb(db)).toEqual(before);

        const gone = await runProgram(() => undefined, { host, state, preview: true });
        expect(ops(gone.steps)).toEqual(["delete:a", "delete:b"]);
        expect(readDb(db)).toEqual(before);
        await runProgram(() => undefined, { host, state });
    });

    it("a resource with the id option is read (in a preview too), never written, and leaves the state without a delete", async () => {
        const { state } = await runProgram(() => void new (toy().Toy)("owned", { db, value: "v1" }), { host });
        const id = Object.values(state)[0].id;
        const getProgram = () => {
            // A get names the outputs it wants; the toy's has only its `db` as input.
            const got = new (toy().Toy)("seen", { db, value: undefined } as unknown as ToyArgs, { id });
            return { id: got.id, value: got.value };
        };
        for (const preview of [true, false]) {
            const run = await runProgram(getProgram, { host, preview });
            expect(run.steps.map((s) => `${s.op}:${s.name}:${s.id}`)).toEqual([`read:seen:${id}`]);
            expect(run.outputs).toEqual({ id, value: "v1" });
        }
        const read = await runProgram(getProgram, { host });
        expect(read.state[urn(DYNAMIC_TYPE, "seen")].external).toBe(true);

        const cloud = readDb(db);
        cloud[id].value = "v2";
        fs.writeFileSync(db, JSON.stringify(cloud));
        expect((await refresh(read.state, host)).map((r) => [r.name, r.changes])).toEqual([["seen", ["value"]]]);

        const dropped = await runProgram(() => undefined, { host, state: read.state });
        expect(dropped.steps).toEqual([]);
        expect(dropped.state).toEqual({});
        expect(readDb(db)[id].value).toBe("v2");

        const missing = await runProgram(() => void new (toy().Toy)("nope", { db } as ToyArgs, { id: "no-such-id" }), { host }).catch((e) => e);
        expect(missing.message).toBe("resource 'no-such-id' does not exist");
        await runProgram(() => undefined, { host, state });
    });

    it("the program reads its stack config, secrets included", async () => {
        const run = await runProgram(
            () => {
                const config = new pulumi.Config("toy");
                return { greeting: config.require("greeting"), secret: config.requireSecret("password") };
            },
            { host, config: { "toy:greeting": "hello", "toy:password": "pw" }, secretKeys: ["toy:password"] },
        );
        expect(run.outputs).toEqual({ greeting: "hello", secret: "pw" });
        const none = await runProgram(() => ({ greeting: new pulumi.Config("toy").get("greeting") ?? "unset" }), { host, config: {} });
        expect(none.outputs).toEqual({ greeting: "unset" });
    });
});
