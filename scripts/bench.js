#!/usr/bin/env node
// `npm run bench [-- --quick]`: what this package costs against what a user
// would write instead.
//
// The baseline is scripts/peer-provider.js, a minimal hand-written dynamic
// provider (plain fetch, no validation, no retries, no pacing). Both run
// through Pulumi's real dynamic-provider host (one host process each, started
// the same way); the third column is this package's plugin
// (pulumi-resource-realtimekit, the same lifecycle with no closure to load),
// driven over the same gRPC calls by the offline engine's plugin door. All three
// run against the same emulator with a fixed added latency, side by side in one
// run, the same N resources (presets, webhooks and meetings in turn) at the same
// concurrency, phase by phase as the engine calls them:
//   create  Check + Create of a new resource
//   same    Check + Diff of an unchanged one (a no-change `pulumi up`)
//   read    Read (refresh)
//   delete  Delete
// For each phase: wall time, the provider process's CPU time per operation (from
// /proc), and HTTP calls per operation; raw REST calls (plain fetch, no host)
// are the floor. Then: peak RSS of each process; the rate limits (Cloudflare's
// documented ones, which the emulator enforces: 5,000 requests of the client on
// a simulated clock, scripts/paced-run.js, against the fastest the limits
// allow, answers 429 and the most requests in each window; two host processes
// back to back; the unpaced peer); refresh of meetings from list snapshots; a
// faulted apply.
//
// Prints human-readable figures, and as its last line one JSON object:
//   {n, vsPeer: {create|same|read|delete: {wall, hostCpu}} (project / peer),
//    pluginVsPeer, pluginVsProject (the same, plugin / peer and plugin / project),
//    hostCpuMsPerOp: {project, peer, plugin}, rawSeconds, httpCallsPerOp,
//    pluginHttpCallsPerOp, peakRssMiB: {project, peer, plugin}, hostStartMs,
//    pluginStartMs, rateLimit: {requests, answered429, ofCeiling, mostInWindow, ...},
//    refresh: {objects, httpCalls, drifted, missed, seconds}, faults}
//
// Needs `npm run build` (which also builds the offline engine, dist/engine) and
// the test fixtures compiled by scripts/tsconfig.bench.json (`npm run bench` does both).
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
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
const { startHost, startPlugin, runProgram, urn, ProgramError } = require(path.join(root, "dist", "engine"));
const { presetArgs, webhookArgs, meetingArgs, standardFaults } = fixtures;
const { startEmulator } = require(path.join(root, "dist", "emulator"));
const { RealtimeKit } = require(path.join(root, "dist", "provider", "client"));
const { DOCUMENTED_LIMITS } = require(path.join(root, "dist", "provider", "client", "limits"));
const { pacedRun } = require("./paced-run");
const { schema } = require(path.join(root, "dist", "provider"));
const peer = require("./peer-provider");

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean" },
    n: { type: "string" },
    concurrency: { type: "string" },
    latency: { type: "string" },
    rounds: { type: "string" },
    "rate-n": { type: "string" },
    "refresh-n": { type: "string" },
    "back-to-back": { type: "string" },
    "cpu-prof": { type: "string" },
  },
});
const quick = !!flags.quick;
const N = Number(flags.n ?? (quick ? 60 : 500));
const CONCURRENCY = Number(flags.concurrency ?? 8);
const LATENCY_MS = Number(flags.latency ?? 20);
// Each path is measured this many times, alternating, and its best round counts:
// other work on the machine slows a round, never speeds one up.
const ROUNDS = Number(flags.rounds ?? (quick ? 2 : 3));
const RATE_N = Number(flags["rate-n"] ?? (quick ? 1500 : 5000));
const BACK_TO_BACK = Number(flags["back-to-back"] ?? (quick ? 150 : 300));
const REFRESH_N = Number(flags["refresh-n"] ?? (quick ? 200 : 1000));
const EDITS = 10;
// More than the token's five-minute limit at once, so the peer's lack of pacing shows.
const PEER_AT_LIMIT = 1300;
const FAULTED = quick ? 30 : 100;
const ACCOUNT = "bench-account";
const TOKEN = "bench-token";

