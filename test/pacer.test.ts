// Pacing against the API's rate limits, measured where it counts: requests
// arriving at the emulator, which enforces the limits Cloudflare documents
// (3,500 per five minutes per account, 1,200 per five minutes per token, 200
// per second per client: provider/client/limits.ts) and can delay each request
// on its way in, so one sent later may arrive first. 5,000 requests at those
// limits run on a simulated clock (scripts/paced-run.js). Also: Retry-After
// values that are not a number of seconds or a date, the margin kept past a
// window's edge (on a simulated clock, where the edge is hit exactly), and the
// file that carries the pacing from one process to the next.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator";
import { RequestCounter } from "../emulator/requests";
import { RealtimeKit } from "../provider/client";
import { DOCUMENTED_LIMITS, limitsFor, type Limit } from "../provider/client/limits";
import { Pacer } from "../provider/client/pacer";
import { MAX_RETRY_AFTER_MS, retryAfterMs } from "../provider/client/retry-after";
import { runProgram, startHost, type Host } from "./harness";
import { nodeRequire, root, sdk } from "./support/stack";

const TOKEN = "tok-pacer-3c9d";
const WINDOW = 10_000;
const FIVE_MINUTES = 300_000;

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close().catch(() => undefined)));
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const em = await startEmulator({ token: TOKEN, ...options });
  closing.push(() => em.close());
  return em;
}

/** A dynamic-provider host for `account`, whose temp folder (where pacing is shared) is `tmp`. */
async function host(em: { url: string }, account: string, tmp: string): Promise<Host> {
  const h = await startHost({
    cwd: root,
    env: { TMPDIR: tmp },
    config: { "realtimekit:accountId": account, "realtimekit:apiToken": TOKEN, "realtimekit:baseUrl": em.url },
  });
  closing.push(() => h.stop());
  return h;
}

const freshTmp = () => mkdtempSync(path.join(tmpdir(), "rtk-pacer-"));

/** Runs `fn` with os.tmpdir() pointing at `dir`. */
function inTmp<T>(dir: string, fn: () => T): T {
  const old = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = old;
  }
}

/** `n` apps through the host as one program: every create at once, as the engine sends them. */
const apps = (h: Host, prefix: string, n: number) =>
  runProgram(() => {
    const rtk = sdk();
    for (let i = 0; i < n; i++) new rtk.App(`${prefix}-${i}`, { name: `${prefix}-${i}` });
  }, { host: h });

