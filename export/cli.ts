#!/usr/bin/env node
// realtimekit-export: writes a live account's apps as a Pulumi program that
// adopts them (export.ts). Progress on stderr, the result on stdout.
import * as path from "node:path";
import { parseArgs } from "node:util";
import { RealtimeKit, RealtimeKitError } from "../provider/client";
import { ExportError, exportApps } from "./export";
import { defaultPackageSpec, secretsOf } from "./render";

const PROGRAM = "realtimekit-export";

const USAGE = `Usage: ${PROGRAM} --out DIR (--app APP_ID ... | --all) [options]

Writes the presets, webhooks and meetings of RealtimeKit apps as YAML files (the
API's own shape, a folder per app) and a Pulumi program (index.ts) that adopts
them: the first \`pulumi up\` creates nothing, the next shows no changes.
Exporting again over DIR changes only what changed in RealtimeKit: the diff of
DIR is the drift.

Options:
  --out DIR          the program's folder: new or empty (then created), or one
                     the export made before (then brought up to date)
  --app APP_ID       an app to export; repeat for more
  --all              every app of the account
  --account-id ID    default: $CLOUDFLARE_ACCOUNT_ID
  --api-token TOKEN  default: $CLOUDFLARE_API_TOKEN (prefer it: arguments show in the process list)
  --base-url URL     default: $CLOUDFLARE_BASE_URL, else the Cloudflare API
  --package-spec SPEC
                     the program's dependency on pulumi-realtimekit in its
                     package.json (written when missing): a version, a tarball or
                     a folder, e.g. file:../pulumi-realtimekit-0.1.0.tgz;
                     default: this version (${defaultPackageSpec()})
  -h, --help         show this help
`;

/** A bad command line: printed as one line, `realtimekit-export: <message>`, exit 2 (the emulator's CLI does the same). */
class UsageError extends Error {}

function parseOptions(argv: string[]) {
  let v;
  try {
    ({ values: v } = parseArgs({
      args: argv,
      options: {
        out: { type: "string" },
        app: { type: "string", multiple: true },
        all: { type: "boolean" },
        "account-id": { type: "string" },
        "api-token": { type: "string" },
        "base-url": { type: "string" },
        "package-spec": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    // Node's own wording, first sentence: "Unknown option '--x'", "Option '--out <value>' argument missing".
    throw new UsageError((e as Error).message.split(/\.(\s|$)/)[0]);
  }
  if (v.help) return undefined;
  if (!v.out) throw new UsageError("--out DIR is required");
  if (v.all && v.app) throw new UsageError("--all exports every app: give --all or --app, not both");
  if (!v.all && !v.app) throw new UsageError("give --app APP_ID (one or more) or --all");
  if (v.app?.some((id) => !id)) throw new UsageError("--app wants an app id");
  if (v["package-spec"] === "") throw new UsageError("--package-spec wants a version or an npm spec");
  const accountId = v["account-id"] || process.env.CLOUDFLARE_ACCOUNT_ID;
  const apiToken = v["api-token"] || process.env.CLOUDFLARE_API_TOKEN;
  if (!accountId) throw new UsageError("the account id is missing: --account-id or CLOUDFLARE_ACCOUNT_ID");
  if (!apiToken) throw new UsageError("the API token is missing: CLOUDFLARE_API_TOKEN or --api-token");
  return {
    out: v.out,
    apps: v.all ? ("all" as const) : v.app!,
    packageSpec: v["package-spec"],
    client: { accountId, apiToken, baseUrl: v["base-url"] || process.env.CLOUDFLARE_BASE_URL || undefined },
  };
}

/** The API's refusals in words that say what to fix. */
function explain(e: unknown, accountId: string | undefined): string {
  if (e instanceof RealtimeKitError && e.status === 401) {
    return `the API rejected the token (HTTP 401: ${e.apiMessage}): check CLOUDFLARE_API_TOKEN or --api-token`;
  }
  if (e instanceof RealtimeKitError && e.status === 403) {
    return `the token may not use RealtimeKit of account ${accountId} (HTTP 403: ${e.apiMessage}): check the account id and the token's permissions`;
  }
  if (e instanceof ExportError || e instanceof RealtimeKitError) return e.message;
  // The file system's refusals (EACCES, ENOSPC, ...) are the user's to fix: their message names the file; a stack would not help.
  if (typeof (e as NodeJS.ErrnoException)?.code === "string" && (e as NodeJS.ErrnoException).syscall) return (e as Error).message;
  return String((e as Error)?.stack ?? e);
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${PROGRAM}: ${e.message} (see ${PROGRAM} --help)\n`);
    process.exit(2);
  }
  if (!options) return void process.stdout.write(USAGE);
  const { out, apps, client, packageSpec } = options;
  try {
    const result = await exportApps({
      api: new RealtimeKit(client),
      out: path.resolve(out),
      apps,
      progress: (line) => process.stderr.write(`${line}\n`),
      packageSpec,
    });
    const changes = [
      ...result.added.map((f) => `  + ${f}`),
      ...result.changed.map((f) => `  ~ ${f}`),
      ...result.removed.map((f) => `  - ${f}`),
    ];
    const lines = [
      `${out}: ${result.apps.length} app(s); ${changes.length ? `${changes.length} file(s) changed:` : "no changes."}`,
      ...changes,
    ];
    const secrets = secretsOf(result.apps);
    if (secrets.length) {
      lines.push(
        "Write-only credentials cannot be read back from the API: the files say `!secret <key>` and the program reads them from Pulumi config. Set them before `pulumi up`:",
        ...secrets.map((s) => `  pulumi config set --secret ${s.key} <value>   # ${s.where}`),
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  } catch (e) {
    process.stderr.write(`${PROGRAM}: ${explain(e, client.accountId)}\n`);
    process.exit(1);
  }
}

void main();