const KINDS = ["Preset", "Webhook", "Meeting"];
const GROUP = { Preset: "presets", Webhook: "webhooks", Meeting: "meetings" };
const SCHEMA = { Preset: schema.PresetCreate, Webhook: schema.WebhookCreate, Meeting: schema.MeetingCreate };
// Every path sends what the provider sends: a preset's role template under its keys, which gives the
// ui.config_diff and whole permissions the live create requires.
const { preset } = require(path.join(root, "dist", "provider", "resources", "preset"));
const ARGS = { Preset: (name) => preset.withDefaults(presetArgs(name)), Webhook: webhookArgs, Meeting: meetingArgs };
const PHASES = ["create", "same", "read", "delete"];

// ------------------------------------------------------------------ helpers

/** Runs `task(i)` for i in [0, n) with at most `limit` in flight. */
async function pool(n, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  } catch {
    return 10;
  }
})();

/** CPU time (user + system, all threads) a process has used so far, in ms; undefined without /proc. */
function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** A process's peak resident memory in MiB; undefined without /proc. */
function peakRssMiB(pid) {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1];
    return Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/** Wall seconds, host CPU ms and emulator HTTP calls of `fn`. */
async function measured(em, pid, fn) {
  const calls0 = em.requests.total();
  const cpu0 = cpuMs(pid);
  const t0 = process.hrtime.bigint();
  await fn();
  const wall = seconds(t0);
  const cpu1 = cpuMs(pid);
  return { wall, cpu: cpu0 === undefined ? undefined : cpu1 - cpu0, calls: em.requests.total() - calls0 };
}

const round3 = (x) => (x === undefined || x === null || Number.isNaN(x) ? null : Number(x.toFixed(3)));

// ------------------------------------------------------------------ the paths

/**
 * One implementation through a host: how its resources are declared
 * (`inputs(kind, name, appId)`: the arguments the engine checks), and its type token.
 */
function projectPath(providers) {
  return {
    label: "project",
    type: (kind) => `pulumi-nodejs:dynamic/realtimekit:${kind}`,
    inputs: (kind, name, appId) => ({ __provider: providers[kind], appId, ...ARGS[kind](name) }),
  };
}

/** The plugin: resources of the package's own types, with the same arguments and no serialized provider. */
function pluginPath() {
  return {
    label: "plugin",
    type: (kind) => `realtimekit:index:${kind}`,
    inputs: (kind, name, appId) => ({ appId, ...ARGS[kind](name) }),
  };
}

function peerPath(providers) {
  return {
    label: "peer",
    type: (kind) => `pulumi-nodejs:dynamic/peer:${kind}`,
    inputs: (kind, name, appId) => ({ __provider: providers[kind], appId, ...snakeBody(kind, name) }),
  };
}

const snakeBody = (kind, name) => schema.convertKeys(SCHEMA[kind], ARGS[kind](name), "snake");

/** The i-th of n resources of a run: kinds in turn, names unique within the run. */
function resource(way, run, i, appId) {
  const kind = KINDS[i % KINDS.length];
  const name = `${run}-${kind.toLowerCase()}-${i}`;
  return { kind, name, urn: urn(way.type(kind), name), news: way.inputs(kind, name, appId) };
}