describe("Retry-After", () => {
  it("is a whole number of seconds or an HTTP date; anything else is ignored", () => {
    const now = Date.parse("2024-11-06T08:49:30Z");
    for (const bad of ["soon", "-5", "1e3", "1.5", "0x10", "Infinity", "", "   ", "Sun, 06 Nov 2024 08:49:37", "tomorrow 9am"]) {
      expect(retryAfterMs(bad, now), bad).toBeUndefined();
    }
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("0", now)).toBe(0);
    expect(retryAfterMs(" 3 ", now)).toBe(3000);
    // The three date forms of RFC 9110, seven seconds ahead.
    expect(retryAfterMs("Wed, 06 Nov 2024 08:49:37 GMT", now)).toBe(7000);
    expect(retryAfterMs("Wednesday, 06-Nov-24 08:49:37 GMT", now)).toBe(7000);
    expect(retryAfterMs("Wed Nov  6 08:49:37 2024", now)).toBe(7000);
    // A date gone by means now; no wait is longer than the cap.
    expect(retryAfterMs("Wed, 06 Nov 2024 08:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("86400", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs("999999999999999999", now)).toBeUndefined();
  });

  it("a 429 with Retry-After: soon, then -5, does not hang `pulumi up`: the create goes on after its own backoff", async () => {
    const em = await emulator();
    // In front of the emulator: the first two requests are answered 429 with a bad Retry-After.
    const bad = ["soon", "-5"];
    let seen = 0;
    const proxy: Server = createServer(async (req, res) => {
      seen++;
      const header = bad.shift();
      if (header !== undefined) {
        res.writeHead(429, { "retry-after": header, "content-type": "application/json" });
        res.end(JSON.stringify({ success: false, error: { code: 429, message: "slow down" } }));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const answer = await fetch(`http://127.0.0.1:${em.port}${req.url}`, {
        method: req.method,
        headers: { authorization: String(req.headers.authorization), "content-type": "application/json" },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(await answer.text());
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    closing.push(() => new Promise((r) => proxy.close(r)));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/client/v4`;
    const h = await host({ url }, "acct-retry-after", freshTmp());
    const run = await apps(h, "after-bad-retry-after", 1);
    expect(run.steps.map((s) => s.op)).toEqual(["create"]);
    expect(seen).toBe(3);
    expect(em.store.apps("acct-retry-after").map((a) => a.name)).toEqual(["after-bad-retry-after-0"]);
  });
});

describe("pacing", () => {
  it("never lets more than the limit arrive in any window, although requests arrive up to 300 ms after they are sent", async () => {
    const limit = { requests: 20, windowMs: 1000 };
    const em = await emulator({ requestLimit: limit, faults: { arrivalJitterMs: 300, latencyMs: 5, latencyJitterMs: 50 } });
    const rk = inTmp(freshTmp(), () => new RealtimeKit({ accountId: "acct-jitter", apiToken: TOKEN, baseUrl: em.url, limits: [{ per: "account", ...limit }] }));
    let next = 0;
    const worker = async () => {
      while (next++ < 120) await rk.http.request("GET", "/apps");
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(em.requests.total()).toBe(120);
    expect(em.requests.withStatus(429)).toBe(0);
    expect(em.requests.maxInWindow(limit.windowMs)).toBeLessThanOrEqual(limit.requests);
    // It does use the window: a full window's worth arrived together at least once.
    expect(em.requests.maxInWindow(limit.windowMs)).toBe(limit.requests);
  });

  it("a burst of 600 creates through the host, at the documented limits: at most 200 arrive in any second, none is answered 429", async () => {
    const em = await emulator({ faults: { arrivalJitterMs: 200, latencyMs: 20, latencyJitterMs: 40 } });
    const h = await host(em, "acct-burst", freshTmp());
    const run = await apps(h, "burst", 600);
    expect(run.steps.filter((s) => s.op === "create")).toHaveLength(600);
    expect(em.store.apps("acct-burst")).toHaveLength(600);
    expect(em.requests.withStatus(429)).toBe(0);
    // Latency and jitter leave a little of each second unused.
    expect(em.requests.maxInWindow(1000)).toBeLessThanOrEqual(200);
    expect(em.requests.maxInWindow(1000)).toBeGreaterThan(150);
  }, 120_000);

  it("two processes back to back (300 creates each): none is answered 429; they share one small private file per limit", async () => {
    const em = await emulator({ faults: { latencyMs: 20, latencyJitterMs: 20 } });
    const tmp = freshTmp();
    const [first, second] = await Promise.all([host(em, "acct-pipeline", tmp), host(em, "acct-pipeline", tmp)]);
    await apps(first, "preview", 300);
    await first.stop();
    await apps(second, "up", 300);
    expect(em.store.apps("acct-pipeline")).toHaveLength(600);
    expect(em.requests.withStatus(429)).toBe(0);
    expect(em.requests.maxInWindow(1000)).toBeLessThanOrEqual(200);
    // What they shared: one small file per limit (account, token, this machine), private to this user.
    const dir = readdirSync(tmp).map((d) => path.join(tmp, d));
    expect(dir).toHaveLength(1);
    expect(statSync(dir[0]).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir[0]);
    expect(files).toHaveLength(DOCUMENTED_LIMITS.length);
    for (const f of files) expect(statSync(path.join(dir[0], f)).mode & 0o777).toBe(0o600);
    // The token is in no file's name or content.
    for (const f of files) expect(f + readFileSync(path.join(dir[0], f), "latin1")).not.toContain(TOKEN);
  }, 120_000);
});

describe("the documented limits, on a simulated clock", () => {
  const { pacedRun } = nodeRequire(path.join(root, "scripts/paced-run.js")) as {
    pacedRun(o: { startEmulator: typeof startEmulator; RealtimeKit: typeof RealtimeKit; documented: readonly Limit[]; n?: number; limits?: readonly Limit[]; enforced?: EmulatorOptions["requestLimit"] }): Promise<{
      requests: number;
      answered429: number;
      failed: number;
      elapsedMs: number;
      fastestMs: number;
      ofCeiling: number;
      windows: (Limit & { mostInWindow: number })[];
    }>;
  };
  const run = (o: { limits?: readonly Limit[]; enforced?: EmulatorOptions["requestLimit"] } = {}) => pacedRun({ startEmulator, RealtimeKit, documented: DOCUMENTED_LIMITS, n: 5000, ...o });

  it("are Cloudflare's: 3,500 per five minutes per account (RealtimeKit), 1,200 per five minutes per token (the API's global limit), 200 per second per client", () => {
    expect(DOCUMENTED_LIMITS).toEqual([
      { per: "account", requests: 3500, windowMs: FIVE_MINUTES },
      { per: "token", requests: 1200, windowMs: FIVE_MINUTES },
      { per: "client", requests: 200, windowMs: 1000 },
    ]);
  });

  it("5,000 requests against the emulator enforcing them: none answered 429, every window used to the full, within 5% of the ceiling's throughput", async () => {
    const r = await run();
    expect(r).toMatchObject({ requests: 5000, answered429: 0, failed: 0 });
    expect(r.windows.map((w) => [w.per, w.mostInWindow])).toEqual([
      ["account", 1200], // the token's window is the tighter one for one token
      ["token", 1200],
      ["client", 200],
    ]);
    // The fastest the windows allow: four five-minute windows full, then the last 200.
    expect(r.fastestMs).toBe(4 * FIVE_MINUTES);
    expect(r.ofCeiling).toBeGreaterThanOrEqual(0.95);
    expect(r.ofCeiling).toBeLessThanOrEqual(1);
  }, 120_000);

  it("realtimekit:rateLimit 5000 (a raised token limit): the account's 3,500 per five minutes binds, none answered 429", async () => {
    const enforced = DOCUMENTED_LIMITS.filter((l) => l.per !== "token");
    const r = await run({ limits: limitsFor(5000), enforced });
    expect(r).toMatchObject({ requests: 5000, answered429: 0, failed: 0 });
    expect(r.windows.find((w) => w.per === "account")!.mostInWindow).toBe(3500);
    expect(r.ofCeiling).toBeGreaterThanOrEqual(0.95);
  }, 120_000);

  it("pacing to the old figure alone (250 per 10 s per account) would be answered 429 hundreds of times", async () => {
    const r = await run({ limits: [{ per: "account", requests: 250, windowMs: WINDOW }] });
    expect(r.answered429).toBeGreaterThan(100);
  }, 120_000);
});

describe("the margin at the window's edge", () => {
  /** The most arrivals within `windowMs` of each other, both ends counted: a server whose window includes its edge. */
  const maxInClosedWindow = (times: number[], windowMs: number) => {
    const t = [...times].sort((a, b) => a - b);
    let max = 0;
    for (let lo = 0, hi = 0; hi < t.length; hi++) {
      while (t[lo] < t[hi] - windowMs) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  };

  it("a server that counts both edges of its window still sees at most the limit: the next window's requests go a margin after the edge", async () => {
    // On a simulated clock the edge is hit exactly: the fastest server there is, where a
    // request arrives the moment it is sent and its answer comes back at once.
    vi.useFakeTimers({ now: 1_000_000, toFake: ["Date", "setTimeout", "clearTimeout"] });
    try {
      const limit = 250;
      const pacer = new Pacer({ limit, windowMs: WINDOW });
      const arrivals: number[] = [];
      const send = async () => {
        const release = await pacer.take();
        arrivals.push(Date.now());
        release();
      };
      const sent = Promise.all(Array.from({ length: 3 * limit }, send));
      await vi.runAllTimersAsync();
      await sent;
      expect(arrivals).toHaveLength(3 * limit);
      // Counted as the emulator counts (the window's start excluded), every window is used to the full...
      const emulator = new RequestCounter();
      for (const at of arrivals) emulator.record("GET", "/apps", at);
      expect(emulator.maxInWindow(WINDOW)).toBe(limit);
      // ...and a server that counts its start too (or whose clock rounds the edge its way) sees no more:
      // without the margin the second window's requests arrived exactly one window after the first's.
      expect(maxInClosedWindow(arrivals, WINDOW)).toBe(limit);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the shared pacing file", () => {
  const userDir = (tmp: string) => path.join(tmp, `pulumi-realtimekit-${process.getuid!()}`);
  /** A pacer sharing through `tmp`, and how long its next `n` requests wait to be let through. */
  const pacer = (tmp: string, limit: number) => inTmp(tmp, () => new Pacer({ limit, windowMs: 2000 }, "account-x"));
  async function takeAll(p: Pacer, n: number): Promise<number> {
    const t0 = Date.now();
    for (let i = 0; i < n; i++) (await p.take())();
    return Date.now() - t0;
  }

  it("a second pacer of the account starts from the first one's requests", async () => {
    const tmp = freshTmp();
    await takeAll(pacer(tmp, 5), 5);
    const second = pacer(tmp, 5);
    // Five answers within the last 2 s: the sixth must wait.
    const waited = await Promise.race([second.take().then((release) => (release(), "let through")), new Promise((r) => setTimeout(() => r("waits"), 300))]);
    expect(waited).toBe("waits");
    expect(await takeAll(pacer(freshTmp(), 5), 5)).toBeLessThan(300); // another folder: a window of its own
  });

  it("is not followed through a symlink: not its folder, not the file", async () => {
    if (process.platform === "win32") return;
    const outside = freshTmp();
    const target = path.join(outside, "keep.txt");
    writeFileSync(target, "mine\n");
    // The folder is a link to somewhere else.
    const linkedDir = freshTmp();
    symlinkSync(outside, userDir(linkedDir));
    await takeAll(pacer(linkedDir, 1000), 3);
    // The folder is real but the file is a link.
    const linkedFile = freshTmp();
    mkdirSync(userDir(linkedFile), { mode: 0o700 });
    const p = pacer(linkedFile, 1000);
    await takeAll(p, 1);
    const [file] = readdirSync(userDir(linkedFile));
    const other = freshTmp();
    const otherTarget = path.join(other, "keep.txt");
    writeFileSync(otherTarget, "mine too\n");
    const relinked = freshTmp();
    mkdirSync(userDir(relinked), { mode: 0o700 });
    symlinkSync(otherTarget, path.join(userDir(relinked), file));
    await takeAll(pacer(relinked, 1000), 5);
    expect(readdirSync(outside)).toEqual(["keep.txt"]);
    expect(readFileSync(target, "utf8")).toBe("mine\n");
    expect(readFileSync(otherTarget, "utf8")).toBe("mine too\n");
  });

  it("a folder others can write to is not used; a corrupt or oversized file is ignored and kept small", async () => {
    if (process.platform === "win32") return;
    const open = freshTmp();
    mkdirSync(userDir(open), { mode: 0o777 });
    chmodSync(userDir(open), 0o777);
    await takeAll(pacer(open, 1000), 3);
    expect(readdirSync(userDir(open))).toEqual([]);

    // Learn the account's file name, then fill it with garbage, times to come, and far too many lines.
    const tmp = freshTmp();
    await takeAll(pacer(tmp, 1000), 1);
    const [name] = readdirSync(userDir(tmp));
    const file = path.join(userDir(tmp), name);
    const now = Date.now();
    const junk = [
      "\u0000\u0001garbage\n",
      `${now + 3_600_000} aaaaaaaaaaaa\n`, // an hour ahead: not ours to wait for
      `${now} not-a-tag\n`,
      "1 2 3\n",
      `${now - 1000} bbbbbbbbbbbb\n`.repeat(100_000), // 2.6 MB
    ].join("");
    writeFileSync(file, junk);
    // With a limit above what the file's tail can hold, nothing waits.
    expect(await takeAll(pacer(tmp, 10_000), 10)).toBeLessThan(1000);
    // A pacer that polls rewrites it within its bound.
    const p = pacer(tmp, 10_000);
    await new Promise((r) => setTimeout(r, 150));
    await takeAll(p, 1);
    expect(statSync(file).size).toBeLessThanOrEqual(128 * 1024);
    expect(readFileSync(file, "latin1")).not.toContain("garbage");
  });
});
