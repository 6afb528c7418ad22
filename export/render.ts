// The text realtimekit-export writes besides the objects: file headers, and the
// Pulumi project around the app folders (index.ts, README.md, Pulumi.yaml, ...).
import * as fs from "node:fs";
import * as path from "node:path";
import type { loadAppDir } from "../sdk/gitops";

/** An app folder of the program, as the GitOps loader reads it. */
export type ProgramApp = { folder: string } & ReturnType<typeof loadAppDir>;

const ADOPT = "# `id` makes the first `pulumi up` adopt the live object instead of creating one; edit the rest and `pulumi up` applies it.\n";
export const HEADERS = {
  app: "# A RealtimeKit app (GET /apps), exported by realtimekit-export. The API cannot rename apps: a new name means a new app.\n" + ADOPT,
  presets:
    "# A RealtimeKit preset, exported by realtimekit-export: `role` names the pulumi-realtimekit role template it is closest to,\n" +
    "# and the fields below are only those that differ from it, in the API's own shape (GET /{app_id}/presets/{preset_id}).\n" +
    ADOPT,
  webhooks: "# A RealtimeKit webhook in the API's own shape (GET /{app_id}/webhooks/{webhook_id}), exported by realtimekit-export.\n" + ADOPT,
  meetings:
    "# The app's RealtimeKit meetings in the API's own shape (GET /{app_id}/meetings/{meeting_id}), by resource name; exported by realtimekit-export.\n" +
    ADOPT +
    "# `!secret <key>`: a write-only credential the API never returns, read from Pulumi config: `pulumi config set --secret <key> <value>`.\n",
};

/** The config keys the program reads `!secret` values from, and where each is used. */
export function secretsOf(apps: ProgramApp[]) {
  return apps.flatMap((a) =>
    a.meetings.flatMap((m) => m.secrets.map((s) => ({ key: s.key, where: `meeting ${m.name} in ${a.folder}/meetings.yaml` }))),
  );
}

/** This package's package.json: the versions the program is written for. */
const own = () => JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));

/** What the program's package.json depends on by default: the version that wrote it. */
export const defaultPackageSpec = (): string => own().version;

/**
 * Project files by name; `always`: rewritten on every export, else written only when missing (the user may edit them).
 * `packageSpec`: the program's dependency on pulumi-realtimekit (a version, or any npm spec: a tarball, a path).
 */
export function projectFiles(apps: ProgramApp[], packageSpec = defaultPackageSpec()): Record<string, { content: string; always?: boolean }> {
  const { dependencies, devDependencies } = own();
  return {
    "index.ts": { content: indexTs(apps.map((a) => a.folder)), always: true },
    "README.md": { content: readme(apps), always: true },
    "Pulumi.yaml": { content: "name: realtimekit-apps\ndescription: RealtimeKit apps, exported by realtimekit-export\nruntime: nodejs\n" },
    "package.json": {
      content: json({
        name: "realtimekit-apps",
        private: true,
        dependencies: { "@pulumi/pulumi": dependencies["@pulumi/pulumi"], "pulumi-realtimekit": packageSpec },
        devDependencies: { "@types/node": devDependencies["@types/node"], typescript: devDependencies.typescript },
      }),
    },
    // Pulumi runs index.ts with ts-node; plain CommonJS resolution, as in examples/gitops.
    "tsconfig.json": {
      content: json({
        compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node", types: ["node"], strict: true, esModuleInterop: true, skipLibCheck: true },
      }),
    },
    ".gitignore": { content: "node_modules/\n" },
  };
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

const indexTs = (folders: string[]) => `// The Pulumi program of the RealtimeKit apps in this folder, one folder per app
// (see README.md). Written by realtimekit-export, which rewrites it.
import * as path from "node:path";
import * as rtk from "pulumi-realtimekit";

const apps = [${folders.map((f) => JSON.stringify(f)).join(", ")}];

/** The id of each app, by folder. */
export const appIds = Object.fromEntries(apps.map((folder) => [folder, rtk.appFromDir(path.join(__dirname, folder)).app.id]));
`;

function readme(apps: ProgramApp[]): string {
  const row = (a: ProgramApp) =>
    `| \`${a.folder}/\` | ${a.app.args.name} | ${a.app.id ?? "(new)"} | ${a.presets.length} | ${a.webhooks.length} | ${a.meetings.length} |`;
  const secrets = secretsOf(apps);
  const setSecrets = secrets.length
    ? `\nThe API never returns write-only credentials (recording storage keys), so the files hold \`!secret <key>\` instead and the program reads the value from Pulumi config. Set each before the first \`pulumi up\`:\n\n\`\`\`sh\n${secrets.map((s) => `pulumi config set --secret ${s.key} <value>   # ${s.where}`).join("\n")}\n\`\`\`\n`
    : "";
  return `# RealtimeKit apps as code

Written by \`realtimekit-export\` from a live RealtimeKit account: one folder per app, each object in the API's own shape (snake_case, as \`GET\` returns it). A preset names the role template it is closest to (\`role:\`) and holds only the fields that differ from it: the program merges them back into the whole preset.

| Folder | App | App id | Presets | Webhooks | Meetings |
|---|---|---|---|---|---|
${apps.map(row).join("\n")}

In each folder: \`app.yaml\`, \`presets/\` and \`webhooks/\` (a file per object, named after it) and \`meetings.yaml\` (meetings by name). \`index.ts\` declares them all with \`appFromDir\` from \`pulumi-realtimekit\`; resources are named \`<folder>/<name>\`.

An object with an \`id\` is **adopted**: the first \`pulumi up\` reads it instead of creating it and changes only what the file says differently (\`pulumi preview\` lists it as a create all the same). An object without an \`id\` (a file you add) is created. Deleting a file deletes the object; a meeting is set INACTIVE (the API cannot delete meetings), an app only leaves the stack.

## Deploy

\`\`\`sh
npm install
pulumi stack init prod
pulumi config set realtimekit:accountId <cloudflare-account-id>    # or CLOUDFLARE_ACCOUNT_ID
pulumi config set --secret realtimekit:apiToken <api-token>        # or CLOUDFLARE_API_TOKEN
pulumi up        # adopts every object: nothing is created or deleted
pulumi preview   # no changes
\`\`\`
${setSecrets}
Meetings' \`transcribe_on_end\` is write-only too and is left out: the program does not manage it until you add it.

## Drift

Run the export again over this folder (\`npx realtimekit-export --out . --all\`, or \`--app <app-id>\`): files keep their names, so the diff of the folder is exactly what changed in RealtimeKit since. The export mirrors the account: files of deleted objects go, and so do files without an \`id\` (objects not deployed yet). Commit the diff to accept the change, or discard it and \`pulumi up\` to undo the change in RealtimeKit.
`;
}
