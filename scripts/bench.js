#!/usr/bin/env node
// `npm run bench [-- --quick]`: what the provider costs over raw REST calls.
//
// The same N resources (presets, webhooks and meetings in turn) are created,
// read and deleted twice against the emulator with a fixed added latency, at
// the same concurrency: through Pulumi's real dynamic-provider host (the
// engine's gRPC calls: Check + Create, Read, Delete), and as the same REST calls
// made directly with the package's client. Then: HTTP calls per operation,
// size of the serialized provider, host start time, and a faulted apply.
//
// Prints human-readable figures, and as its last line one JSON object:
//   {providerSeconds, rawSeconds, ratio, httpCallsPerOp, providerBytes, hostStartMs, faults}
//
// Needs `npm run build` (which also builds the offline engine, dist/engine) and
// the test fixtures compiled by scripts/tsconfig.bench.json (`npm run bench` does both).
"use strict";
const os = require("node:os");
const path = require("node:path");
const { parseArgs } = require("node:util");

const root = path.join(__dirname, "..");
const fixturesDir = path.join(root, "dist-bench", "fixtures");
let fixtures;
try {
  fixtures = { ...require(path.join(fixturesDir, "args")), ...require(path.join(fixturesDir, "faults")) };
} catch {
  console.error("dist-bench/ is missing: run `npm run bench` (or `npx tsc -p scripts/tsconfig.bench.json` after `npm run build`)");
  process.exit(1);
}
const { startHost, runProgram, urn, ProgramError } = require(path.join(root, "dist", "engine"));
const { presetArgs, webhookArgs, meetingArgs, standardFaults } = fixtures;
const { startEmulator } = require(path.join(root, "dist", "emulator"));
const provider = require(path.join(root, "dist", "provider"));
const { RealtimeKit, schema } = provider;

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean" },
    n: { type: "string" },
    concurrency: { type: "string" },
    latency: { type: "string" },
    rounds: { type: "string" },
  },
});
const N = Number(flags.n ?? (flags.quick ? 100 : 500));
const CONCURRENCY = Number(flags.concurrency ?? 8);
const LATENCY_MS = Number(flags.latency ?? 20);
// Each path is measured this many times, alternating, and its fastest round counts:
// other work on the machine slows one round, never speeds one up.
const ROUNDS = Number(flags.rounds ?? 2);
const FAULTED = 100;
const ACCOUNT = "bench-account";
const TOKEN = "bench-token";

const FAULTS = standardFaults(2024);

const KINDS = ["Preset", "Webhook", "Meeting"];
const GROUP = { Preset: "presets", Webhook: "webhooks", Meeting: "meetings" };
const SCHEMA = { Preset: schema.PresetCreate, Webhook: schema.WebhookCreate, Meeting: schema.MeetingCreate };
const ARGS = { Preset: presetArgs, Webhook: webhookArgs, Meeting: meetingArgs };
const typeOf = (kind) => `pulumi-nodejs:dynamic/realtimekit:${kind}`;

/** The i-th of n resources of a run: kinds in turn, names unique within the run. */
function resource(run, i) {
  const kind = KINDS[i % KINDS.length];
  const name = `${run}-${kind.toLowerCase()}-${i}`;
  return { kind, name, urn: urn(typeOf(kind), name), args: ARGS[kind](name) };
}

