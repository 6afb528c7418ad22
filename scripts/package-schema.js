// The Pulumi package schema `realtimekit` (schema.json at the package root):
// what the native plugin's GetSchema returns, and what `pulumi package add` and
// Pulumi's SDK generators read to make an SDK for every language. Read off the
// same zod schemas and kinds' tables as sdk/generated.ts (schema-reader.js), so
// it cannot drift from what the provider validates; generate.js writes it.
//
// No `pluginDownloadURL`: the plugin is no downloadable binary but the
// `pulumi-resource-realtimekit` bin of the npm package, which
// `npm install -g pulumi-realtimekit` puts on PATH, where the engine finds it.
const pkg = require("../package.json");
const { camel, defaultOf, defOf, fieldPaths, LookupArgs, metaOf, ProviderConfig, unwrap } = require("../dist/provider/schema");
const { RESOURCES, APP_ID, ACCOUNT_ID, ACCOUNT_ID_OUT, LABELS, fields, enumValues, constraints, defaultNote, flags } = require("./schema-reader");
const { examplesSection } = require("./registry-examples");
const { PACKAGE, token, pascal } = require("./pulumi-names");

// The Kind tables hold no prose about the kind as a whole: these say it for the schema's docs.
const RESOURCE_DOCS = {
  App: "A RealtimeKit app, the container of presets, meetings and webhooks. The API can neither rename nor delete apps: a changed `name` fails the preview, and deleting the resource only drops the app from the stack (with a warning that says so).",
  Preset: "A preset: what participants of a meeting can see and do. `config`, `ui` and `permissions` may be given in any part: the `role` template gives the rest.",
  Meeting: "A meeting. The API cannot delete meetings: deleting the resource sets the meeting INACTIVE, so nobody can join it. Recording storage credentials, which the API never returns, are kept from the arguments as secret outputs.",
  Webhook: "A webhook: where RealtimeKit posts the events of an app. Its url is unique within the app.",
};
const LOOKUP_DOCS = {
  App: "The app named `name`, read and not managed. Fails when the account has none or several of that name.",
  Preset: "The preset named `name` in app `appId`, read and not managed (preset names are unique within an app).",
  Webhook: "The webhook named `name` in app `appId`, read and not managed. Fails when the app has none or several of that name.",
  Meeting: "The meeting titled `title` in app `appId`, read and not managed. Titles need not be unique: several meetings with the title fail, naming their ids.",
};

// Pulumi's own `import` (and the `import` resource option) work for a plugin, so
// the TS SDK's `importId` stopgap is no input here; these are the import ids.
const importForm = (r) => (r.inApp ? `<appId>/<${r.kind.toLowerCase()}Id>` : "<appId>");

/**
 * Whether a key can be a property name in every SDK: Pulumi's Go and Python
 * generators prefix one that starts with a digit with "_", and in Go `_600` is
 * an unexported field, which a program cannot set (Go has no name override).
 */
const isName = (key) => /^[A-Za-z][A-Za-z0-9]*$/.test(key);

