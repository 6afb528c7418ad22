// Credentials: stack config first, then the environment; a missing one is an
// error naming both ways to set it, raised before any request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram, startHost, type Host } from "./harness";
import { root, sdk, startStack, type Stack } from "./support/stack";

let stack: Stack;
const hosts: Host[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await stack?.close();
});

const noCloudflareEnv = { CLOUDFLARE_ACCOUNT_ID: "", CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_BASE_URL: "" };

async function host(config: Record<string, string>, env: Record<string, string> = noCloudflareEnv) {
  const h = await startHost({ cwd: root, config, env });
  hosts.push(h);
  return h;
}

describe("credentials", () => {
  it("missing: the error names the stack config keys and the environment variables", async () => {
    const h = await host({});
    const error = await runProgram(() => void new (sdk().App)("a", { name: "x" }), { host: h }).catch((e) => e);
    for (const way of ["realtimekit:accountId", "CLOUDFLARE_ACCOUNT_ID", "--secret realtimekit:apiToken", "CLOUDFLARE_API_TOKEN"]) {
      expect(error.message).toContain(way);
    }
  });

  it("from the environment when stack config is absent", async () => {
    const h = await host({}, { CLOUDFLARE_ACCOUNT_ID: stack.account, CLOUDFLARE_API_TOKEN: stack.token, CLOUDFLARE_BASE_URL: stack.em.url });
    const run = await runProgram(() => void new (sdk().App)("a", { name: "from-env" }), { host: h });
    expect(stack.em.store.app(stack.account, run.steps[0].id)?.name).toBe("from-env");
  });

  it("stack config wins over the environment", async () => {
    const h = await host(
      { "realtimekit:accountId": stack.account, "realtimekit:apiToken": stack.token, "realtimekit:baseUrl": stack.em.url },
      { CLOUDFLARE_ACCOUNT_ID: "other-account", CLOUDFLARE_API_TOKEN: "wrong-token", CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" },
    );
    const run = await runProgram(() => void new (sdk().App)("a", { name: "from-config" }), { host: h });
    expect(stack.em.store.app(stack.account, run.steps[0].id)?.name).toBe("from-config");
  });

  it("a wrong token: HTTP 401 named, the token never shown", async () => {
    const h = await host({ "realtimekit:accountId": stack.account, "realtimekit:apiToken": "wrong-token-value", "realtimekit:baseUrl": stack.em.url });
    const error = await runProgram(() => void new (sdk().App)("a", { name: "x" }), { host: h }).catch((e) => e);
    expect(error.message).toMatch(/POST \/accounts\/.+\/realtime\/kit\/apps failed: HTTP 401/);
    expect(error.message + h.stderr).not.toContain("wrong-token-value");
  });
});