/** Runs `task(i)` for i in [0, n) with at most `limit` in flight. */
async function pool(n, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

async function timed(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const fmt = (s) => `${s.toFixed(2)} s`;

// --------------------------------------------------------------- the two paths

/** Through the host, as the engine calls it: Check then Create; Read; Delete. */
async function providerPath(host, providers, appId, run, n) {
  const ids = new Array(n);
  const outs = new Array(n);
  const phases = {};
  phases.create = await timed(() =>
    pool(n, CONCURRENCY, async (i) => {
      const r = resource(run, i);
      const { inputs, failures } = await host.check(r.urn, {}, { __provider: providers[r.kind], appId, ...r.args });
      if (failures.length) throw new Error(`${r.name}: ${JSON.stringify(failures)}`);
      const created = await host.create(r.urn, inputs);
      ids[i] = created.id;
      outs[i] = created.outs;
    }),
  );
  phases.read = await timed(() =>
    pool(n, CONCURRENCY, async (i) => {
      const r = resource(run, i);
      const read = await host.read(ids[i], r.urn, outs[i]);
      if (read.id !== ids[i]) throw new Error(`${r.name}: read lost it`);
    }),
  );
  phases.delete = await timed(() => pool(n, CONCURRENCY, (i) => host.delete(ids[i], resource(run, i).urn, outs[i])));
  return phases;
}

/** The same REST calls with the client: POST; GET; DELETE (a meeting, which has none: PATCH to INACTIVE). */
async function rawPath(api, appId, run, n) {
  const bodies = Array.from({ length: n }, (_, i) => {
    const r = resource(run, i);
    return { kind: r.kind, body: schema.convertKeys(SCHEMA[r.kind], r.args, "snake") };
  });
  const ids = new Array(n);
  const phases = {};
  phases.create = await timed(() =>
    pool(n, CONCURRENCY, async (i) => {
      const { kind, body } = bodies[i];
      ids[i] = (await api[GROUP[kind]].create(appId, body)).id;
    }),
  );
  phases.read = await timed(() => pool(n, CONCURRENCY, (i) => api[GROUP[bodies[i].kind]].get(appId, ids[i])));
  phases.delete = await timed(() =>
    pool(n, CONCURRENCY, async (i) => {
      const { kind } = bodies[i];
      if (kind === "Meeting") await api.meetings.update(appId, ids[i], { status: "INACTIVE" });
      else await api[GROUP[kind]].delete(appId, ids[i]);
    }),
  );
  return phases;
}

const total = (phases) => phases.create + phases.read + phases.delete;

/** Mean milliseconds of `fn`, one call at a time, after a warm-up. */
async function meanMs(n, fn) {
  for (let i = 0; i < 20; i++) await fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / n;
}

/**
 * One read of a preset, one call at a time, at each layer: the raw GET; the
 * provider's read called in this process (the same GET plus its mapping to
 * outputs); the host's Read over gRPC; and the host's Check, which sends nothing.
 */
async function layers(host, api, providers, appId, config) {
  const r = resource("layers", 0);
  const { inputs } = await host.check(r.urn, {}, { __provider: providers.Preset, appId, ...r.args });
  const { id, outs } = await host.create(r.urn, inputs);
  provider.configureFrom({ config: { get: (key) => config[key] } });
  const inProcess = provider.providers.Preset;
  const out = {
    rawGet: await meanMs(200, () => api.presets.get(appId, id)),
    providerRead: await meanMs(200, () => inProcess.read(id, outs)),
    hostRead: await meanMs(200, () => host.read(id, r.urn, outs)),
    hostCheck: await meanMs(200, () => host.check(r.urn, {}, inputs)),
  };
  await host.delete(id, r.urn, outs);
  return out;
}

// ------------------------------------------------------------------ the rest

/** HTTP calls the emulator counts for each provider operation of one resource of `kind`. */
async function callsPerOp(host, em, providers, appId, kind) {
  const r = resource("calls", KINDS.indexOf(kind));
  const counted = async (fn) => {
    em.requests.reset();
    const result = await fn();
    return [result, em.requests.total()];
  };
  const news = { __provider: providers[kind], appId, ...r.args };
  const [checked, check] = await counted(() => host.check(r.urn, {}, news));
  const [created, create] = await counted(() => host.create(r.urn, checked.inputs));
  const changed = { ...checked.inputs };
  if (kind === "Preset") changed.config = { ...changed.config, maxScreenshareCount: 2 };
  if (kind === "Webhook") changed.events = ["meeting.started"];
  if (kind === "Meeting") changed.recordOnStart = true;
  const [diffed, diff] = await counted(() => host.diff(created.id, r.urn, created.outs, changed));
  if (diffed.changes !== "some") throw new Error(`${kind}: diff saw no change`);
  const [updated, update] = await counted(() => host.update(created.id, r.urn, created.outs, changed));
  const [, read] = await counted(() => host.read(created.id, r.urn, updated.outs));
  const [, del] = await counted(() => host.delete(created.id, r.urn, updated.outs));
  return { create, read, update, delete: del, check, diff };
}

/** A faulted apply through the engine's step logic: what failed, what was made twice, what went missing. */
async function faultedApply(host, em, api) {
  const rtk = require(path.join(root, "dist", "sdk"));
  const apps = ["bench-faults-a", "bench-faults-b"];
  const declared = Array.from({ length: FAULTED }, (_, i) => ({ app: apps[i % 2], ...resource("faulted", i) }));
  const program = () => {
    const byName = Object.fromEntries(apps.map((name) => [name, new rtk.App(name, { name })]));
    for (const d of declared) new rtk[d.kind](d.name, { appId: byName[d.app].id, ...d.args });
  };
  em.setFaults(FAULTS);
  let state;
  let failed = 0;
  try {
    state = (await runProgram(program, { host })).state;
  } catch (e) {
    if (!(e instanceof ProgramError)) throw e;
    state = e.state;
    failed = declared.length + apps.length - e.steps.length;
    console.log(`  faulted apply failed: ${e.message.split("\n")[0]}`);
  } finally {
    em.setFaults({ latencyMs: LATENCY_MS });
  }
  const appIds = Object.fromEntries(Object.values(state).filter((r) => r.type.endsWith(":App")).map((r) => [r.name, r.id]));
  const inState = new Set(Object.values(state).map((r) => r.id));
  let duplicates = 0;
  let lost = 0;
  for (const d of declared) {
    const appId = appIds[d.app];
    const live = appId
      ? em.store.list(ACCOUNT, GROUP[d.kind], appId).filter((o) => (d.kind === "Meeting" ? o.title : o.name) === d.name)
      : [];
    duplicates += Math.max(0, live.length - 1);
    if (live.length === 0 || !live.some((o) => inState.has(o.id))) lost++;
  }
  for (const name of apps) {
    const live = em.store.apps(ACCOUNT).filter((a) => a.name === name);
    duplicates += Math.max(0, live.length - 1);
    if (!live.some((a) => inState.has(a.id))) lost++;
  }
  void api;
  return { failed, duplicates, lost };
}

async function main() {
  const em = await startEmulator({ token: TOKEN, faults: { latencyMs: LATENCY_MS } });
  // Neither path paces itself here: the API's 250 requests per 10 s would make both measure the pacer.
  const config = {
    "realtimekit:accountId": ACCOUNT,
    "realtimekit:apiToken": TOKEN,
    "realtimekit:baseUrl": em.url,
    "realtimekit:rateLimit": "1000000",
  };
  const api = new RealtimeKit({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl: em.url, rateLimit: { limit: 1_000_000, windowMs: 10_000 } });
  const hosts = [];
  try {
    // The serialized provider of each kind, as a program's resources carry it.
    const warm = await startHost({ cwd: root, config });
    hosts.push(warm);
    const rtk = require(path.join(root, "dist", "sdk"));
    const seeded = await runProgram(() => {
      const app = new rtk.App("seed", { name: "bench-seed" });
      for (const kind of KINDS) new rtk[kind](`seed-${kind}`, { appId: app.id, ...ARGS[kind](`seed-${kind.toLowerCase()}`) });
    }, { host: warm });
    const providers = {};
    for (const r of Object.values(seeded.state)) providers[r.type.split(":").pop()] = r.inputs.__provider;
    await warm.stop();

    // Host start: spawn, Configure, and the first Check answered (it loads the provider).
    const t0 = process.hrtime.bigint();
    const host = await startHost({ cwd: root, config });
    hosts.push(host);
    const configuredMs = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
    await host.check(resource("start", 0).urn, {}, { __provider: providers.Preset, appId: "app", ...presetArgs("start") });
    const hostStartMs = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);

    const appOf = async (name) => (await api.apps.create({ name })).id;

    const calls = {};
    const callsApp = await appOf("bench-calls");
    for (const kind of KINDS) calls[kind] = await callsPerOp(host, em, providers, callsApp, kind);
    const httpCallsPerOp = {};
    for (const op of ["create", "read", "update", "delete", "check", "diff"]) {
      httpCallsPerOp[op] = Math.max(...KINDS.map((k) => calls[k][op]));
    }

    // Warm both paths up (JIT, connections, the host's provider cache), then measure.
    const warmN = Math.min(30, N);
    await providerPath(host, providers, await appOf("bench-warm-provider"), "warm-p", warmN);
    await rawPath(api, await appOf("bench-warm-raw"), "warm-r", warmN);
    const rounds = { provider: [], raw: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      rounds.provider.push(await providerPath(host, providers, await appOf(`bench-provider-${round}`), `p${round}`, N));
      rounds.raw.push(await rawPath(api, await appOf(`bench-raw-${round}`), `r${round}`, N));
    }
    const fastest = (list) => list.reduce((a, b) => (total(b) < total(a) ? b : a));
    const provider = fastest(rounds.provider);
    const raw = fastest(rounds.raw);
    const providerSeconds = total(provider);
    const rawSeconds = total(raw);

    em.setFaults({});
    const layer = await layers(host, api, providers, await appOf("bench-layers"), config);
    em.setFaults({ latencyMs: LATENCY_MS });

    const faults = await faultedApply(host, em, api);
    const providerBytes = Math.max(...KINDS.map((k) => Buffer.byteLength(providers[k])));

    console.log(`pulumi-realtimekit benchmark: ${N} resources (${KINDS.join(", ")} in turn), ${CONCURRENCY} in flight, emulator latency ${LATENCY_MS} ms`);
    console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown cpu"}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log("");
    console.log("                      create     read   delete    total");
    const row = (label, p) =>
      console.log(`${label.padEnd(18)}${[p.create, p.read, p.delete, total(p)].map((s) => fmt(s).padStart(9)).join("")}`);
    for (let i = 0; i < ROUNDS; i++) {
      row(`provider, round ${i + 1}`, rounds.provider[i]);
      row(`raw, round ${i + 1}`, rounds.raw[i]);
    }
    row("provider (best)", provider);
    row("raw (best)", raw);
    const perOp = (s) => `${((s / (3 * N)) * 1000 * CONCURRENCY).toFixed(1)} ms`;
    console.log(`ratio provider/raw: ${(providerSeconds / rawSeconds).toFixed(3)}  (per operation, at ${CONCURRENCY} in flight: provider ${perOp(providerSeconds)}, raw ${perOp(rawSeconds)})`);
    console.log("");
    console.log("where the time goes: one preset read at a time, emulator without added latency (mean of 200):");
    console.log(`  raw GET with the client                        ${layer.rawGet.toFixed(2)} ms`);
    console.log(`  the provider's read, called in this process    ${layer.providerRead.toFixed(2)} ms  (the GET plus mapping it to outputs)`);
    console.log(`  Read through the host over gRPC                ${layer.hostRead.toFixed(2)} ms  (plus the engine's and host's gRPC and protobuf Struct work)`);
    console.log(`  Check through the host (no HTTP)               ${layer.hostCheck.toFixed(2)} ms`);
    console.log("");
    console.log("HTTP calls per operation (emulator count):");
    console.log(`  ${"".padEnd(8)}${["check", "create", "diff", "update", "read", "delete"].map((o) => o.padStart(8)).join("")}`);
    for (const kind of KINDS) {
      console.log(`  ${kind.padEnd(8)}${["check", "create", "diff", "update", "read", "delete"].map((o) => String(calls[kind][o]).padStart(8)).join("")}`);
    }
    console.log("");
    console.log(`serialized provider (__provider): ${KINDS.map((k) => `${k} ${Buffer.byteLength(providers[k])} B`).join(", ")}`);
    console.log(`host start (spawn to first Check answered): ${hostStartMs} ms (listening and configured after ${configuredMs} ms; the first Check loads the provider)`);
    console.log(`faulted apply of ${FAULTED} resources + 2 apps (errorRate 0.1, 429 bursts, 5-20 ms latency, 5% lost after / 5% before commit):`);
    console.log(`  failed ${faults.failed}, duplicates ${faults.duplicates}, lost ${faults.lost}`);
    console.log(
      JSON.stringify({
        providerSeconds: Number(providerSeconds.toFixed(3)),
        rawSeconds: Number(rawSeconds.toFixed(3)),
        ratio: Number((providerSeconds / rawSeconds).toFixed(3)),
        httpCallsPerOp,
        providerBytes,
        hostStartMs,
        faults,
      }),
    );
  } finally {
    await Promise.all(hosts.map((h) => h.stop().catch(() => undefined)));
    await em.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
