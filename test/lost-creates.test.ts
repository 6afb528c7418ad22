// A create whose answer is lost never adopts an object that another resource of
// the stack, or another stack, owns or may own, nor one made before it was sent;
// an object it does adopt is never lost from the state, nor written again with
// what it was made from; through the real dynamic-provider host against the emulator.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProgramError, runProgram, startHost } from "./harness";
import { meetingArgs } from "./fixtures/args";
import { byName } from "./support/live";
import { loseAnswerOfPost, onRequest } from "./support/requests";
import { nodeRequire, root, sdk, startStack, type Stack } from "./support/stack";

let stack: Stack;
let appId: string;
beforeAll(async () => {
  stack = await startStack();
  const run = await runProgram(() => void new (sdk().App)("home", { name: "lost-creates-home" }), { host: stack.host });
  appId = run.steps[0].id;
});
afterAll(() => stack?.close());

const pulumi = (): typeof import("@pulumi/pulumi") => nodeRequire(path.join(root, "node_modules/@pulumi/pulumi"));
const meetingsTitled = (title: string) => stack.em.store.list(stack.account, "meetings", appId).filter((m) => m.title === title);

describe("App resources of one program", () => {
  it("that may create apps cannot share a name: refused at registration, nothing sent", async () => {
    stack.em.requests.reset();
    const error = await runProgram(() => {
      const rtk = sdk();
      new rtk.App("dev", { name: "shared-name" });
      new rtk.App("prod", { name: "shared-name" });
    }, { host: stack.host }).catch((e) => e);
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toContain('App "prod": the app name "shared-name" is also that of App "dev" in this program');
    expect(error.message).toContain("need names of their own");
    expect(stack.em.requests.count("POST", "/apps")).toBe(0);
    expect(stack.em.store.apps(stack.account).filter((a) => a.name === "shared-name")).toEqual([]);
  });

  it("whose shared name is an Output (unknown at registration): run one at a time, the first create's answer lost, each gets its own app", async () => {
    const arrivals: string[] = [];
    const restore = onRequest(stack.em, (method, template) => {
      if (!template.endsWith("/apps")) return;
      arrivals.push(method);
      stack.em.setFaults(method === "POST" && arrivals.length === 1 ? { dropAfterCommitRate: 1 } : {});
    });
    const run = await runProgram(() => {
      const rtk = sdk();
      new rtk.App("dev", { name: pulumi().output("late-name") });
      new rtk.App("prod", { name: pulumi().output("late-name") });
    }, { host: stack.host }).finally(restore);
    const live = stack.em.store.apps(stack.account).filter((a) => a.name === "late-name");
    expect(live).toHaveLength(2);
    expect(run.steps.map((s) => s.id).sort()).toEqual(live.map((a) => a.id).sort());
    // The second POST waited until the lost app was found (the list read to its end: the page, then an
    // empty one): the lookup could not see the other's app.
    expect(arrivals).toEqual(["POST", "GET", "GET", "POST"]);
  });

  it("may share one when both adopt existing apps (importId): apps of one name exist, and adoption never looks them up by name", async () => {
    const one = stack.em.store.createApp(stack.account, "twin-apps");
    const two = stack.em.store.createApp(stack.account, "twin-apps");
    stack.em.requests.reset();
    const run = await runProgram(() => {
      const rtk = sdk();
      new rtk.App("one", { name: "twin-apps", importId: one.id });
      new rtk.App("two", { name: "twin-apps", importId: two.id });
    }, { host: stack.host });
    // The two run at once: their steps come in either order.
    expect(Object.fromEntries(run.steps.map((s) => [s.name, [s.op, s.id]]))).toEqual({ one: ["create", one.id], two: ["create", two.id] });
    expect(stack.em.requests.count("POST", "/apps")).toBe(0);
  });

  it("a separate run (a new program process) may use the name again", async () => {
    const first = await runProgram(() => void new (sdk().App)("a", { name: "reused-across-runs" }), { host: stack.host });
    const again = await runProgram(() => void new (sdk().App)("a", { name: "reused-across-runs" }), { host: stack.host, state: first.state });
    expect(again.steps.map((s) => s.op)).toEqual(["same"]);
  });

  it("of two stacks, one name: our create's answer lost and the other's app made meanwhile, none is adopted; one line names both", async () => {
    const name = "two-stacks-app";
    let other: string | undefined;
    // Our POST is done but its answer lost; before our lookup, the other stack's create of the same name lands.
    const restore = onRequest(stack.em, (method, template) => {
      if (!template.endsWith("/apps")) return;
      if (method === "POST") stack.em.setFaults({ dropAfterCommitRate: 1 });
      if (method === "GET") {
        stack.em.setFaults({});
        other ??= stack.em.store.createApp(stack.account, name).id;
      }
    });
    stack.em.requests.reset();
    const error = await runProgram(() => void new (sdk().App)("a", { name }), { host: stack.host }).catch((e) => e).finally(restore);
    const apps = stack.em.store.apps(stack.account).filter((a) => a.name === name);
    expect(apps).toHaveLength(2);
    const ours = apps.find((a) => a.id !== other)!.id;
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toBe(
      `The answer to the create was lost, and 2 apps named "${name}" that no resource here holds were made since it was sent (ids ${ours}, ${other}): ` +
        'which one it made cannot be told, so none was adopted. Adopt the right one with importId: "<appId>"',
    );
    expect(error.state).toEqual({});
    expect(stack.em.requests.count("POST", "/apps")).toBe(1);
    // Adopted as the error says.
    const adopted = await runProgram(() => void new (sdk().App)("a", { name, importId: ours }), { host: stack.host });
    expect(adopted.steps.map((s) => [s.op, s.id])).toEqual([["create", ours]]);
  });
});

