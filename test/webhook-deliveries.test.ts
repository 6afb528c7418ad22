// Webhooks a program deploys, delivered by the emulator: a participant joins
// (the control API, as a client SDK would), and the receiver gets exactly the
// events its webhook subscribes to, each signed in `rtk-signature` and checked
// with the package's verifier. Through both doors: `enabled: false` and a new
// `events` list, applied with `up`, change what the next session delivers.
// Then the control API's refusals, the verifier's, the key helper's cache, and
// the emulator's CLI.
import { execFile } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runProgram, type EngineState } from "./harness";
import { dynamicDoor, pluginDoor, type DoorStack } from "./behaviour/doors";
import { presetArgs } from "./fixtures/args";
import { presetBody } from "./fixtures/bodies";
import { control, rest } from "./support/emulator-http";
import { byName } from "./support/live";
import { startReceiver, type Receiver } from "./support/receiver";
import { nodeRequire, root, sdk } from "./support/stack";

const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../emulator");
const { verifyWebhookSignature, fetchWebhookPublicKey } = sdk();

describe.each([dynamicDoor, pluginDoor])("webhooks deployed through $name", (door) => {
  let stack: DoorStack;
  let receiver: Receiver;
  beforeAll(async () => {
    stack = await door.start();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });

  const program = (webhook: { events: string[]; enabled?: boolean }) => () => {
    const rtk = stack.sdk();
    const app = new rtk.App("app", { name: "webhooks" });
    new rtk.Preset("host", { appId: app.id, ...presetArgs("host") } as never);
    new rtk.Meeting("meeting", { appId: app.id, title: "Weekly sync" });
    new rtk.Webhook("hook", { appId: app.id, name: "events", url: receiver.url, ...webhook } as never);
  };

  /** Adds a participant with the deployed preset, joins it, then (if asked) leaves and ends: the session's events. */
  async function session(state: EngineState, steps: ("leave" | "end")[] = ["end"]) {
    const app = byName(state, "app").id;
    const meeting = byName(state, "meeting").id;
    const added = await rest(stack, "POST", `/${app}/meetings/${meeting}/participants`, { preset_name: "host", name: "Mary Sue" });
    expect(added.status).toBe(201);
    const token = added.body.data.token;
    const joined = await control(stack, "POST", "join", { token });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body).toEqual({ session_id: expect.any(String), participant_id: added.body.data.id, peer_id: expect.any(String) });
    for (const step of steps) {
      const done = await control(stack, "POST", step, step === "end" ? { meeting_id: meeting } : { token });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }
    await stack.em.webhooks.settled();
    return joined.body as { session_id: string };
  }

  it("a join delivers exactly the subscribed events, each signed; disabled, nothing; new events, the new set", async () => {
    const publicKey = await fetchWebhookPublicKey({ url: stack.em.webhooks.publicKeyUrl });
    const first = await runProgram(program({ events: ["meeting.started", "meeting.participantJoined"] }), stack.doors);
    const hookId = byName(first.state, "hook").id;

    const { session_id } = await session(first.state);
    expect(receiver.got.map((g) => g.body.event)).toEqual(["meeting.started", "meeting.participantJoined"]);
    for (const got of receiver.got) {
      expect(verifyWebhookSignature(got.raw, got.headers["rtk-signature"] as string, publicKey)).toBe(true);
      expect(got.headers["rtk-webhook-id"]).toBe(hookId);
      expect(got.headers["content-type"]).toBe("application/json");
      expect(got.body.meeting.sessionId).toBe(session_id);
    }
    expect(new Set(receiver.got.map((g) => g.headers["rtk-uuid"])).size).toBe(2);
    expect(stack.em.webhooks.deliveries().filter((d) => d.webhook_id === hookId)).toEqual([
      expect.objectContaining({ event: "meeting.started", status: 200, attempts: 1, outcome: "delivered", url: receiver.url }),
      expect.objectContaining({ event: "meeting.participantJoined", status: 200, attempts: 1, outcome: "delivered" }),
    ]);

    // enabled: false, through `up`: the next session delivers nothing.
    const off = await runProgram(program({ events: ["meeting.started", "meeting.participantJoined"], enabled: false }), { ...stack.doors, state: first.state });
    expect(off.steps.find((s) => s.name === "hook")!.op).toBe("update");
    const logged = stack.em.webhooks.deliveries().length;
    receiver.got.length = 0;
    await session(off.state);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.got).toEqual([]);
    expect(stack.em.webhooks.deliveries()).toHaveLength(logged);

    // A new events list, and the `enabled: false` line removed (the API's default, true): the next session
    // delivers the new set, and only it.
    const moved = await runProgram(program({ events: ["meeting.participantLeft", "meeting.ended"] }), { ...stack.doors, state: off.state });
    expect(moved.steps.find((s) => s.name === "hook")!.op).toBe("update");
    await session(moved.state, ["leave", "end"]);
    expect(receiver.got.map((g) => g.body.event)).toEqual(["meeting.participantLeft", "meeting.ended"]);
    expect(receiver.got[1].body.reason).toBe("ALL_PARTICIPANTS_LEFT");
    for (const got of receiver.got) expect(verifyWebhookSignature(got.raw, got.headers["rtk-signature"] as string, publicKey)).toBe(true);
  });
});

