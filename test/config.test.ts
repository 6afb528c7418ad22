// Provider configuration (provider/schema/config.ts): a bad value fails naming
// its key and what the key allows, both as CheckConfig's failures and when a
// client is made from stack config or the environment (before any request).
import { afterEach, describe, expect, it } from "vitest";
import { DOCUMENTED_LIMITS, limitsFor } from "../provider/client/limits";
import { configFailures, readConfig } from "../provider/schema";
import { client } from "../provider/settings";

describe("configFailures (CheckConfig)", () => {
  it("accepts good values, as Pulumi config gives them (text) or typed", () => {
    const good = { accountId: "acct-1", apiToken: "tok", baseUrl: "http://127.0.0.1:9/client/v4", rateLimit: "3" };
    expect(configFailures(good)).toEqual([]);
    expect(configFailures({ ...good, baseUrl: "https://api.cloudflare.com/client/v4", rateLimit: 250 })).toEqual([]);
    expect(configFailures({})).toEqual([]); // all unset: the environment's apply
    expect(configFailures({ rateLimit: "", baseUrl: "" })).toEqual([]); // empty is unset, as at run time
    expect(readConfig("rateLimit", "3")).toEqual({ value: 3 });
    expect(readConfig("rateLimit", "0")).toEqual({ value: 0 }); // no pacing
  });

  it("rateLimit is the token's five-minute window; Cloudflare's other limits stay; 0 paces to none", () => {
    expect(limitsFor(undefined)).toBe(DOCUMENTED_LIMITS);
    expect(limitsFor(600)).toEqual(DOCUMENTED_LIMITS.map((l) => (l.per === "token" ? { ...l, requests: 600 } : l)));
    expect(limitsFor(600).find((l) => l.per === "account")).toEqual({ per: "account", requests: 3500, windowMs: 300_000 });
    expect(limitsFor(0)).toEqual([]);
  });

  it.each([
    ["rateLimit", "lots", 'realtimekit:rateLimit: must be a whole number of requests per five minutes (0: no pacing), got "lots"'],
    ["rateLimit", "1.5", 'realtimekit:rateLimit: must be a whole number of requests per five minutes (0: no pacing), got "1.5"'],
    ["rateLimit", "-1", 'realtimekit:rateLimit: must be a whole number of requests per five minutes (0: no pacing), got "-1"'],
    ["rateLimit", -2, "realtimekit:rateLimit: must be a whole number of requests per five minutes (0: no pacing), got -2"],
    ["baseUrl", "ftp://example.com", 'realtimekit:baseUrl: must be an http or https URL, e.g. https://api.cloudflare.com/client/v4, got "ftp://example.com"'],
    ["baseUrl", "localhost:8080", 'realtimekit:baseUrl: must be an http or https URL, e.g. https://api.cloudflare.com/client/v4, got "localhost:8080"'],
    ["accountId", "a/b", 'realtimekit:accountId: must be one URL path segment (not empty, no "/", not "." or ".."), got "a/b"'],
    ["accountId", "..", 'realtimekit:accountId: must be one URL path segment (not empty, no "/", not "." or ".."), got ".."'],
    ["accountId", 42, 'realtimekit:accountId: must be one URL path segment (not empty, no "/", not "." or ".."), got 42'],
  ])("%s = %j fails naming the key and what it allows", (key, value, reason) => {
    expect(configFailures({ [key]: value })).toEqual([{ property: key, reason }]);
  });

  it("names every bad key at once, and never quotes the token", () => {
    const failures = configFailures({ accountId: "x/y", apiToken: 12345 as unknown as string, rateLimit: "many" });
    expect(failures.map((f) => f.property)).toEqual(["accountId", "apiToken", "rateLimit"]);
    expect(failures[1].reason).toBe("realtimekit:apiToken: must be a non-empty string, got a value not shown (secret)");
    expect(JSON.stringify(failures)).not.toContain("12345");
  });
});

describe("a client from stack config or the environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const stack = (extra: Record<string, string>) => ({
    get: (k: string) => ({ "realtimekit:accountId": "acct", "realtimekit:apiToken": "tok", ...extra })[k],
  });

  it("a bad value fails naming the key, its environment variable and what it allows", () => {
    expect(() => client(undefined, stack({ "realtimekit:baseUrl": "localhost" }))).toThrow(
      'realtimekit:baseUrl (or CLOUDFLARE_BASE_URL) must be an http or https URL, e.g. https://api.cloudflare.com/client/v4, got "localhost"',
    );
    expect(() => client(undefined, stack({ "realtimekit:accountId": "." }))).toThrow(
      'realtimekit:accountId (or CLOUDFLARE_ACCOUNT_ID) must be one URL path segment (not empty, no "/", not "." or ".."), got "."',
    );
    expect(() => client(undefined, stack({ "realtimekit:rateLimit": "-5" }))).toThrow(
      'realtimekit:rateLimit (or REALTIMEKIT_RATE_LIMIT) must be a whole number of requests per five minutes (0: no pacing), got "-5"',
    );
  });

  it("the environment's values are checked the same way", () => {
    process.env.REALTIMEKIT_RATE_LIMIT = "ten";
    expect(() => client(undefined, stack({}))).toThrow('realtimekit:rateLimit (or REALTIMEKIT_RATE_LIMIT) must be a whole number of requests per five minutes (0: no pacing), got "ten"');
  });

  it("a resource's own accountId is the account: a bad stack one is then not in the way", () => {
    expect(() => client("acct-2", stack({ "realtimekit:accountId": "a/b" }))).not.toThrow();
  });
});