describe("meetings", () => {
  it("are claimed before the POST is sent: a same-title create waits until the lost one is found, and each gets its own", async () => {
    const title = "Twin standup";
    const arrivals: string[] = [];
    let lost = false;
    // The first POST is done but its answer lost; everything after it is answered.
    const restore = onRequest(stack.em, (method, template) => {
      if (!template.includes("/:app/meetings")) return;
      arrivals.push(`${method} ${template.slice(template.indexOf("/:app"))}`);
      if (method === "POST" && !lost) {
        lost = true;
        stack.em.setFaults({ dropAfterCommitRate: 1 });
      } else stack.em.setFaults({});
    });
    // Registered together: nothing orders the two creates but the provider.
    const run = await runProgram(() => {
      const rtk = sdk();
      new rtk.Meeting("first", { appId, ...meetingArgs(title) } as never);
      new rtk.Meeting("second", { appId, ...meetingArgs(title) } as never);
    }, { host: stack.host }).finally(restore);

    const live = meetingsTitled(title);
    expect(live).toHaveLength(2);
    const ids = [byName(run.state, "first").id, byName(run.state, "second").id];
    expect(new Set(ids).size).toBe(2);
    expect(live.map((m) => m.id).sort()).toEqual([...ids].sort());
    // The second POST came only after the lost one was looked up (the list read to its end) and read. It was
    // made from these very arguments, its write-only settings included: nothing to bring in line.
    expect(arrivals).toEqual([
      "POST /:app/meetings",
      "GET /:app/meetings",
      "GET /:app/meetings",
      "GET /:app/meetings/:id",
      "POST /:app/meetings",
    ]);
  });

  it("a lost create found again whose follow-up PATCH fails is still recorded with its id: the next up PATCHes it, creating nothing", async () => {
    const title = "Recorded after all";
    // The POST is done but its answer lost; before the lookup finds the meeting, it is changed out of band
    // (its storage secret too); every PATCH then fails.
    let changed = false;
    const restore = onRequest(stack.em, (method, template) => {
      if (method === "POST" && template.endsWith("/:app/meetings")) stack.em.setFaults({ dropAfterCommitRate: 1 });
      if (method === "GET" && template.endsWith("/:app/meetings")) {
        stack.em.setFaults({});
        if (!changed) {
          const change = { recording_config: { max_seconds: 1800, storage_config: { secret: "rotated" } } };
          stack.em.store.patch(stack.account, "meetings", appId, meetingsTitled(title)[0].id, change as never);
          changed = true;
        }
      }
      if (method === "PATCH") stack.em.setFaults({ errorRate: 1 });
    });
    const program = () => void new (sdk().Meeting)("m", { appId, ...meetingArgs(title) } as never);
    const error = await runProgram(program, { host: stack.host }).catch((e) => e).finally(restore);
    expect(error).toBeInstanceOf(ProgramError);
    const [made] = meetingsTitled(title);
    expect(meetingsTitled(title)).toHaveLength(1);
    expect(error.message).toMatch(new RegExp(`^Meeting ${made.id} exists and is recorded in the stack, but bringing it in line with the arguments failed`));
    expect(error.message).toMatch(/PATCH \/accounts\/.*\/meetings\/.* failed: HTTP 50[03]/);
    const recorded = byName((error as ProgramError).state, "m");
    expect(recorded.id).toBe(made.id);
    expect(recorded.initErrors).toHaveLength(1);

    stack.em.requests.reset();
    const next = await runProgram(program, { host: stack.host, state: (error as ProgramError).state });
    expect(next.steps.map((s) => [s.op, s.id])).toEqual([["update", made.id]]);
    expect(stack.em.requests.count("POST", "/:app/meetings")).toBe(0);
    expect(stack.em.requests.count("PATCH", "/:app/meetings/:id")).toBe(1);
    expect(meetingsTitled(title)).toHaveLength(1);
    // What the failed PATCH was to send is there now, the write-only storage secret included.
    const now = stack.em.store.get(stack.account, "meetings", appId, made.id)?.recording_config;
    expect([now?.max_seconds, now?.storage_config?.secret]).toEqual([3600, "s3cr3t-storage-key"]);
    const again = await runProgram(program, { host: stack.host, state: next.state });
    expect(again.steps.map((s) => s.op)).toEqual(["same"]);
  });

  it("of two stacks, one title: our create's answer lost and the other's meeting made meanwhile, none is adopted; one line names both", async () => {
    const title = "Two stacks' standup";
    let other: string | undefined;
    // Our POST is done but its answer lost; before our lookup, the other stack's create of the same title lands.
    const restore = onRequest(stack.em, (method, template) => {
      if (!template.endsWith("/:app/meetings")) return;
      if (method === "POST") stack.em.setFaults({ dropAfterCommitRate: 1 });
      if (method === "GET") {
        stack.em.setFaults({});
        other ??= stack.em.store.create(stack.account, "meetings", appId, { title, status: "ACTIVE" }).id;
      }
    });
    stack.em.requests.reset();
    const program = (importId?: string) => () => void new (sdk().Meeting)("m", { appId, importId, ...meetingArgs(title) } as never);
    const error = await runProgram(program(), { host: stack.host }).catch((e) => e).finally(restore);
    expect(meetingsTitled(title)).toHaveLength(2);
    const ours = meetingsTitled(title).find((m) => m.id !== other)!.id;
    expect(error).toBeInstanceOf(ProgramError);
    expect(error.message).toBe(
      `The answer to the create was lost, and 2 meetings titled "${title}" that no resource here holds were made since it was sent (ids ${ours}, ${other}): ` +
        `which one it made cannot be told, so none was adopted. Adopt the right one with importId: "${appId}/<meetingId>"`,
    );
    expect(error.state).toEqual({});
    expect(stack.em.requests.count("POST", "/:app/meetings")).toBe(1);
    expect(stack.em.requests.count("PATCH", "/:app/meetings/:id")).toBe(0); // the other stack's meeting is left alone
    const adopted = await runProgram(program(`${appId}/${ours}`), { host: stack.host });
    expect(adopted.steps.map((s) => [s.op, s.id])).toEqual([["create", ours]]);
  });

  it("found again when every write's answer is lost: it was made from these arguments, so nothing is written again", async () => {
    const title = "Every answer lost";
    stack.em.setFaults({ dropAfterCommitRate: 1 }); // every write is done, and its answer lost; reads are answered
    stack.em.requests.reset();
    const program = () => void new (sdk().Meeting)("m", { appId, ...meetingArgs(title) } as never);
    const run = await runProgram(program, { host: stack.host }).finally(() => stack.em.setFaults({}));
    const [made] = meetingsTitled(title);
    expect(meetingsTitled(title)).toHaveLength(1);
    expect(run.steps.map((s) => [s.op, s.id])).toEqual([["create", made.id]]);
    expect(stack.em.requests.count("POST", "/:app/meetings")).toBe(1);
    expect(stack.em.requests.count("PATCH", "/:app/meetings/:id")).toBe(0);
    // The write-only storage settings are there, from the POST: the next up has nothing to do.
    expect(made.recording_config?.storage_config?.secret).toBe("s3cr3t-storage-key");
    stack.em.requests.reset();
    const again = await runProgram(program, { host: stack.host, state: run.state });
    expect(again.steps.map((s) => s.op)).toEqual(["same"]);
    expect(stack.em.requests.total()).toBe(0);
  });
});

