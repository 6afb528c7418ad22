// Issue 11, attacks on the emulator over real HTTP: a stranger's huge body is
// answered 401 before it is read, any body over the cap 413, and a write whose
// state file cannot be saved is not applied (500, and the store as before).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startEmulator, Store, type Emulator } from "../emulator";
import { MAX_BODY_BYTES } from "../emulator/http";
import { presetBody } from "./fixtures/bodies";

const TOKEN = "test-token";
const ACCOUNT = "acct";
const kit = (p: string) => `/accounts/${ACCOUNT}/realtime/kit${p}`;
const tmp = mkdtempSync(join(tmpdir(), "rtk-emulator-hardening-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let emu: Emulator;
afterEach(async () => {
  await emu?.close();
});

async function call(method: string, path: string, body?: unknown, token = TOKEN) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Announces a body of `announced` bytes (or streams up to 64 MiB, chunked) and
 * sends 64 KiB pieces of it until the answer comes (or all of it went).
 * Resolves with the answer's status and how many bytes had been sent when it came.
 */
function sendHuge(announced: number | "chunked", token: string): Promise<{ status: number; sent: number; body: string }> {
  const url = new URL(`${emu.url}${kit("/apps")}`);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(announced === "chunked" ? { "transfer-encoding": "chunked" } : { "content-length": String(announced) }),
        },
      },
      (res) => {
        answered = true;
        const sentBefore = sent;
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, sent: sentBefore, body }));
      },
    );
    // The server closing on us mid-body is expected; the answer has come by then.
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const piece = Buffer.alloc(64 * 1024, "x");
    const limit = announced === "chunked" ? 64 * MAX_BODY_BYTES : announced;
    const pump = () => {
      while (!answered && !req.destroyed && sent < limit) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered && sent >= limit) req.end();
    };
    pump();
  });
}

describe("emulator request bodies", () => {
  it("a 300 MiB body with a wrong token: 401 before the body is read", async () => {
    emu = await startEmulator({ token: TOKEN });
    const r = await sendHuge(300 * 1024 * 1024, "wrong");
    expect(r.status).toBe(401);
    // Answered while most of the body was still to come: it was never buffered.
    expect(r.sent).toBeLessThan(32 * 1024 * 1024);
    expect(JSON.parse(r.body)).toEqual({ success: false, error: { code: 401, message: "Missing or invalid API token" } });
  });

  it("an authenticated body over the cap: 413, by its content-length or while streaming", async () => {
    emu = await startEmulator({ token: TOKEN });
    const announced = await sendHuge(MAX_BODY_BYTES + 1, TOKEN);
    expect([announced.status, JSON.parse(announced.body).error.code]).toEqual([413, 413]);
    expect(announced.sent).toBeLessThan(32 * 1024 * 1024);
    const chunked = await sendHuge("chunked", TOKEN);
    expect([chunked.status, JSON.parse(chunked.body).error.code]).toEqual([413, 413]);
    // Socket buffers hold a few MiB: far from the 64 MiB it would have sent had the emulator kept reading.
    expect(chunked.sent).toBeLessThan(32 * MAX_BODY_BYTES);
    expect(emu.store.apps(ACCOUNT)).toEqual([]);
    // The emulator still serves, and a body just under the cap is read.
    const app = (await call("POST", kit("/apps"), { name: "after" })).body.data.app.id;
    const big = presetBody();
    big.ui.config_diff = { blob: "y".repeat(MAX_BODY_BYTES - JSON.stringify(big).length - 100) };
    const under = await call("POST", kit(`/${app}/presets`), big);
    expect(under.status).toBe(201);
  });
});

describe("a write whose state file cannot be saved is not applied", () => {
  it("create, update and delete: 500, and the store and the file as before", async () => {
    const statePath = join(mkdtempSync(join(tmp, "state-")), "state.json");
    emu = await startEmulator({ token: TOKEN, statePath });
    const app = (await call("POST", kit("/apps"), { name: "kept" })).body.data.app.id;
    const first = (await call("POST", kit(`/${app}/presets`), { ...presetBody(), name: "first" })).body.data;
    const second = (await call("POST", kit(`/${app}/presets`), { ...presetBody(), name: "second" })).body.data;
    const before = emu.store.toJSON();
    const saved = readFileSync(statePath, "utf8");

    // A non-empty folder where the file goes: the rename over it fails, whoever runs the test.
    rmSync(statePath);
    mkdirSync(join(statePath, "blocker"), { recursive: true });
    const errors: unknown[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect((await call("POST", kit(`/${app}/presets`), { ...presetBody(), name: "third" })).status).toBe(500);
      expect((await call("PATCH", kit(`/${app}/presets/${first.id}`), { name: "renamed" })).status).toBe(500);
      expect((await call("DELETE", kit(`/${app}/presets/${first.id}`))).status).toBe(500);
      expect((await call("POST", kit("/apps"), { name: "another" })).status).toBe(500);
      expect((await call("POST", kit("/apps"), { name: "new account" }, TOKEN)).status).toBe(500);
    } finally {
      console.error = log;
    }
    // The emulator's log names the state file.
    expect(String((errors[0] as unknown[])[1])).toContain(`state file ${statePath}: cannot save it`);
    expect(emu.store.toJSON()).toEqual(before);
    const list = (await call("GET", kit(`/${app}/presets`))).body.data.map((p: { id: string }) => p.id);
    expect(list).toEqual([first.id, second.id]);

    // Once the file can be written again, the next write saves everything.
    rmSync(statePath, { recursive: true });
    writeFileSync(statePath, saved);
    expect((await call("DELETE", kit(`/${app}/presets/${first.id}`))).status).toBe(200);
    const after = JSON.parse(readFileSync(statePath, "utf8"));
    expect(Object.keys(after.accounts[ACCOUNT][app].presets)).toEqual([second.id]);
  });

  it("the store undoes each kind of change when saving fails (an app in a new account too)", () => {
    let fail = false;
    const store = new Store(undefined, () => {
      if (fail) throw new Error("disk full");
    });
    const app = store.createApp(ACCOUNT, "a").id;
    const fields = { name: "p" } as never;
    const ids = [store.create(ACCOUNT, "presets", app, fields).id, store.create(ACCOUNT, "presets", app, fields).id, store.create(ACCOUNT, "presets", app, fields).id];
    const before = store.toJSON();
    fail = true;
    expect(() => store.createApp(ACCOUNT, "b")).toThrow("disk full");
    expect(() => store.createApp("other-account", "c")).toThrow("disk full");
    expect(() => store.create(ACCOUNT, "presets", app, fields)).toThrow("disk full");
    expect(() => store.replace(ACCOUNT, "presets", app, ids[0], { name: "q" } as never)).toThrow("disk full");
    expect(() => store.remove(ACCOUNT, "presets", app, ids[1])).toThrow("disk full");
    expect(store.toJSON()).toEqual(before);
    expect(store.list(ACCOUNT, "presets", app).map((p) => p.id)).toEqual(ids); // the removed one back in its place
  });
});
