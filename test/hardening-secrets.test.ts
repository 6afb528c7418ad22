// Issue 11 item 1, end to end: live meeting titles shaped like the old in-band
// secret marker ("\u0000secret:<key>") or like a tag ("!secret <key>") go
// through realtimekit-export, appFromDir and `pulumi up` (the real
// dynamic-provider host) and stay plain titles: no other meeting's storage
// secret is read into them, nothing is sent for them.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { meetingArgs } from "./fixtures/args";
import { loadPulumi, runProgram } from "./harness";
import { nodeRequire, root, sdk, startStack, type Stack } from "./support/stack";

const CLI = path.join(root, "dist/export/cli.js");
const schema: typeof import("../provider/schema") = nodeRequire(path.join(root, "dist/provider/schema"));
const gitops: typeof import("../sdk/gitops") = nodeRequire(path.join(root, "dist/sdk/gitops"));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rtk-secrets-"));
const out = path.join(tmp, "program");
let stack: Stack;
afterAll(async () => {
  await stack?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// The vault meeting's credentials, and the config key the export gives its secret.
const VAULT = { accessKey: "AKIA-VAULT-ACCESS", secret: "VAULT-S3-SECRET-do-not-leak" };
const VAULT_SECRET_KEY = "rooms-vault-storage-secret";
const TITLES = {
  marker: `\u0000secret:${VAULT_SECRET_KEY}`,
  nul: "\u0000",
  tag: `!secret ${VAULT_SECRET_KEY}`,
  markerInside: `Standup \u0000secret:${VAULT_SECRET_KEY}`,
};

let app: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const { store } = stack.em;
  app = store.createApp(stack.account, "Rooms").id;
  const meeting = (title: string, storage?: object) => {
    const m: any = { ...(schema.convertKeys(schema.MeetingCreate, meetingArgs(), "snake") as object), title, status: "ACTIVE" };
    if (storage) m.recording_config.storage_config = storage;
    else delete m.recording_config.storage_config;
    return store.create(stack.account, "meetings", app, schema.MeetingCreate.parse(m)).id;
  };
  ids.vault = meeting("Vault", { type: "aws", bucket: "vault", region: "us-east-1", access_key: VAULT.accessKey, secret: VAULT.secret });
  for (const [name, title] of Object.entries(TITLES)) ids[name] = meeting(title);
});

function exportCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CLOUDFLARE_ACCOUNT_ID: stack.account, CLOUDFLARE_API_TOKEN: stack.token, CLOUDFLARE_BASE_URL: stack.em.url };
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000 }, (e, stdout, stderr) => resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr })),
  );
}

describe("a live title shaped like a secret reference stays a title", () => {
  it("the export writes it as a plain string; the loader reads it back as one, with only the vault's credentials as secrets", async () => {
    const run = await exportCli(["--out", out, "--all"]);
    expect([run.code, run.stderr.includes("\u0000")]).toEqual([0, false]); // progress lines show control characters escaped
    const file = path.join(out, "rooms", "meetings.yaml");
    const parsed = YAML.parse(fs.readFileSync(file, "utf8"), { customTags: [gitops.secretTag] });
    const byId = new Map(Object.entries(parsed).map(([k, m]: [string, any]) => [m.id, k]));
    for (const [name, title] of Object.entries(TITLES)) expect(parsed[byId.get(ids[name])!].title).toBe(title);

    const meetings = gitops.loadMeetings(file);
    const secrets = meetings.flatMap((m) => m.secrets.map((s) => [m.name, s.key]));
    expect(secrets.sort()).toEqual([
      ["vault", "rooms-vault-storage-access-key"],
      ["vault", VAULT_SECRET_KEY],
    ]);
    for (const [name, title] of Object.entries(TITLES)) expect(meetings.find((m) => m.id === ids[name])!.args.title).toBe(title);
  });

  it("up through the host adopts every meeting, sends the vault's credentials to the vault only, and no title changes", async () => {
    const config = { [`realtimekit-apps:rooms-vault-storage-access-key`]: VAULT.accessKey, [`realtimekit-apps:${VAULT_SECRET_KEY}`]: VAULT.secret };
    loadPulumi(root).runtime.setAllConfig(config, Object.keys(config));
    const before = stack.em.store.toJSON();
    stack.em.requests.reset();
    const patched: string[] = [];
    const record = stack.em.requests.record;
    stack.em.requests.record = (method, template) => {
      record.call(stack.em.requests, method, template);
      if (method === "PATCH") patched.push(template);
    };

    const up = await runProgram(
      () => {
        const { app: a, meetings } = sdk().appFromDir(path.join(out, "rooms"));
        return { app: a.id, titles: Object.fromEntries(Object.entries(meetings).map(([k, m]) => [k, m.title])) };
      },
      { host: stack.host, project: "realtimekit-apps" },
    ).finally(() => (stack.em.requests.record = record));

    expect(up.steps.map((s) => s.id).sort()).toEqual([app, ...Object.values(ids)].sort());
    expect([stack.em.requests.count("POST", ""), patched.length]).toEqual([0, 1]); // the vault's credentials, once
    for (const [name, title] of Object.entries(TITLES)) {
      expect(stack.em.store.get(stack.account, "meetings", app, ids[name])!.title).toBe(title);
    }
    // Nothing else changed but updated_at, and the defaults the vault's recording_config left out, which the PATCH sends with it.
    const recordingConfig = schema.MeetingCreate.shape.recording_config;
    const sansStamps = (s: unknown) =>
      JSON.parse(JSON.stringify(s, (k, v) => (k === "updated_at" ? undefined : k === "recording_config" ? schema.fillDefaults(recordingConfig, v, "snake") : v)));
    expect(sansStamps(stack.em.store.toJSON())).toEqual(sansStamps(before));
    // The secret is nowhere but in the vault's (secret) recording config.
    const notVault = Object.values(up.state).filter((r) => r.id !== ids.vault);
    expect(JSON.stringify(notVault)).not.toContain(VAULT.secret);
    expect(JSON.stringify(up.outputs)).not.toContain(VAULT.secret);
    const vault = Object.values(up.state).find((r) => r.id === ids.vault)!;
    expect(vault.secretOutputs).toContain("recordingConfig");
  });
});
