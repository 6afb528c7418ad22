// `npm run test:live` (scripts/test-live.js, test/live): without credentials it
// says what it needs and succeeds; with fake ones pointed at the emulator
// (CLOUDFLARE_BASE_URL) the whole acceptance suite passes, twice on one account,
// reusing its one app and leaving nothing active. The emulator runs as its CLI
// with the live API's modes a new token and lag bring (403 blips, lists behind).
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { APP_NAME, PREFIX } from "./live/suite";
import { root } from "./support/stack";

const SCRIPT = path.join(root, "scripts/test-live.js");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

/** The environment without Cloudflare credentials, and without the variables of the vitest running this file. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLOUDFLARE_|VITEST)/.test(k) && k !== "NODE_ENV"));
  return { ...env, NO_COLOR: "1", ...extra };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: root, env });
    children.push(child);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("npm run test:live", () => {
  it("without credentials: one line saying what it needs, exit 0", async () => {
    const { code, out } = await run([], cleanEnv());
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toHaveLength(1);
    expect(out).toMatch(/^test:live skipped: it needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN \(.*Realtime permission.*CLOUDFLARE_BASE_URL.*\)\n$/);
  });

  it("with fake credentials pointed at the emulator: the suite passes, twice on one account, one app, nothing left active", async () => {
    const token = "fake-live-token";
    const emulator = spawn(process.execPath, [path.join(root, "dist/emulator/cli.js"), "--token", token, "--new-token-403", "1000", "--consistency-lag", "1000"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(emulator);
    const url = await new Promise<string>((resolve) => createInterface({ input: emulator.stdout! }).once("line", resolve));
    const account = "acct-test-live";
    const env = cleanEnv({ CLOUDFLARE_ACCOUNT_ID: account, CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_BASE_URL: url });
    for (const attempt of ["first", "second"]) {
      const { code, out } = await run(["--no-build"], env); // `npm test` has built already
      expect(code, `${attempt} run:\n${out}`).toBe(0);
      expect(out).toMatch(/Tests\s+29 passed \(29\)/);
    }

    // What the two runs left: the one app, no preset or webhook of theirs, their meetings INACTIVE (three a run)
    // (read once the emulator's lists have caught up).
    await new Promise((r) => setTimeout(r, 1100));
    const get = async (sub: string) => {
      const res = await fetch(`${url}/accounts/${account}/realtime/kit${sub}`, { headers: { authorization: `Bearer ${token}` } });
      return (await res.json()) as { data: { id: string; name?: string; title?: string; status?: string }[] };
    };
    const apps = (await get("/apps")).data;
    expect(apps.map((a) => a.name)).toEqual([APP_NAME]);
    const appId = apps[0].id;
    expect((await get(`/${appId}/presets`)).data.filter((p) => p.name?.startsWith(PREFIX))).toEqual([]);
    expect(((await get(`/${appId}/webhooks`)).data ?? []).filter((w) => w.name?.startsWith(PREFIX))).toEqual([]);
    const meetings = (await get(`/${appId}/meetings?per_page=100`)).data.filter((m) => m.title?.startsWith(PREFIX));
    expect(meetings.map((m) => m.status)).toEqual(Array(6).fill("INACTIVE"));
    emulator.kill("SIGTERM");
  }, 300_000); // two nested vitest runs, on a machine busy with the rest of the suite
});