describe("a lost create never adopts an object made before its request was sent", () => {
  // An app and a meeting made long ago, with the name and title the program's creates will have: a state file.
  const account = "acct-older";
  const token = "tok-older-secret";
  const long = "2020-01-01T00:00:00.000Z";
  const oldApp = "11111111-0000-4000-8000-000000000001";
  const oldMeeting = { id: "11111111-0000-4000-8000-000000000002", title: "Older standup", status: "ACTIVE", created_at: long, updated_at: long };
  let em: Stack["em"];
  let host: Stack["host"];
  beforeAll(async () => {
    const statePath = path.join(mkdtempSync(path.join(tmpdir(), "rtk-older-")), "state.json");
    const app = { app: { id: oldApp, name: "older-app", created_at: long }, presets: {}, meetings: { [oldMeeting.id]: oldMeeting }, webhooks: {} };
    writeFileSync(statePath, JSON.stringify({ version: 1, accounts: { [account]: { [oldApp]: app } } }));
    const { startEmulator } = nodeRequire(path.join(root, "dist/emulator")) as typeof import("../emulator");
    em = await startEmulator({ token, statePath });
    host = await startHost({ cwd: root, config: { "realtimekit:accountId": account, "realtimekit:apiToken": token, "realtimekit:baseUrl": em.url } });
  });
  afterAll(async () => void (await Promise.all([host?.stop(), em?.close()])));

  // The POST is never done, its answer lost: the only object with the key is the old one, and it is not ours.
  it("an app: the old one with the name is left alone, and the create is sent again", async () => {
    const restore = loseAnswerOfPost(em, { dropBeforeCommitRate: 1 }, "/apps");
    const run = await runProgram(() => void new (sdk().App)("a", { name: "older-app" }), { host }).finally(restore);
    const apps = em.store.apps(account).filter((a) => a.name === "older-app");
    expect(apps).toHaveLength(2);
    expect(run.steps.map((s) => s.op)).toEqual(["create"]);
    expect(run.steps[0].id).not.toBe(oldApp);
    expect(em.requests.count("POST", "/apps")).toBe(2);
  });

  it("a meeting: the old one with the title is left alone, and the create is sent again", async () => {
    const restore = loseAnswerOfPost(em, { dropBeforeCommitRate: 1 }, "/:app/meetings");
    const run = await runProgram(() => void new (sdk().Meeting)("m", { appId: oldApp, ...meetingArgs("Older standup") } as never), { host }).finally(restore);
    const meetings = em.store.list(account, "meetings", oldApp).filter((m) => m.title === "Older standup");
    expect(meetings).toHaveLength(2);
    expect(run.steps.map((s) => s.op)).toEqual(["create"]);
    expect(run.steps[0].id).not.toBe(oldMeeting.id);
    expect(em.store.get(account, "meetings", oldApp, oldMeeting.id)).toEqual(oldMeeting);
    expect(em.requests.count("POST", "/:app/meetings")).toBe(2);
  });
});