/** A field's description, with its bounds, flags and (of an input) default; its enum values are its type's. */
function describe(f, output) {
  const bounds = constraints(f.schema)
    .filter(([tag, v]) => !(tag === "format" && v === "integer")) // the type says so
    .map(([tag, v]) => `${LABELS[tag]}: ${v}.`);
  const keyed = keysNotNames(f.schema);
  const keys = keyed && `Keys: ${keyed.map((k) => `\`${k.name}\`${k.optional ? " (optional)" : ""}`).join(", ")}.`;
  return [
    f.meta.description,
    ...(keys ? [keys] : []),
    ...bounds,
    ...(output ? [] : defaultNote(f)),
    ...flags(f).map(([flag, why]) => `${flag}: ${why}`),
  ].join(" ");
}

/**
 * An enum value's member name in every SDK: PascalCase words of the value
 * (`NOT_ALLOWED` → `NotAllowed`, `meeting.participantJoined` →
 * `MeetingParticipantJoined`). Without a name, Pulumi's generators make one from
 * the value, and Python's rule mangles SCREAMING_SNAKE (`NO_T_ALLOWED`).
 */
const memberName = (value) =>
  value
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join("");

/** A primitive default of an input, for the package schema's `default` (Pulumi's binder takes no other). */
function primitiveDefault(s) {
  const value = defaultOf(s);
  return ["string", "number", "boolean"].includes(typeof value) ? value : undefined;
}

/** The fields of an object whose keys are not all names (colour shades "600"): it becomes a map. */
function keysNotNames(s) {
  if (defOf(unwrap(s)).type !== "object") return undefined;
  const fs = fields(s);
  return fs.every((f) => isName(f.name)) ? undefined : fs;
}

/** The package's object and enum types, named by where they are (`PresetConfigMediaVideo`), or by their meta (`MediaQuality`). */
class Types {
  types = {};

  /**
   * A reference to `spec` named `name`. Where a resource's outputs need another
   * shape than its arguments at the same place (a preset's sections: arguments
   * are partial, over the role template; the API's answer is whole), the output's
   * type is `<name>Response`, as azure-native names its output types.
   */
  define(name, spec, output) {
    for (const candidate of output ? [name, `${name}Response`] : [name]) {
      const have = this.types[token(candidate)];
      if (!have) this.types[token(candidate)] = spec;
      if (!have || JSON.stringify(have) === JSON.stringify(spec)) return { $ref: `#/types/${token(candidate)}` };
    }
    throw new Error(`two different types would be named ${token(name)}`);
  }

  /**
   * An enum type: each value with a PascalCase `name` and, where the API says what
   * it means, a description. An input takes the enum; an output is relaxed
   * (`oneOf: [enum, string]`, as azure-native does), so that a value the schema
   * does not list, which the API may answer, is a string and not a crash (Python's
   * `translate_output_properties` calls the enum class; Java's enums are closed).
   */
  enumType(s, name, output, description) {
    const values = enumValues(s);
    if (!values.every((v) => typeof v === "string")) throw new Error(`${name}: only string enums are mapped`);
    const meta = metaOf(s);
    const members = values.map((value) => {
      const about = meta.values?.[value] ?? {};
      return { name: about.name ?? memberName(value), value, ...(about.description && { description: about.description }) };
    });
    // A named enum is shared by fields with their own descriptions: it has none of theirs.
    const spec = { type: "string", ...(description && !meta.enumType && { description }), enum: members };
    const ref = this.define(meta.enumType ?? name, spec, false);
    return output ? { oneOf: [ref, { type: "string" }] } : ref;
  }

  /** The type of a zod schema at the place named `name`. */
  of(s, name, output, description) {
    const d = defOf(unwrap(s));
    switch (d.type) {
      case "string":
      case "boolean":
        return { type: d.type };
      case "number":
        return { type: d.format === "safeint" ? "integer" : "number" };
      case "unknown":
        return { $ref: "pulumi.json#/Any" };
      case "enum":
        return this.enumType(s, name, output, description);
      case "array":
        // One element of `events` is an `Event`.
        return { type: "array", items: this.of(d.element, name.endsWith("s") ? name.slice(0, -1) : `${name}Item`, output) };
      case "record":
        return { type: "object", additionalProperties: this.of(d.valueType, `${name}Value`, output) };
      case "union": {
        // A form that typed SDKs show (see alsoAccepting in provider/schema/common.ts); the others are still accepted.
        const typedAs = metaOf(s).typedAs;
        if (typedAs !== undefined) return this.of(d.options[typedAs], name, output, description);
        // .NET and Java type a union of more than two members as `object`, Go as an untyped input.
        if (d.options.length > 2) throw new Error(`${name}: a union of ${d.options.length} members: give the typed form with alsoAccepting`);
        if (d.options.filter((o) => defOf(unwrap(o)).type === "object").length > 1) throw new Error(`${name}: a union of several objects needs names`);
        return { oneOf: d.options.map((o) => this.of(o, name, output)) };
      }
      case "object": {
        const keyed = keysNotNames(s);
        if (keyed) {
          const values = new Set(keyed.map((f) => JSON.stringify(this.of(f.schema, name, output))));
          if (values.size !== 1) throw new Error(`${name}: keys that are not names, with values of different types`);
          return { type: "object", additionalProperties: JSON.parse([...values][0]) };
        }
        const fs = fields(s);
        return this.define(name, { type: "object", ...(description && { description }), ...this.properties(fs, name, output) }, output);
      }
      default:
        throw new Error(`no package schema type for zod type "${d.type}" (${name})`);
    }
  }

  /** `properties` and `required` of an object's fields; `prefix` names their types. An input's default is its `default`. */
  properties(fs, prefix, output) {
    const properties = Object.fromEntries(
      fs.map((f) => {
        const value = output ? undefined : primitiveDefault(f.schema);
        return [
          f.name,
          {
            ...this.of(f.schema, prefix + pascal(f.name), output, f.meta.description),
            description: describe(f, output),
            ...(value !== undefined && { default: value }),
            ...(f.meta.secret && { secret: true }),
          },
        ];
      }),
    );
    const required = fs.filter((f) => !f.optional).map((f) => f.name);
    return { properties, ...(required.length && { required }) };
  }

  /** The types, sorted; two enum types with the same values would be two incompatible types in Go, .NET and Java. */
  all() {
    const enums = new Map();
    for (const [t, spec] of Object.entries(this.types)) {
      if (!spec.enum) continue;
      const key = JSON.stringify(spec.enum.map((e) => e.value));
      if (enums.has(key)) throw new Error(`${enums.get(key)} and ${t} have the same values: name one enum type with oneOf's \`type\``);
      enums.set(key, t);
    }
    return Object.fromEntries(Object.entries(this.types).sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Our own arguments and outputs (appId, accountId): strings, replaced on change. */
const own = (o) => [o.path, { type: "string", description: o.description, replaceOnChanges: true }];

function resource(r, types) {
  const ownIn = r.inApp ? [APP_ID, ACCOUNT_ID] : [ACCOUNT_ID];
  const ownOut = r.inApp ? [APP_ID, ACCOUNT_ID_OUT] : [ACCOUNT_ID_OUT];
  const mark = (props, marks) =>
    Object.fromEntries(Object.entries(props).map(([name, spec]) => [name, { ...spec, ...(marks.includes(name) && { replaceOnChanges: true }) }]));
  const replaceOn = r.replaceOn ?? [];
  const inputs = types.properties(fields(r.args), r.kind, false);
  const outputs = types.properties(fields(r.outputs).filter((f) => f.name !== "id"), r.kind, true);
  // A top-level property with a secret anywhere inside is secret, inputs too: Pulumi's Python and Go
  // SDKs wrap only top-level inputs marked secret, so a credential nested in `recordingConfig` is
  // sent in clear from there otherwise. Outputs: as the TS SDK's additionalSecretOutputs.
  const topLevelSecrets = (s) => new Set(fieldPaths(s, (m) => !!m.secret).map((p) => camel(p[0])));
  for (const name of topLevelSecrets(r.args)) inputs.properties[name].secret = true;
  for (const name of topLevelSecrets(r.outputs)) outputs.properties[name].secret = true;
  const required = (o, props) => [...o.filter((x) => x.required).map((x) => x.path), ...(props.required ?? [])];
  const kind = r.kind.toLowerCase();
  return {
    // With its examples and `## Import` section once the whole schema is known (packageSchema).
    description: RESOURCE_DOCS[r.kind],
    inputProperties: { ...Object.fromEntries(ownIn.map(own)), ...mark(inputs.properties, replaceOn) },
    requiredInputs: required(ownIn, inputs),
    properties: { ...Object.fromEntries(ownOut.map(own)), ...mark(outputs.properties, replaceOn) },
    required: required(ownOut, outputs),
    // What `<Kind>.get(name, id, state)` needs besides the id to read the object: an in-app one's app.
    stateInputs: {
      description: r.inApp
        ? `What \`${r.kind}.get(name, id, state)\` reads an existing ${kind} with, besides its id: the app it is in (required), and its account.`
        : `What \`${r.kind}.get(name, id, state)\` reads an existing ${kind} with, besides its id: its account.`,
      properties: Object.fromEntries(ownIn.map((o) => [o.path, { type: "string", description: o.description }])),
      ...(r.inApp && { required: [APP_ID.path] }),
    },
  };
}

/** A resource's page: what it is, examples in each language, and how an existing one is imported. */
function resourceDescription(r, schema) {
  const id = importForm(r);
  return [
    RESOURCE_DOCS[r.kind],
    examplesSection(r.kind, schema),
    "## Import",
    `An existing ${r.kind.toLowerCase()} is imported by its id, \`${id}\`; the import writes the arguments that reproduce it:`,
    `\`\`\`sh\n$ pulumi import ${token(r.kind)} ${r.kind.toLowerCase()} ${id}\n\`\`\``,
  ].join("\n\n");
}

function lookup(r, types) {
  const ownOut = r.inApp ? [APP_ID, ACCOUNT_ID_OUT] : [ACCOUNT_ID_OUT];
  // With `id`: a lookup's result has no resource id of its own.
  const found = types.properties(fields(r.outputs), r.kind, true);
  return {
    description: LOOKUP_DOCS[r.kind],
    inputs: types.properties(fields(LookupArgs[r.kind]), `Get${r.kind}`, false),
    outputs: {
      properties: { ...Object.fromEntries(ownOut.map((o) => [o.path, { type: "string", description: o.description }])), ...found.properties },
      required: [...ownOut.map((o) => o.path), ...found.required],
    },
  };
}

/** A provider config key's description with its bounds; the docs' table of configuration keys shows it as it is. */
function configDescription(f) {
  const bounds = constraints(f.schema).filter(([tag]) => tag !== "format").map(([tag, v]) => `${LABELS[tag]}: ${v}.`);
  return [f.meta.description, ...bounds].join(" ");
}

/** A provider config key: its type, description, secrecy and environment variable. */
function configVariable(f, types) {
  const environment = f.meta.environment;
  return {
    ...types.of(f.schema, `Config${pascal(f.name)}`, false),
    description: `${configDescription(f)} Read from the environment variable \`${environment}\` when not set.`,
    ...(f.meta.secret && { secret: true }),
    defaultInfo: { environment: [environment] },
  };
}

/**
 * The Go import path of the generated SDK: Go modules name a major version from 2 on in the path
 * (`.../sdk/v2/go/realtimekit`), as Pulumi's Go generator derives it (ExtractModulePath).
 */
function goImportBasePath(repository, version) {
  const major = Number(version.split(".")[0]);
  return `${new URL(repository).host}${new URL(repository).pathname}/sdk${major > 1 ? `/v${major}` : ""}/go/${PACKAGE}`;
}

function packageSchema(version = pkg.version) {
  const types = new Types();
  const repository = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
  const publisher = new URL(repository).pathname.split("/")[1];
  const variables = Object.fromEntries(fields(ProviderConfig).map((f) => [f.name, configVariable(f, types)]));
  const resources = Object.fromEntries(RESOURCES.map((r) => [token(r.kind), resource(r, types)]));
  const functions = Object.fromEntries(RESOURCES.map((r) => [token(`get${r.kind}`), lookup(r, types)]));
  const schema = {
    name: PACKAGE,
    displayName: "Cloudflare RealtimeKit",
    version,
    // Where the engine downloads the plugin when it is not installed: this repository's GitHub release
    // v<version>, asset pulumi-resource-realtimekit-v<version>-<os>-<arch>.tar.gz (`npm run dist`;
    // .github/workflows/release.yml attaches them). pulumi/pulumi sdk/go/common/workspace/plugins.go, newGithubSource.
    pluginDownloadURL: `github://api.github.com${new URL(repository).pathname}`,
    description: pkg.description,
    // Pulumi Registry's conventions: a native provider (not bridged), of the cloud category.
    keywords: [...pkg.keywords, "category/cloud", "kind/native"],
    homepage: repository,
    repository,
    license: pkg.license,
    publisher,
    // Our own mark (docs/logo.svg), not Cloudflare's: the repository's default branch serves it.
    logoUrl: `${repository.replace("https://github.com/", "https://raw.githubusercontent.com/")}/HEAD/docs/logo.svg`,
    language: {
      // Not `pulumi-realtimekit`: that is this package (the TS SDK, the dynamic
      // provider and the plugin). A generated Node.js SDK gets a name in the
      // project's own npm scope, which nobody else can publish under.
      nodejs: { packageName: "@pulumi-realtimekit/sdk", respectSchemaVersion: true },
      python: { packageName: "pulumi_realtimekit", pyproject: { enabled: true }, respectSchemaVersion: true },
      go: { importBasePath: goImportBasePath(repository, version), respectSchemaVersion: true },
      // Namespaces and packages of our own, not Pulumi's (`Pulumi.*`, `com.pulumi.*`): C#
      // `PulumiRealtimeKit.RealtimeKit`; Java `io.github.pulumirealtimekit.realtimekit` (the
      // reversed domain of the project's GitHub pages, without the "-" Java names cannot have).
      csharp: { rootNamespace: "PulumiRealtimeKit", namespaces: { [PACKAGE]: "RealtimeKit" }, packageReferences: { Pulumi: "3.*" }, respectSchemaVersion: true },
      java: { basePackage: `io.github.${publisher.replace(/-/g, "")}` },
    },
    config: { variables },
    provider: {
      description: "The provider of the realtimekit package: the credentials and endpoint its resources and lookups use. A provider resource of its own serves another token or default account.",
      inputProperties: variables,
    },
    resources,
    functions,
    types: types.all(),
  };
  for (const r of RESOURCES) resources[token(r.kind)].description = resourceDescription(r, schema);
  return schema;
}

module.exports = { packageSchema, goImportBasePath, configDescription };