/** The four phases through a host (or the plugin: the same calls), each measured; the resources are gone afterwards. */
async function hostRound(em, host, way, appId, run, n) {
  const state = new Array(n);
  const out = {};
  out.create = await measured(em, host.pid, () =>
    pool(n, CONCURRENCY, async (i) => {
      const r = resource(way, run, i, appId);
      const checked = await host.check(r.urn, {}, r.news);
      if (checked.failures.length) throw new Error(`${r.name}: ${JSON.stringify(checked.failures)}`);
      const created = await host.create(r.urn, checked.inputs);
      state[i] = { inputs: checked.inputs, id: created.id, outs: created.outs };
    }),
  );
  out.same = await measured(em, host.pid, () =>
    pool(n, CONCURRENCY, async (i) => {
      const r = resource(way, run, i, appId);
      const checked = await host.check(r.urn, state[i].inputs, r.news);
      await host.diff(state[i].id, r.urn, state[i].outs, checked.inputs);
    }),
  );
  out.read = await measured(em, host.pid, () =>
    pool(n, CONCURRENCY, async (i) => {
      const r = resource(way, run, i, appId);
      const read = await host.read(state[i].id, r.urn, state[i].outs, state[i].inputs);
      if (read.id !== state[i].id) throw new Error(`${r.name}: read lost it`);
    }),
  );
  out.delete = await measured(em, host.pid, () =>
    pool(n, CONCURRENCY, (i) => host.delete(state[i].id, resource(way, run, i, appId).urn, state[i].outs)),
  );
  return out;
}

/** The same REST calls with plain fetch and no host: the floor. */
async function rawRound(em, base, appId, run, n) {
  const api = async (method, p, body) => {
    const res = await fetch(`${base}/accounts/${ACCOUNT}/realtime/kit/${appId}${p}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status}`);
    return json.data;
  };
  const items = Array.from({ length: n }, (_, i) => {
    const kind = KINDS[i % KINDS.length];
    return { kind, body: snakeBody(kind, `${run}-${kind.toLowerCase()}-${i}`) };
  });
  const ids = new Array(n);
  const out = { same: { wall: 0, cpu: 0, calls: 0 } };
  out.create = await measured(em, process.pid, () =>
    pool(n, CONCURRENCY, async (i) => {
      ids[i] = (await api("POST", `/${GROUP[items[i].kind]}`, items[i].body)).id;
    }),
  );
  out.read = await measured(em, process.pid, () => pool(n, CONCURRENCY, (i) => api("GET", `/${GROUP[items[i].kind]}/${ids[i]}`)));
  out.delete = await measured(em, process.pid, () =>
    pool(n, CONCURRENCY, (i) =>
      items[i].kind === "Meeting"
        ? api("PATCH", `/meetings/${ids[i]}`, { status: "INACTIVE" })
        : api("DELETE", `/${GROUP[items[i].kind]}/${ids[i]}`),
    ),
  );
  return out;
}

/** Per phase, the best round: least wall time, least CPU (each on its own). */
function best(rounds) {
  const out = {};
  for (const phase of PHASES) {
    const list = rounds.map((r) => r[phase]);
    out[phase] = {
      wall: Math.min(...list.map((m) => m.wall)),
      cpu: list[0].cpu === undefined ? undefined : Math.min(...list.map((m) => m.cpu)),
      calls: list[0].calls,
    };
  }
  return out;
}

// ------------------------------------------------------------------ the rest