/** An emulator over plain HTTP with an app, a preset "host", a meeting and a webhook to `receiver` for every event. */
async function world(receiver: Receiver, options: Parameters<typeof startEmulator>[0] = {}) {
  const token = "control-token";
  const account = "acct";
  const em = await startEmulator({ token, ...options });
  const at = (method: string, sub: string, body?: unknown) => rest({ em, token, account }, method, sub, body);
  const app = (await at("POST", "/apps", { name: "control" })).body.data.app.id as string;
  expect((await at("POST", `/${app}/presets`, presetBody("host"))).status).toBe(201);
  const meeting = (await at("POST", `/${app}/meetings`, { title: "Weekly sync" })).body.data.id as string;
  const events = ["meeting.started", "meeting.ended", "meeting.participantJoined", "meeting.participantLeft"];
  const webhook = (await at("POST", `/${app}/webhooks`, { name: "all", url: receiver.url, events })).body.data.id as string;
  const add = async (meetingId = meeting, customId?: string) =>
    (await at("POST", `/${app}/meetings/${meetingId}/participants`, { preset_name: "host", ...(customId && { custom_participant_id: customId }) })).body.data as { id: string; token: string };
  const ctl = (method: string, route: string, body?: unknown, bearer = token) => control({ em, token: bearer }, method, route, body);
  return { em, token, account, app, meeting, webhook, at, add, ctl };
}

