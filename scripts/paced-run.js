// Pacing at the documented limits, measured on a simulated clock: a run that
// would take 20 minutes (5,000 requests at 1,200 per five minutes) takes
// seconds. The real client (its pacers and their shared file) sends real HTTP
// requests to the real emulator, which enforces the limits; only Date, setTimeout
// and clearTimeout are simulated (@sinonjs/fake-timers), and the clock jumps to
// the next timer only when nothing has moved for a while: every request sent
// has been answered and the client is waiting for a pacer. So simulated time
// passes only while the client waits, never while a request is under way
// (latency 0: a request arrives and is answered at the moment it is sent, the
// hardest case for the margin a pacer keeps past a window's edge).
//
// Used by test/pacer.test.ts (with the TypeScript sources) and scripts/bench.js
// (with dist/): both hand in the emulator and the client.
"use strict";
const FakeTimers = require("@sinonjs/fake-timers");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const TOKEN = "paced-run-token";
const ACCOUNT = "paced-run-account";
/** Event-loop turns without an arrival or an answer before the clock may jump. */
const QUIET_TURNS = 20;

/**
 * The fastest `n` requests can go under `limits` from empty windows, each
 * sent the moment every window has room for it (no margin, no latency): the
 * ceiling's own schedule. Request i waits for request i - L of each window L/W
 * to leave it, at that one's time + W.
 */
function fastestMs(n, limits) {
  const t = [];
  for (let i = 0; i < n; i++) {
    let at = i ? t[i - 1] : 0;
    for (const l of limits) if (i >= l.requests) at = Math.max(at, t[i - l.requests] + l.windowMs);
    t.push(at);
  }
  return n ? t[n - 1] : 0;
}

/**
 * `n` GETs of the account's apps, `concurrency` at a time, from one client
 * pacing to `limits` (default: the documented ones) against an emulator
 * enforcing `enforced` (default: the documented ones). Returns the counts at the
 * emulator and the times on the simulated clock.
 */
async function pacedRun({ startEmulator, RealtimeKit, documented, n = 5000, concurrency = 16, limits, enforced }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-paced-run-"));
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = tmp; // the pacers' shared file: a folder of this run's own
  const clock = FakeTimers.install({ now: Date.now(), toFake: ["Date", "setTimeout", "clearTimeout"] });
  try {
    const em = await startEmulator({ token: TOKEN, ...(enforced && { requestLimit: enforced }) });
    try {
      const client = new RealtimeKit({ accountId: ACCOUNT, apiToken: TOKEN, baseUrl: em.url, ...(limits && { limits }) });
      const started = Date.now();
      let next = 0;
      let done = 0;
      let failed = 0;
      const worker = async () => {
        while (next < n) {
          next++;
          await client.http.request("GET", "/apps").catch(() => failed++);
          done++;
        }
      };
      let finished = false;
      const all = Promise.all(Array.from({ length: concurrency }, worker)).then(() => (finished = true));
      let last = -1;
      let quiet = 0;
      while (!finished) {
        await new Promise((resolve) => setImmediate(resolve));
        const progress = em.requests.total() + done * n;
        if (progress !== last) {
          last = progress;
          quiet = 0;
        } else if (++quiet >= QUIET_TURNS && clock.countTimers() > 0) {
          clock.next();
          quiet = 0;
        }
      }
      await all;
      const elapsedMs = Date.now() - started;
      const windows = (limits ?? documented).map((l) => ({ ...l, mostInWindow: em.requests.maxInWindow(l.windowMs) }));
      const fastest = fastestMs(n, enforced === undefined ? documented : enforced === false ? [] : [enforced].flat());
      return {
        requests: em.requests.total(),
        answered429: em.requests.withStatus(429),
        failed,
        elapsedMs,
        fastestMs: fastest,
        /** Throughput against the ceiling's: the fastest schedule's time over this run's. */
        ofCeiling: elapsedMs ? fastest / elapsedMs : 1,
        windows,
      };
    } finally {
      await em.close();
    }
  } finally {
    clock.uninstall();
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { pacedRun, fastestMs };