/** HTTP calls the emulator counts for each operation of one of our resources of `kind` (through the host or the plugin). */
async function callsPerOp(host, em, way, appId, kind) {
  const r = resource(way, "calls", KINDS.indexOf(kind), appId);
  const counted = async (fn) => {
    const before = em.requests.total();
    const result = await fn();
    return [result, em.requests.total() - before];
  };
  const [checked, check] = await counted(() => host.check(r.urn, {}, r.news));
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

const hostConfig = (em, extra = {}) => ({
  cwd: root,
  config: { "realtimekit:accountId": ACCOUNT, "realtimekit:apiToken": TOKEN, "realtimekit:baseUrl": em.url, ...extra },
  env: { CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: em.url, ...(extra.env ?? {}) },
});

/** With --cpu-prof DIR, the host writes DIR/<name>-<pid>.cpuprofile when stopped. */
function profiled(options, name) {
  if (!flags["cpu-prof"]) return options;
  const dir = path.resolve(flags["cpu-prof"]);
  fs.mkdirSync(dir, { recursive: true });
  const hook = path.join(__dirname, "cpu-prof-hook.js");
  const env = { ...options.env, NODE_OPTIONS: `--require ${JSON.stringify(hook)}`, BENCH_CPU_PROF_DIR: dir, BENCH_CPU_PROF_NAME: name };
  return { ...options, env };
}

/** An app through a host, as a program's App resource makes it. */
async function hostApp(host, providers, name) {
  const u = urn("pulumi-nodejs:dynamic/realtimekit:App", name);
  const { inputs } = await host.check(u, {}, { __provider: providers.App, name });
  return (await host.create(u, inputs)).id;
}

/** An app through the plugin, as a program's App resource of a generated SDK makes it. */
async function pluginApp(plugin, name) {
  const u = urn("realtimekit:index:App", name);
  const { inputs } = await plugin.check(u, {}, { name });
  return (await plugin.create(u, inputs)).id;
}

/** At the documented limits, on a simulated clock: RATE_N requests of the client against the emulator enforcing them. */
async function rateLimitRun() {
  const r = await pacedRun({ startEmulator, RealtimeKit, documented: DOCUMENTED_LIMITS, n: RATE_N });
  return {
    requests: r.requests,
    answered429: r.answered429,
    failed: r.failed,
    simulatedSeconds: r.elapsedMs / 1000,
    fastestSeconds: r.fastestMs / 1000,
    ofCeiling: round3(r.ofCeiling),
    mostInWindow: Object.fromEntries(r.windows.map((w) => [w.per, w.mostInWindow])),
  };
}

/** Two host processes, one after the other, each creating `n` apps at once (preview --refresh, then up). */
async function backToBack(providers, tmp) {
  const em = await startEmulator({ token: TOKEN, faults: { latencyMs: LATENCY_MS } });
  const hosts = await Promise.all([0, 1].map(() => startHost({ ...hostConfig(em), env: { ...hostConfig(em).env, TMPDIR: tmp } })));
  try {
    for (const [k, host] of hosts.entries()) {
      await pool(BACK_TO_BACK, BACK_TO_BACK, (i) => hostApp(host, providers, `b2b-${k}-${i}`));
      await host.stop();
    }
    return { answered429: em.requests.withStatus(429), mostInSecond: em.requests.maxInWindow(1000) };
  } finally {
    await Promise.all(hosts.map((h) => h.stop()));
    await em.close();
  }
}

/** The peer at the token's five-minute limit (the one window the emulator enforces here, so the count does not hang on timing): `n` creates at once, no pacing, no retries. */
async function peerAtLimit(providers, n) {
  const token = DOCUMENTED_LIMITS.find((l) => l.per === "token");
  const em = await startEmulator({ token: TOKEN, requestLimit: token, faults: { latencyMs: LATENCY_MS } });
  const host = await startHost(hostConfig(em));
  try {
    const appId = (await (await fetch(`${em.url}/accounts/${ACCOUNT}/realtime/kit/apps`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "peer-rate" }),
    }).then((r) => r.json())).data.app.id);
    const way = peerPath(providers);
    let failed = 0;
    await pool(n, n, async (i) => {
      const r = resource(way, "peer-rate", i, appId);
      const { inputs } = await host.check(r.urn, {}, r.news);
      await host.create(r.urn, inputs).catch(() => failed++);
    });
    return { answered429: em.requests.withStatus(429), failed };
  } finally {
    await host.stop();
    await em.close();
  }
}

/**
 * Refresh of `REFRESH_N` meetings through the host, all read at once as the
 * engine does, after EDITS of them were changed out of band (half of them in a
 * nested field): the HTTP calls it took (reads that come together share one
 * paginated list, and only the edited meetings are read with a GET), its wall
 * time, and the drift it reported.
 */
