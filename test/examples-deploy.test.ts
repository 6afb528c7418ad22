// The quickstart and the GitOps example deployed for real: each program runs
// under mocks with its resources forwarded to the dynamic-provider host against
// the emulator; the second run and a refresh show no changes. Then the
// quickstart's backend (examples/quickstart/join.ts) adds participants to the
// deployed meeting with the deployed presets' names, and its webhook receiver
// (examples/quickstart/receiver.ts) gets exactly the events its webhook subscribes to.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refresh, runProgram } from "./harness";
import { control } from "./support/emulator-http";
import { nodeRequire, root, startStack, type Stack } from "./support/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const programs = {
  quickstart: () => nodeRequire(path.join(root, "dist/examples/quickstart/program")).quickstart(),
  gitops: () => nodeRequire(path.join(root, "dist/examples/gitops/program")).gitops(path.join(root, "examples/gitops")),
};

describe.each(Object.keys(programs) as (keyof typeof programs)[])("%s example", (name) => {
  it("deploys, exports the ids, then shows no changes and no drift", async () => {
    const first = await runProgram(programs[name], { host: stack.host });
    expect(first.steps.length).toBeGreaterThan(3);
    expect(first.steps.every((s) => s.op === "create")).toBe(true);
    const ids = first.steps.map((s) => s.id);
    // Every exported id is a real object's id.
    const exported = JSON.stringify(first.outputs);
    for (const s of first.steps) expect(exported).toContain(s.id);
    expect(new Set(ids).size).toBe(ids.length);

    stack.em.requests.reset();
    const second = await runProgram(programs[name], { host: stack.host, state: first.state });
    expect(second.steps.every((s) => s.op === "same")).toBe(true);
    expect(stack.em.requests.total()).toBe(0);
    expect(second.outputs).toEqual(first.outputs);

    const refreshed = await refresh(second.state, stack.host);
    expect(refreshed.filter((r) => r.changed || r.dropped)).toEqual([]);
    const third = await runProgram(programs[name], { host: stack.host, state: second.state });
    expect(third.steps.every((s) => s.op === "same")).toBe(true);
  });
});

describe("the quickstart, then its backend adds participants (examples/quickstart/join.ts)", () => {
  const join = nodeRequire(path.join(root, "dist/examples/quickstart/join")) as typeof import("../examples/quickstart/join");
  const JOIN_CLI = path.join(root, "dist/examples/quickstart/join.js");

  it("each deployed preset name gives a participant and a token; a name never deployed is refused, and nothing is added", async () => {
    const { state, outputs } = await runProgram(programs.quickstart, { host: stack.host });
    const { appId, meetingId, presetIds } = outputs as { appId: string; meetingId: string; presetIds: Record<string, string> };
    const deployed = Object.values(presetIds).map((id) => Object.values(state).find((r) => r.id === id)!.outputs.name as string);
    expect(deployed.sort()).toEqual(["host", "participant"]);
    const api = { baseUrl: stack.em.url, accountId: stack.account, apiToken: stack.token };
    const participants = () => stack.em.store.list(stack.account, "participants", appId);

    for (const [i, presetName] of deployed.entries()) {
      const joined = await join.addParticipant(api, { appId, meetingId, presetName, userId: `user-${i}`, name: `User ${i}` });
      expect(joined).toEqual({ id: expect.any(String), token: expect.any(String) });
      const stored = participants().find((p) => p.id === joined.id)!;
      expect(stored).toMatchObject({ meeting_id: meetingId, preset_id: presetIds[presetName], preset_name: presetName, token: joined.token });
    }
    await expect(join.addParticipant(api, { appId, meetingId, presetName: "moderator", userId: "user-9" })).rejects.toThrow(
      'RealtimeKit refused the participant (HTTP 400): preset_name: app ' + appId + ' has no preset named "moderator"; its presets are "host", "participant"',
    );
    expect(participants()).toHaveLength(2);

    // The script as a user runs it: the same, with the credentials from the environment.
    // Not spawnSync: the emulator answering it runs in this process.
    const env = { ...process.env, CLOUDFLARE_ACCOUNT_ID: stack.account, CLOUDFLARE_API_TOKEN: stack.token, CLOUDFLARE_BASE_URL: stack.em.url };
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [JOIN_CLI, ...args], { env, encoding: "utf8", timeout: 30_000 }, (_, stdout, stderr) =>
          resolve({ status: child.exitCode, stdout, stderr }),
        );
      });
    const ok = await run(appId, meetingId, "participant", "user-cli", "Cli User");
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ id: expect.any(String), token: expect.any(String) });
    const refused = await run(appId, meetingId, "moderator", "user-cli-2");
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^RealtimeKit refused the participant \(HTTP 400\): preset_name: .* has no preset named "moderator"/);
    expect(refused.stderr).not.toContain(stack.token);
    expect(participants()).toHaveLength(3);

    // Participants are nobody's Pulumi resource: the next run and a refresh see no change.
    stack.em.requests.reset();
    const again = await runProgram(programs.quickstart, { host: stack.host, state });
    expect(again.steps.every((s) => s.op === "same")).toBe(true);
    expect(stack.em.requests.total()).toBe(0);
    expect((await refresh(again.state, stack.host)).filter((r) => r.changed || r.dropped)).toEqual([]);
  });
});