describe("the control API", () => {
  let receiver: Receiver;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    w = await world(receiver);
  });
  afterAll(async () => {
    await w?.em.close();
    await receiver?.close();
  });

  it("refuses bad input with a 4xx naming the field, and keeps nothing", async () => {
    const p = await w.add();
    const other = (await w.at("POST", `/${w.app}/meetings`, { title: "Closed" })).body.data.id as string;
    const closed = await w.add(other);
    expect((await w.at("PATCH", `/${w.app}/meetings/${other}`, { status: "INACTIVE" })).status).toBe(200);
    const forged = p.token.split(".").slice(0, 2).join(".") + ".AAAA";
    const unknown = "00000000-0000-4000-8000-000000000000";
    const refusals: [string, unknown, number, RegExp][] = [
      ["join", undefined, 400, /^token: /],
      ["join", { token: 42 }, 400, /^token: /],
      ["join", { token: p.token, extra: 1 }, 400, /extra/],
      ["join", { token: "not-a-token" }, 401, /^token: not a participant token this emulator issued/],
      ["join", { token: forged }, 401, /^token: not a participant token this emulator issued/],
      ["join", { token: closed.token }, 409, new RegExp(`^token: meeting ${other} is INACTIVE: nobody can join it`)],
      ["leave", { token: p.token }, 409, new RegExp(`^token: participant ${p.id} is not in a session of meeting ${w.meeting}$`)],
      ["end", {}, 400, /^meeting_id: /],
      ["end", { meeting_id: unknown }, 404, new RegExp(`^meeting_id: meeting ${unknown} not found$`)],
      ["end", { meeting_id: w.meeting }, 409, new RegExp(`^meeting_id: meeting ${w.meeting} has no session in progress$`)],
    ];
    for (const [route, body, status, message] of refusals) {
      const r = await w.ctl("POST", route, body);
      expect([route, r.status, r.body.error?.message], JSON.stringify(body)).toEqual([route, status, expect.stringMatching(message)]);
    }
    // A deleted participant's tokens are revoked.
    const gone = await w.add();
    expect((await w.at("DELETE", `/${w.app}/meetings/${w.meeting}/participants/${gone.id}`)).status).toBe(200);
    const revoked = await w.ctl("POST", "join", { token: gone.token });
    expect([revoked.status, revoked.body.error.message]).toEqual([401, `token: participant ${gone.id} does not exist: deleted (which revokes its tokens) or never added here`]);
    // The API's token, not another.
    expect((await w.ctl("POST", "join", { token: p.token }, "wrong")).status).toBe(401);
    expect((await w.ctl("GET", "deliveries", undefined, "wrong")).status).toBe(401);
    expect((await w.ctl("GET", "join")).status).toBe(405);
    expect((await w.ctl("GET", "nothing-here")).status).toBe(404);

    // Nothing was kept: no delivery, and the next join starts the meeting's first session.
    await w.em.webhooks.settled();
    expect(w.em.webhooks.deliveries()).toEqual([]);
    expect(receiver.got).toEqual([]);
    const joined = await w.ctl("POST", "join", { token: p.token });
    expect(joined.status).toBe(200);
    const again = await w.ctl("POST", "join", { token: p.token });
    expect([again.status, again.body.error.message]).toEqual([409, `token: participant ${p.id} is already in session ${joined.body.session_id} of meeting ${w.meeting} (leave first)`]);
    await w.em.webhooks.settled();
    expect(receiver.got.map((g) => g.body.event)).toEqual(["meeting.started", "meeting.participantJoined"]);
    expect((await w.ctl("POST", "end", { meeting_id: w.meeting })).body).toEqual({ session_id: joined.body.session_id, meeting_id: w.meeting, reason: "HOST_ENDED_MEETING" });
  });

  it("close() cuts the deliveries under way: it does not wait for a receiver that never answers", async () => {
    const hanging = await startReceiver();
    hanging.answer = "hang";
    const v = await world(hanging);
    try {
      await v.ctl("POST", "join", { token: (await v.add()).token });
      await hanging.waitFor(1);
      const t0 = Date.now();
      await v.em.close();
      expect(Date.now() - t0).toBeLessThan(1_000);
      expect(v.em.webhooks.deliveries()[0]).toMatchObject({ outcome: "failed", attempts: 1, error: "the emulator closed" });
    } finally {
      await v.em.close();
      await hanging.close();
    }
  });

  it("serves the public key as PEM, and at /.well-known/webhooks.json as the live API does, to anyone", async () => {
    const pem = await w.ctl("GET", "webhook-public-key");
    expect(pem.status).toBe(200);
    expect(pem.body).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const res = await fetch(w.em.webhooks.publicKeyUrl);
    expect(await res.json()).toEqual({ success: true, data: { publicKey: pem.body }, message: "" });
    expect(await w.em.webhooks.publicKey()).toBe(pem.body);
    // Control requests are no API traffic: not counted, no faults, no limit.
    expect(w.em.requests.count("GET", "/__emulator/webhook-public-key")).toBe(0);
  });
});