async function refreshRun(em, host, providers, appId) {
  const way = projectPath(providers);
  const state = new Array(REFRESH_N);
  await pool(REFRESH_N, CONCURRENCY, async (i) => {
    const u = urn(way.type("Meeting"), `refresh-${i}`);
    const { inputs } = await host.check(u, {}, { __provider: providers.Meeting, appId, ...meetingArgs(`refresh-${i}`) });
    const created = await host.create(u, inputs);
    state[i] = { urn: u, id: created.id, outs: created.outs, inputs };
  });
  const edited = Array.from({ length: EDITS }, (_, k) => Math.floor(((k + 0.5) * REFRESH_N) / EDITS));
  for (const [k, i] of edited.entries()) {
    const body = k % 2 ? { recording_config: { ...snake(state[i].outs.recordingConfig), max_seconds: 1800 + k } } : { title: `edited-${k}` };
    const res = await fetch(`${em.url}/accounts/${ACCOUNT}/realtime/kit/${appId}/meetings/${state[i].id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`out-of-band edit: HTTP ${res.status}`);
  }
  const before = em.requests.total();
  const t0 = process.hrtime.bigint();
  const drifted = new Set();
  await pool(REFRESH_N, REFRESH_N, async (i) => {
    const s = state[i];
    const read = await host.read(s.id, s.urn, s.outs, s.inputs);
    if (read.id !== s.id) throw new Error("refresh dropped a meeting");
    const diff = await host.diff(s.id, s.urn, read.props, s.inputs);
    if (diff.changes !== "none") drifted.add(i);
  });
  const wall = seconds(t0);
  const httpCalls = em.requests.total() - before;
  const missed = edited.filter((i) => !drifted.has(i)).length;
  return { objects: REFRESH_N, httpCalls, drifted: drifted.size, missed, seconds: round3(wall) };
}

/** The API's snake_case for a camelCase output object (the out-of-band edit goes to the API). */
function snake(v) {
  if (Array.isArray(v)) return v.map(snake);
  if (!v || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(x)]));
}

/** A faulted apply through the engine's step logic: what failed, what was made twice, what went missing. */
async function faultedApply(host, em) {
  const rtk = require(path.join(root, "dist", "sdk"));
  const apps = ["bench-faults-a", "bench-faults-b"];
  const way = projectPath({});
  const declared = Array.from({ length: FAULTED }, (_, i) => ({ app: apps[i % 2], ...resource(way, "faulted", i) }));
  const program = () => {
    const byName = Object.fromEntries(apps.map((name) => [name, new rtk.App(name, { name })]));
    for (const d of declared) new rtk[d.kind](d.name, { appId: byName[d.app].id, ...ARGS[d.kind](d.name) });
  };
  em.setFaults(standardFaults(2024));
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
  return { failed, duplicates, lost };
}

/** The serialized provider of each kind, as a program's resources carry it. */
async function serializedProviders(em) {
  const rtk = require(path.join(root, "dist", "sdk"));
  const host = await startHost(hostConfig(em));
  try {
    const out = { project: {}, peer: {} };
    const seeded = await runProgram(() => {
      const app = new rtk.App("seed", { name: "bench-seed" });
      for (const kind of KINDS) {
        new rtk[kind](`seed-${kind}`, { appId: app.id, ...ARGS[kind](`seed-${kind.toLowerCase()}`) });
        new peer[kind](`peer-seed-${kind}`, { appId: app.id, ...snakeBody(kind, `peer-seed-${kind.toLowerCase()}`) });
      }
    }, { host });
    for (const r of Object.values(seeded.state)) {
      const [, token, kind] = /dynamic\/(\w+):(\w+)$/.exec(r.type);
      out[token === "peer" ? "peer" : "project"][kind] = r.inputs.__provider;
    }
    return out;
  } finally {
    await host.stop();
  }
}

// ------------------------------------------------------------------ main

async function main() {
  const started = process.hrtime.bigint();
  // Neither host paces itself here: the emulator lifts the limit, which has a run of its own below.
  const em = await startEmulator({ token: TOKEN, requestLimit: false, faults: { latencyMs: LATENCY_MS } });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-bench-"));
  const hosts = [];
  try {
    const providers = await serializedProviders(em);
    const unpaced = hostConfig(em, { "realtimekit:rateLimit": "0" });
    const t0 = process.hrtime.bigint();
    const projectHost = await startHost(profiled(unpaced, "project"));
    hosts.push(projectHost);
    const configuredMs = Math.round(seconds(t0) * 1000);
    const project = projectPath(providers.project);
    const appOf = (name) => hostApp(projectHost, providers.project, name);
    // Host start: spawn, Configure, and the first Check and Create answered (it loads the provider).
    const startApp = await appOf("bench-start");
    const hostStartMs = Math.round(seconds(t0) * 1000);

    const peerHost = await startHost(profiled(unpaced, "peer"));
    hosts.push(peerHost);
    const peerWay = peerPath(providers.peer);

    // The plugin started as the engine starts it (Handshake, GetPluginInfo, CheckConfig, Configure), then its first create.
    const t1 = process.hrtime.bigint();
    const plugin = await startPlugin({ ...profiled(unpaced, "plugin"), secretKeys: ["realtimekit:apiToken"] });
    hosts.push(plugin);
    const pluginWay = pluginPath();
    const pluginStartApp = await pluginApp(plugin, "bench-plugin-start");
    const pluginStartMs = Math.round(seconds(t1) * 1000);

    const perOp = async (door, way, appId) => {
      const calls = {};
      for (const kind of KINDS) calls[kind] = await callsPerOp(door, em, way, appId, kind);
      const out = {};
      for (const op of ["create", "read", "update", "delete", "check", "diff"]) out[op] = Math.max(...KINDS.map((k) => calls[k][op]));
      return { calls, out };
    };
    const { calls, out: httpCallsPerOp } = await perOp(projectHost, project, startApp);
    const { out: pluginHttpCallsPerOp } = await perOp(plugin, pluginWay, pluginStartApp);

    // Warm each up (JIT, connections, the host's provider cache), then alternate rounds.
    const warmN = Math.min(30, N);
    await hostRound(em, projectHost, project, await appOf("warm-project"), "warm-p", warmN);
    await hostRound(em, peerHost, peerWay, await appOf("warm-peer"), "warm-q", warmN);
    await hostRound(em, plugin, pluginWay, await appOf("warm-plugin"), "warm-g", warmN);
    await rawRound(em, em.url, await appOf("warm-raw"), "warm-r", warmN);
    const rounds = { project: [], peer: [], plugin: [], raw: [] };
    for (let k = 1; k <= ROUNDS; k++) {
      rounds.project.push(await hostRound(em, projectHost, project, await appOf(`project-${k}`), `p${k}`, N));
      rounds.peer.push(await hostRound(em, peerHost, peerWay, await appOf(`peer-${k}`), `q${k}`, N));
      rounds.plugin.push(await hostRound(em, plugin, pluginWay, await appOf(`plugin-${k}`), `g${k}`, N));
      rounds.raw.push(await rawRound(em, em.url, await appOf(`raw-${k}`), `r${k}`, N));
    }
    const mine = best(rounds.project);
    const theirs = best(rounds.peer);
    const plugged = best(rounds.plugin);
    const floor = best(rounds.raw);
    const peakRss = { project: peakRssMiB(projectHost.pid), peer: peakRssMiB(peerHost.pid), plugin: peakRssMiB(plugin.pid) };

    const refresh = await refreshRun(em, projectHost, providers.project, await appOf("bench-refresh"));
    const faults = await faultedApply(projectHost, em);
    await Promise.all(hosts.map((h) => h.stop()));

    const rate = await rateLimitRun();
    // Neither figure depends on timing: the two runs share the machine.
    const [b2b, peerRate] = await Promise.all([
      backToBack(providers.project, fs.mkdtempSync(path.join(tmp, "b2b-"))),
      peerAtLimit(providers.peer, PEER_AT_LIMIT),
    ]);

    // ---------------------------------------------------------------- report
    const cpuPerOp = (m) => (m.cpu === undefined ? undefined : m.cpu / N);
    const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
    console.log(`pulumi-realtimekit benchmark: ${N} resources (${KINDS.join(", ")} in turn), ${CONCURRENCY} in flight, emulator latency ${LATENCY_MS} ms, best of ${ROUNDS} rounds`);
    console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown cpu"}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log("");
    console.log("against the minimal peer (scripts/peer-provider.js), through the same host and emulator:");
    console.log(`  ${"phase".padEnd(8)}${["wall project", "wall peer", "ratio", "raw REST", "cpu/op project", "cpu/op peer", "ratio", "calls/op"].map((h) => h.padStart(15)).join("")}`);
    const vsPeer = {};
    const hostCpuMsPerOp = { project: {}, peer: {}, plugin: {} };
    for (const phase of PHASES) {
      const wall = ratio(mine[phase].wall, theirs[phase].wall);
      const cpu = ratio(cpuPerOp(mine[phase]), cpuPerOp(theirs[phase]));
      vsPeer[phase] = { wall: round3(wall), hostCpu: round3(cpu) };
      hostCpuMsPerOp.project[phase] = round3(cpuPerOp(mine[phase]));
      hostCpuMsPerOp.peer[phase] = round3(cpuPerOp(theirs[phase]));
      const ms = (x) => (x === undefined ? "n/a" : `${x.toFixed(2)} ms`);
      console.log(
        `  ${phase.padEnd(8)}${[
          `${mine[phase].wall.toFixed(2)} s`,
          `${theirs[phase].wall.toFixed(2)} s`,
          wall === undefined ? "n/a" : wall.toFixed(3),
          phase === "same" ? "-" : `${floor[phase].wall.toFixed(2)} s`,
          ms(cpuPerOp(mine[phase])),
          ms(cpuPerOp(theirs[phase])),
          cpu === undefined ? "n/a" : cpu.toFixed(3),
          `${(mine[phase].calls / N).toFixed(2)} / ${(theirs[phase].calls / N).toFixed(2)}`,
        ]
          .map((c) => c.padStart(15))
          .join("")}`,
      );
    }
    console.log(`  (cpu/op: the host process's user+system CPU per resource, from /proc; calls/op: project / peer, at the emulator)`);
    console.log("");
    console.log("the plugin (pulumi-resource-realtimekit), the same calls through the offline engine's plugin door:");
    console.log(`  ${"phase".padEnd(8)}${["wall plugin", "/ peer", "/ project", "cpu/op plugin", "/ peer", "/ project", "calls/op"].map((h) => h.padStart(15)).join("")}`);
    const pluginVsPeer = {};
    const pluginVsProject = {};
    for (const phase of PHASES) {
      const cpu = cpuPerOp(plugged[phase]);
      pluginVsPeer[phase] = { wall: round3(ratio(plugged[phase].wall, theirs[phase].wall)), hostCpu: round3(ratio(cpu, cpuPerOp(theirs[phase]))) };
      pluginVsProject[phase] = { wall: round3(ratio(plugged[phase].wall, mine[phase].wall)), hostCpu: round3(ratio(cpu, cpuPerOp(mine[phase]))) };
      hostCpuMsPerOp.plugin[phase] = round3(cpu);
      const r = (x) => (x === null ? "n/a" : x.toFixed(3));
      console.log(
        `  ${phase.padEnd(8)}${[
          `${plugged[phase].wall.toFixed(2)} s`,
          r(pluginVsPeer[phase].wall),
          r(pluginVsProject[phase].wall),
          cpu === undefined ? "n/a" : `${cpu.toFixed(2)} ms`,
          r(pluginVsPeer[phase].hostCpu),
          r(pluginVsProject[phase].hostCpu),
          (plugged[phase].calls / N).toFixed(2),
        ]
          .map((c) => c.padStart(15))
          .join("")}`,
      );
    }
    console.log(`  (cpu/op: the plugin process's user+system CPU per resource, from /proc)`);
    console.log(`peak RSS: project host ${peakRss.project ?? "n/a"} MiB, peer host ${peakRss.peer ?? "n/a"} MiB, plugin ${peakRss.plugin ?? "n/a"} MiB`);
    console.log(`host start (spawn to first create answered): ${hostStartMs} ms (configured after ${configuredMs} ms); plugin: ${pluginStartMs} ms`);
    console.log("");
    console.log("HTTP calls per operation of ours (emulator count):");
    const ops = ["check", "create", "diff", "update", "read", "delete"];
    console.log(`  ${"".padEnd(8)}${ops.map((o) => o.padStart(8)).join("")}`);
    for (const kind of KINDS) console.log(`  ${kind.padEnd(8)}${ops.map((o) => String(calls[kind][o]).padStart(8)).join("")}`);
    console.log(`  ${"plugin".padEnd(8)}${ops.map((o) => String(pluginHttpCallsPerOp[o]).padStart(8)).join("")}  (the most of any kind)`);
    console.log("");
    const windows = DOCUMENTED_LIMITS.map((l) => `${l.requests} per ${l.windowMs >= 60_000 ? `${l.windowMs / 60_000} min` : `${l.windowMs / 1000} s`} per ${l.per}`).join(", ");
    console.log(`at the documented rate limits (${windows}; the emulator enforcing them):`);
    console.log(
      `  ${rate.requests} requests on a simulated clock: ${rate.simulatedSeconds.toFixed(0)} s against the fastest the limits allow, ${rate.fastestSeconds.toFixed(0)} s ` +
        `(${(100 * rate.ofCeiling).toFixed(1)}% of the ceiling's throughput), answered 429: ${rate.answered429}, ` +
        `most in any window: ${Object.entries(rate.mostInWindow).map(([per, n]) => `${n} (${per})`).join(", ")}`,
    );
    console.log(`  two processes back to back, ${BACK_TO_BACK} creates each: answered 429: ${b2b.answered429}, most in any second: ${b2b.mostInSecond}`);
    console.log(`  the peer, ${PEER_AT_LIMIT} creates at once: answered 429: ${peerRate.answered429} (${peerRate.failed} creates failed)`);
    console.log("");
    console.log(
      `refresh of ${refresh.objects} meetings, ${EDITS} changed out of band (half in a nested field): ${refresh.httpCalls} HTTP calls ` +
        `(${(refresh.objects / Math.max(1, refresh.httpCalls)).toFixed(1)} objects per call), drift reported on ${refresh.drifted}, edits missed: ${refresh.missed}, ${refresh.seconds} s`,
    );
    console.log(`faulted apply of ${FAULTED} resources + 2 apps (errorRate 0.1, 429 bursts, 5-20 ms latency, 5% lost after / 5% before commit):`);
    console.log(`  failed ${faults.failed}, duplicates ${faults.duplicates}, lost ${faults.lost}`);
    console.log(`bench wall time: ${seconds(started).toFixed(1)} s`);
    console.log(
      JSON.stringify({
        n: N,
        vsPeer,
        pluginVsPeer,
        pluginVsProject,
        hostCpuMsPerOp,
        rawSeconds: Object.fromEntries(["create", "read", "delete"].map((p) => [p, round3(floor[p].wall)])),
        httpCallsPerOp,
        pluginHttpCallsPerOp,
        peakRssMiB: peakRss,
        hostStartMs,
        pluginStartMs,
        rateLimit: {
          ...rate,
          backToBack: b2b,
          peerAnswered429: peerRate.answered429,
        },
        refresh: { objects: refresh.objects, httpCalls: refresh.httpCalls, drifted: refresh.drifted, missed: refresh.missed, seconds: refresh.seconds },
        faults,
      }),
    );
  } finally {
    await Promise.all(hosts.map((h) => h.stop().catch(() => undefined)));
    await em.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