describe("the quickstart's webhook receiver (examples/quickstart/receiver.ts)", () => {
  const { startReceiver } = nodeRequire(path.join(root, "dist/examples/quickstart/receiver")) as typeof import("../examples/quickstart/receiver");
  const { addParticipant } = nodeRequire(path.join(root, "dist/examples/quickstart/join")) as typeof import("../examples/quickstart/join");

  it("a participant joins with a deployed preset: exactly the subscribed events arrive, each verified", async () => {
    const events: { event: string; [field: string]: any }[] = [];
    const receiver = await startReceiver({ port: 0, publicKeyUrl: stack.em.webhooks.publicKeyUrl, onEvent: (e) => void events.push(e) });
    try {
      const quickstart = () => nodeRequire(path.join(root, "dist/examples/quickstart/program")).quickstart({ webhookUrl: receiver.url });
      const { outputs } = await runProgram(quickstart, { host: stack.host });
      const { appId, meetingId, webhookId } = outputs as Record<string, string>;
      const api = { baseUrl: stack.em.url, accountId: stack.account, apiToken: stack.token };
      const { token } = await addParticipant(api, { appId, meetingId, presetName: "host", userId: "user-42", name: "Ada" });

      // The client SDK's part, played by the emulator's control API (docs/emulator.md: realtimekit-emulator join).
      expect((await control(stack, "POST", "join", { token })).status).toBe(200);
      await stack.em.webhooks.settled();
      // The webhook subscribes to meeting.started, meeting.ended and recording.statusUpdate; the meeting records on start.
      expect(events.map((e) => e.event)).toEqual(["meeting.started", "recording.statusUpdate"]);
      expect(events[1].recording.status).toBe("RECORDING");
      expect((await control(stack, "POST", "end", { meeting_id: meetingId })).status).toBe(200);
      await stack.em.webhooks.settled();
      expect(events.map((e) => [e.event, e.recording?.status ?? e.reason ?? ""])).toEqual([
        ["meeting.started", ""],
        ["recording.statusUpdate", "RECORDING"],
        ["meeting.ended", "HOST_ENDED_MEETING"],
        ["recording.statusUpdate", "UPLOADING"],
        ["recording.statusUpdate", "UPLOADED"],
      ]);
      const mine = stack.em.webhooks.deliveries().filter((d) => d.webhook_id === webhookId);
      expect(mine.map((d) => [d.outcome, d.status, d.attempts])).toEqual(Array(5).fill(["delivered", 200, 1]));

      // A request not signed by RealtimeKit is refused, and never reaches onEvent.
      const forged = await fetch(receiver.url, { method: "POST", headers: { "rtk-signature": "AAAA" }, body: JSON.stringify({ event: "meeting.started" }) });
      expect(forged.status).toBe(401);
      expect(events).toHaveLength(5);
    } finally {
      await receiver.close();
    }
  });
});