describe("verifyWebhookSignature and fetchWebhookPublicKey", () => {
  let receiver: Receiver;
  let w: Awaited<ReturnType<typeof world>>;
  let delivered: { raw: string; signature: string };
  beforeAll(async () => {
    receiver = await startReceiver();
    w = await world(receiver);
    await w.ctl("POST", "join", { token: (await w.add(w.meeting, "user-123")).token });
    const [got] = await receiver.waitFor(1);
    delivered = { raw: got.raw, signature: got.headers["rtk-signature"] as string };
  });
  afterAll(async () => {
    await w?.em.close();
    await receiver?.close();
  });

  it("holds for the body as it arrived, and fails for any change to the body or the signature", async () => {
    const key = await fetchWebhookPublicKey({ url: w.em.webhooks.publicKeyUrl });
    const { raw, signature } = delivered;
    expect(verifyWebhookSignature(raw, signature, key)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(raw), signature, key)).toBe(true);
    expect(verifyWebhookSignature(raw, signature.replace(/=+$/, ""), key)).toBe(true); // padding aside

    const parsed = JSON.parse(raw);
    const bodies = [
      raw.replace("meeting.started", "meeting.ended"),
      raw.slice(0, -1),
      `${raw} `,
      JSON.stringify(parsed, null, 2),
      JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse())),
    ];
    for (const body of bodies) expect(verifyWebhookSignature(body, signature, key), body).toBe(false);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const signatures = [flip(signature, 0), flip(signature, 100), `${signature}!`, `!${signature}`, signature.slice(0, -8), "", undefined, null, sign("sha256", Buffer.from(raw), other.privateKey).toString("base64")];
    for (const s of signatures) expect(verifyWebhookSignature(raw, s, key), String(s)).toBe(false);
    // Another key does not verify it; something that is no key is an error, not a quiet false.
    expect(verifyWebhookSignature(raw, signature, other.publicKey)).toBe(false);
    expect(() => verifyWebhookSignature(raw, signature, "not a key")).toThrow(/^verifyWebhookSignature: publicKey is not a PEM public key/);
    expect(() => verifyWebhookSignature(parsed, signature, key)).toThrow(/rawBody must be the request body as it arrived/);
  });

  it("fetches the key once and keeps it; a failed fetch is an error naming the URL, and is not kept", async () => {
    let hits = 0;
    let status = 500;
    const pem = await w.em.webhooks.publicKey();
    const server = createServer((_, res) => {
      hits++;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ success: true, data: { publicKey: pem }, message: "" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/webhooks.json`;
    try {
      await expect(fetchWebhookPublicKey({ url })).rejects.toThrow(`RealtimeKit webhook public key: GET ${url} answered HTTP 500`);
      status = 200;
      const [a, b] = await Promise.all([fetchWebhookPublicKey({ url }), fetchWebhookPublicKey({ url })]);
      expect([a, b]).toEqual([pem, pem]);
      expect(await fetchWebhookPublicKey({ url })).toBe(pem);
      expect(hits).toBe(2); // the failure, then one fetch for three callers
      expect(await fetchWebhookPublicKey({ url, maxAgeMs: 0 })).toBe(pem);
      expect(hits).toBe(3);
    } finally {
      server.close();
    }
    await expect(fetchWebhookPublicKey({ url: "http://127.0.0.1:9/.well-known/webhooks.json" })).rejects.toThrow(/^RealtimeKit webhook public key: GET http:\/\/127\.0\.0\.1:9\/\.well-known\/webhooks\.json failed: /);
  });
});

describe("realtimekit-emulator join, leave, end, deliveries, webhook-public-key, --verbose", () => {
  const CLI = path.join(root, "dist/emulator/cli.js");
  /** The CLI, asynchronously: the emulator it talks to may run in this process. */
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 30_000 }, (_, stdout, stderr) =>
        resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
  let receiver: Receiver;
  afterEach(async () => {
    await receiver?.close();
  });

  it("drives a session from a terminal, with the token from the environment", async () => {
    receiver = await startReceiver();
    const w = await world(receiver);
    try {
      const p = await w.add(w.meeting, "user-42");
      const env = { CLOUDFLARE_BASE_URL: w.em.url, CLOUDFLARE_API_TOKEN: w.token };
      const joined = await run(["join", p.token], env);
      expect(joined.code, joined.stderr).toBe(0);
      expect(JSON.parse(joined.stdout)).toMatchObject({ participant_id: p.id });
      const twice = await run(["join", p.token], env);
      expect([twice.code, twice.stdout]).toEqual([1, ""]);
      expect(twice.stderr).toBe(`realtimekit-emulator join: HTTP 409: token: participant ${p.id} is already in session ${JSON.parse(joined.stdout).session_id} of meeting ${w.meeting} (leave first)\n`);
      expect((await run(["leave", p.token], env)).code).toBe(0);
      expect((await run(["end", w.meeting, "--url", w.em.url, "--token", w.token])).code).toBe(0);
      await w.em.webhooks.settled();
      const log = await run(["deliveries"], env);
      expect(JSON.parse(log.stdout).deliveries.map((d: { event: string }) => d.event)).toEqual([
        "meeting.started",
        "meeting.participantJoined",
        "meeting.participantLeft",
        "meeting.ended",
      ]);
      const key = await run(["webhook-public-key"], env);
      expect(key.stdout).toBe(await w.em.webhooks.publicKey());
      const wrong = await run(["deliveries"], { ...env, CLOUDFLARE_API_TOKEN: "wrong" });
      expect([wrong.code, wrong.stderr]).toEqual([1, "realtimekit-emulator deliveries: HTTP 401: Missing or invalid API token\n"]);
      expect((await run(["end"], env)).code).toBe(2);
    } finally {
      await w.em.close();
    }
  });

  it("a bad command line is one line naming what is wrong, whole (a message of ours is not cut at its first \". \"), exit 2", async () => {
    const help = " (see realtimekit-emulator --help)\n";
    const cases: [string[], string][] = [
      [["join", "t", "--url", "not a url"], `realtimekit-emulator join: --url wants the emulator's URL, e.g. http://127.0.0.1:8787/client/v4, got "not a url"${help}`],
      [["leave"], `realtimekit-emulator leave: leave takes one argument, PARTICIPANT_TOKEN${help}`],
      [["deliveries", "--frobnicate"], `realtimekit-emulator deliveries: Unknown option '--frobnicate'${help}`],
    ];
    for (const [args, line] of cases) expect(await run(args)).toEqual({ code: 2, stdout: "", stderr: line });
  });

  it("--verbose writes a line per delivery to stderr, without the URL's query", async () => {
    receiver = await startReceiver();
    const child = execFile(process.execPath, [CLI, "--token", "t", "--verbose"], { encoding: "utf8" });
    try {
      const url = await new Promise<string>((resolve) => child.stdout!.once("data", (d: string) => resolve(d.split("\n")[0])));
      const e = { em: { url }, token: "t", account: "acct" };
      const at = (method: string, sub: string, body?: unknown) => rest(e, method, sub, body);
      const app = (await at("POST", "/apps", { name: "verbose" })).body.data.app.id;
      await at("POST", `/${app}/presets`, presetBody("host"));
      const meeting = (await at("POST", `/${app}/meetings`, {})).body.data.id;
      const hook = (await at("POST", `/${app}/webhooks`, { name: "w", url: `${receiver.url}?secret=s3cret`, events: ["meeting.started"] })).body.data.id;
      const p = (await at("POST", `/${app}/meetings/${meeting}/participants`, { preset_name: "host" })).body.data;
      let stderr = "";
      child.stderr!.on("data", (d: string) => (stderr += d));
      expect((await control(e, "POST", "join", { token: p.token })).status).toBe(200);
      await receiver.waitFor(1);
      const until = Date.now() + 5_000;
      while (!stderr.includes("\n") && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(stderr).toMatch(new RegExp(`^realtimekit-emulator: webhook ${hook} meeting\\.started -> ${receiver.url.replace(/\./g, "\\.")}: delivered \\(HTTP 200, 1 attempt, rtk-uuid [0-9a-f-]{36}\\)\\n$`));
      expect(stderr).not.toContain("s3cret");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
