// The Pulumi package schema (schema.json, written by `npm run generate`; that it
// is not stale is checked by test/generated.test.ts): it validates against
// Pulumi's metaschema and passes the checks Pulumi's schema binder makes beyond
// it, and its inputs and outputs match the zod schemas field for field. The zod
// side is read with zod's own JSON Schema export, not with the generator's walk.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { z } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import type { Kind } from "../provider/resource";
import { app } from "../provider/resources/app";
import { meeting } from "../provider/resources/meeting";
import { preset } from "../provider/resources/preset";
import { webhook } from "../provider/resources/webhook";
import { validate as checkArgs } from "../provider/check";
import { DEFAULT_ROLE, groupCallHost, ROLE_NAMES, ROLES } from "../provider/presets";
import { camel, configEnvironment, convertKeys, LookupArgs, MeetingCreate, PresetCreate, ProviderConfig } from "../provider/schema";

const root = path.join(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
// Pulumi's metaschema, vendored with its source and licence (test/fixtures/pulumi/README.md).
const metaschema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/pulumi/package-metaschema.json"), "utf8"));

const KINDS: Kind[] = [app, preset, meeting, webhook];
// The generator itself (reads dist/: `npm test` builds first) and its ports of Pulumi's naming rules.
const load = createRequire(__filename);
const { packageSchema } = load("../scripts/package-schema.js") as { packageSchema(version?: string): Json };
const { pythonEnumMember } = load("../scripts/pulumi-names.js") as { pythonEnumMember(name: string, typeName: string): string };
const token = (name: string) => `realtimekit:index:${name}`;

type Json = any;
type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let validate: Validate;
beforeAll(() => {
  // JSON Schema 2020-12, as the metaschema declares; its `type` lists are unions, and its
  // formats (`uri-reference` of a type's $ref, `regex`) are checked, not just annotations.
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  validate = ajv.compile(metaschema) as Validate;
});
const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe("Pulumi's metaschema", () => {
  it("schema.json validates", () => {
    expect(validate(schema), errors().slice(0, 10).join("\n")).toBe(true);
  });

  // The validator must be able to fail: each break is caught, at its place.
  it.each([
    ["a resource input without a type", (s: Json) => delete s.resources[token("Webhook")].inputProperties.name.type, "/resources/realtimekit:index:Webhook/inputProperties/name"],
    ["a resource token whose name starts with a digit", (s: Json) => (s.resources["realtimekit:index:9Webhook"] = {}), "/resources"],
    ["an enum value without `value`", (s: Json) => (s.types[token("WebhookEvent")].enum[0] = { name: "started" }), "/types/realtimekit:index:WebhookEvent/enum/0"],
    ["a $ref that is no URI reference", (s: Json) => (s.resources[token("App")].properties.name = { $ref: "#/types/not a token" }), "/resources/realtimekit:index:App/properties/name/$ref"],
    ["a version that is not semver", (s: Json) => (s.version = "latest"), "/version"],
  ])("a broken schema fails: %s", (_what, breakIt, at) => {
    const broken = structuredClone(schema);
    breakIt(broken);
    expect(validate(broken)).toBe(false);
    expect(errors().some((e) => e.startsWith(at)), errors().join("\n")).toBe(true);
  });
});

/** Every object spec of the schema with properties, by where it is. */
function objectSpecs(s: Json): [string, Json][] {
  const out: [string, Json][] = [];
  for (const [t, spec] of Object.entries<Json>(s.types)) if (spec.properties) out.push([`types/${t}`, spec]);
  for (const [t, r] of Object.entries<Json>(s.resources)) {
    out.push([`resources/${t}`, r], [`resources/${t} (inputs)`, { properties: r.inputProperties, required: r.requiredInputs }]);
    out.push([`resources/${t} (state)`, r.stateInputs]);
  }
  for (const [t, f] of Object.entries<Json>(s.functions)) out.push([`functions/${t} (inputs)`, f.inputs], [`functions/${t} (outputs)`, f.outputs]);
  out.push(["config", { properties: s.config.variables }], ["provider", { properties: s.provider.inputProperties }]);
  return out;
}

/** Every `$ref` anywhere in a value. */
const refs = (v: Json): string[] =>
  v && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) => (k === "$ref" && typeof x === "string" ? [x] : refs(x))) : [];

// What Pulumi's binder (pkg/codegen/schema/bind.go, reserved_keywords.go) checks beyond the metaschema.
describe("the binder's checks", () => {
  it("every $ref names a type of the package (or Pulumi's Any), and every type is used", () => {
    const all = refs({ ...schema, types: undefined });
    const typeRefs = refs(schema.types);
    for (const r of [...all, ...typeRefs]) {
      if (r === "pulumi.json#/Any") continue;
      expect(r).toMatch(/^#\/types\//);
      expect(schema.types, r).toHaveProperty([r.slice("#/types/".length)]);
    }
    const used = new Set([...all, ...typeRefs].map((r) => r.slice("#/types/".length)));
    expect(Object.keys(schema.types).filter((t) => !used.has(t))).toEqual([]);
  });

  it("required names are properties; property names are printable, not reserved, and names in every SDK language", () => {
    for (const [where, spec] of objectSpecs(schema)) {
      for (const name of spec.required ?? []) expect(spec.properties, `${where}: required ${name}`).toHaveProperty([name]);
      for (const name of Object.keys(spec.properties)) {
        expect(name, where).not.toBe("pulumi");
        // bind.go asks only for printable, non-space characters; Pulumi's Go SDK generator makes a
        // name starting with a digit `_600`, an unexported field: such keys are maps (colour shades).
        expect(name, where).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      }
    }
    for (const r of Object.values<Json>(schema.resources)) {
      for (const props of [r.properties, r.inputProperties]) for (const reserved of ["id", "urn"]) expect(props).not.toHaveProperty([reserved]);
    }
    expect(schema.provider.inputProperties).not.toHaveProperty(["version"]);
  });
});

// ---- field for field ----

/** One place in a value's shape: its type, whether it must be set, its description and secrecy. */
interface Leaf {
  path: string;
  type: string;
  required: boolean;
  description?: string;
  secret?: boolean;
  default?: unknown;
}
const isName = (k: string) => /^[A-Za-z][A-Za-z0-9]*$/.test(k);

/** The leaves of a JSON Schema that zod exported (snake_case keys, camelCased here as the SDK does). */
function zodLeaves(js: Json, at: string, required: boolean, out: Leaf[], meta: Json = {}): Leaf[] {
  // A union with the form typed SDKs show (alsoAccepting): that form, with the union's description.
  if (js.anyOf && js.typedAs !== undefined) return zodLeaves(js.anyOf[js.typedAs], at, required, out, { ...meta, ...js, anyOf: undefined, typedAs: undefined });
  if (Array.isArray(js.type)) return zodLeaves({ ...js, type: js.type.filter((t: string) => t !== "null")[0] }, at, required, out, meta); // ["string", "null"]
  const options = (js.anyOf ?? []).filter((o: Json) => o.type !== "null"); // nullable: no null in Pulumi
  if (js.anyOf && options.length === 1) return zodLeaves(options[0], at, required, out, { ...meta, ...js, anyOf: undefined });
  const m = { ...js, ...meta };
  const leaf = (type: string) => out.push({ path: at, type, required, description: m.description, secret: m.secret, default: m.default });
  if (js.anyOf) {
    leaf("union");
    options.forEach((o: Json, i: number) => zodLeaves(o, `${at}<${i}>`, true, out));
  } else if (js.enum) leaf(`enum(${js.enum.join(",")})`);
  else if (js.type === "array") {
    leaf("array");
    zodLeaves(js.items, `${at}[]`, true, out);
  } else if (js.type === "object" && js.properties) {
    const keys = Object.keys(js.properties);
    if (keys.every((k) => isName(camel(k)))) {
      leaf("object");
      for (const k of keys) zodLeaves(js.properties[k], `${at}.${camel(k)}`, (js.required ?? []).includes(k), out);
    } else {
      // Keys that are not names (colour shades "600") are a map of the one value type.
      leaf("map");
      const values = new Set(keys.map((k) => JSON.stringify({ ...js.properties[k], description: undefined })));
      expect(values.size, `${at}: one value type`).toBe(1);
      zodLeaves(JSON.parse([...values][0]), `${at}.*`, true, out);
    }
  } else if (js.type === "object") {
    leaf("map");
    zodLeaves(js.additionalProperties, `${at}.*`, true, out);
  } else if (js.type) leaf(js.type);
  else leaf("any"); // z.unknown()
  return out;
}

/** The leaves of a package schema property, its types resolved. */
function pulumiLeaves(spec: Json, at: string, required: boolean, out: Leaf[]): Leaf[] {
  const leaf = (type: string) => out.push({ path: at, type, required, description: spec.description, secret: spec.secret, default: spec.default });
  // A relaxed enum (an output): the enum, or any string.
  if (isRelaxed(spec)) return pulumiLeaves({ ...spec, ...spec.oneOf[0], oneOf: undefined }, at, required, out);
  const ref: string | undefined = spec.$ref;
  const resolved = ref?.startsWith("#/types/") ? schema.types[ref.slice("#/types/".length)] : undefined;
  if (ref === "pulumi.json#/Any") leaf("any");
  else if (resolved?.enum) leaf(`enum(${resolved.enum.map((e: Json) => e.value).join(",")})`);
  else if (resolved) {
    leaf("object");
    for (const [k, p] of Object.entries<Json>(resolved.properties)) pulumiLeaves(p, `${at}.${k}`, (resolved.required ?? []).includes(k), out);
  } else if (spec.oneOf) {
    leaf("union");
    spec.oneOf.forEach((o: Json, i: number) => pulumiLeaves(o, `${at}<${i}>`, true, out));
  } else if (spec.type === "array") {
    leaf("array");
    pulumiLeaves(spec.items, `${at}[]`, true, out);
  } else if (spec.type === "object") {
    leaf("map");
    pulumiLeaves(spec.additionalProperties, `${at}.*`, true, out);
  } else leaf(spec.type);
  return out;
}

/** `oneOf: [<an enum type>, string]`: an enum that also takes strings it does not list (azure-native's relaxed enums). */
const isRelaxed = (spec: Json) =>
  spec.oneOf?.length === 2 && spec.oneOf[0].$ref && schema.types[spec.oneOf[0].$ref.slice("#/types/".length)]?.enum && spec.oneOf[1].type === "string" && Object.keys(spec.oneOf[1]).length === 1;

/** Leaves of an object's properties: zod's (with our own arguments added) or the package schema's. */
const fromZod = (s: z.ZodType, own: Leaf[] = [], skip: string[] = []) =>
  [...own, ...zodLeaves(z.toJSONSchema(s), "", true, []).filter((l) => l.path !== "" && !skip.includes(l.path.slice(1)))].map((l) => ({
    ...l,
    path: l.path.replace(/^\./, ""),
  }));
const fromPulumi = (properties: Json, required: string[] = []) =>
  Object.entries<Json>(properties).flatMap(([k, p]) => pulumiLeaves(p, k, required.includes(k), []));

/** What the two sides must agree on exactly: each place's type and whether it must be set. */
const shape = (leaves: Leaf[]) => leaves.map((l) => `${l.path}: ${l.type}${l.required ? " (required)" : ""}`).sort();

/** Each package schema description starts with the zod field's (bounds and flags may follow). */
function expectDescriptions(zodSide: Leaf[], pulumiSide: Leaf[]) {
  const byPath = new Map(pulumiSide.map((l) => [l.path, l]));
  for (const l of zodSide.filter((l) => l.description)) expect(byPath.get(l.path)?.description, l.path).toMatch(new RegExp(`^${escape(l.description!)}`));
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const secrets = (leaves: Leaf[]) => leaves.filter((l) => l.secret).map((l) => l.path).sort();
/** The secret places, with each top-level property that holds one: Python and Go SDKs wrap only top-level inputs. */
const withTopLevel = (leaves: Leaf[]) => {
  const inner = secrets(leaves);
  return [...new Set([...inner, ...inner.map((p) => p.split(/[.[<]/)[0])])].sort();
};
/** The defaults, by path. */
const defaults = (leaves: Leaf[]) => Object.fromEntries(leaves.filter((l) => l.default !== undefined).map((l) => [l.path, l.default]));

const own = (name: string, required: boolean): Leaf => ({ path: name, type: "string", required });

describe.each(KINDS.map((k) => [k.name, k] as const))("%s: inputs and outputs match the zod schemas", (name, kind) => {
  const spec = () => schema.resources[token(name)];
  const ownIn = [...(kind.inApp ? [own("appId", true)] : []), own("accountId", false)];
  const ownOut = [...(kind.inApp ? [own("appId", true)] : []), own("accountId", true)];

  it("inputs: the arguments (`args ?? schema`) plus appId/accountId, field for field; no importId", () => {
    const zodSide = fromZod(kind.args ?? kind.schema, ownIn);
    const pulumiSide = fromPulumi(spec().inputProperties, spec().requiredInputs);
    expect(shape(pulumiSide)).toEqual(shape(zodSide));
    expectDescriptions(zodSide, pulumiSide);
    // The storage credentials, wherever they are, and the top-level input holding them (`recordingConfig`).
    expect(secrets(pulumiSide)).toEqual(withTopLevel(zodSide));
    expect(defaults(pulumiSide)).toEqual(defaults(zodSide)); // each one the zod schema gives
    expect(spec().inputProperties).not.toHaveProperty(["importId"]); // Pulumi's own `import` serves
  });

  it("outputs: the object as the API returns it (without id) plus appId/accountId; a top-level output holding a secret is secret", () => {
    const zodSide = fromZod(kind.output, ownOut, ["id"]);
    const pulumiSide = fromPulumi(spec().properties, spec().required);
    expect(shape(pulumiSide)).toEqual(shape(zodSide));
    expectDescriptions(zodSide, pulumiSide);
    expect(secrets(pulumiSide)).toEqual(withTopLevel(zodSide));
    expect(defaults(pulumiSide)).toEqual({}); // a default is what an input left out takes
  });

  it("replaced on a change of appId/accountId (and the kind's replaceOn), nothing else", () => {
    const expected = [...(kind.inApp ? ["appId"] : []), "accountId", ...(kind.replaceOn ?? [])].sort();
    for (const props of [spec().inputProperties, spec().properties]) {
      expect(Object.keys(props).filter((k) => props[k].replaceOnChanges).sort()).toEqual(expected);
    }
    expect(Object.keys(spec().stateInputs.properties)).toEqual(ownIn.map((o) => o.path));
  });

  it(`get${name}: inputs as the TS SDK's lookup takes them, outputs the object with its id`, () => {
    const fn = schema.functions[token(`get${name}`)];
    const args = fromZod(LookupArgs[name as keyof typeof LookupArgs]);
    expect(shape(fromPulumi(fn.inputs.properties, fn.inputs.required))).toEqual(shape(args));
    const found = fromZod(kind.output, ownOut);
    expect(shape(fromPulumi(fn.outputs.properties, fn.outputs.required))).toEqual(shape(found));
  });
});

describe("the package", () => {
  it("config variables and the provider's inputs are the provider config schema's keys; the token is secret", () => {
    const zodSide = fromZod(ProviderConfig);
    for (const props of [schema.config.variables, schema.provider.inputProperties]) {
      const pulumiSide = fromPulumi(props);
      expect(shape(pulumiSide)).toEqual(shape(zodSide));
      expectDescriptions(zodSide, pulumiSide);
      expect(secrets(pulumiSide)).toEqual(["apiToken"]);
      for (const [key, p] of Object.entries<Json>(props)) expect(p.defaultInfo).toEqual({ environment: [configEnvironment(key as never)] });
    }
    expect(schema.config.variables.rateLimit.type).toBe("integer");
  });

  it("colour shades (keys that are no names) are maps whose description lists the keys", () => {
    const colors = schema.types[token("PresetUiDesignTokensColorsResponse")].properties;
    expect(colors.background).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
    expect(colors.background.description).toContain("Keys: `600`, `700`, `800`, `900`, `1000`.");
  });

  it("is the package realtimekit at this package's version, with the four resources and lookups and a section per SDK language", () => {
    expect(schema).toMatchObject({ name: "realtimekit", version: pkg.version, license: pkg.license });
    expect(Object.keys(schema.resources).sort()).toEqual(["App", "Meeting", "Preset", "Webhook"].map(token));
    expect(Object.keys(schema.functions).sort()).toEqual(["getApp", "getMeeting", "getPreset", "getWebhook"].map(token));
    expect(Object.keys(schema.language).sort()).toEqual(["csharp", "go", "java", "nodejs", "python"]);
    expect(schema.language.nodejs.packageName).not.toBe(pkg.name); // the generated SDK is another package
    expect(schema.pluginDownloadURL).toMatch(/^github:\/\//); // the GitHub release's archives (test/release.test.ts)
    expect(pkg.files).toContain("schema.json");
  });
});

// ---- as Pulumi's SDK generators read it (pkg/codegen/{python,go,nodejs}, pulumi-dotnet, pulumi-java) ----

/** Every property spec reachable from `roots`, through the object types they name, with where it is. */
function reachable(roots: [string, Json][]): [string, Json][] {
  const out: [string, Json][] = [];
  const seen = new Set<string>();
  const visit = (where: string, spec: Json) => {
    out.push([where, spec]);
    for (const r of refs(spec)) {
      const t = r.slice("#/types/".length);
      const type = schema.types[t];
      if (!type?.properties || seen.has(t)) continue;
      seen.add(t);
      for (const [k, p] of Object.entries<Json>(type.properties)) visit(`types/${t}.${k}`, p);
    }
  };
  for (const [where, props] of roots) for (const [k, p] of Object.entries<Json>(props ?? {})) visit(`${where}.${k}`, p);
  return out;
}
const resourcesOf = () => Object.entries<Json>(schema.resources);
const functionsOf = () => Object.entries<Json>(schema.functions);
const inputRoots = (): [string, Json][] => [
  ...resourcesOf().flatMap(([t, r]): [string, Json][] => [[`${t} inputs`, r.inputProperties], [`${t} state`, r.stateInputs.properties]]),
  ...functionsOf().map(([t, f]): [string, Json] => [`${t} inputs`, f.inputs.properties]),
  ["config", schema.config.variables],
];
const outputRoots = (): [string, Json][] => [
  ...resourcesOf().map(([t, r]): [string, Json] => [`${t} outputs`, r.properties]),
  ...functionsOf().map(([t, f]): [string, Json] => [`${t} outputs`, f.outputs.properties]),
];
/** The enum types a spec refers to, directly or as its list's or map's elements. */
const enumRefs = (spec: Json): string[] => refs(spec).filter((r) => schema.types[r.slice("#/types/".length)]?.enum);
const enums = () => Object.entries<Json>(schema.types).filter(([, t]) => t.enum);
/** A spec with its list's or map's element unwrapped. */
const element = (spec: Json): Json => (spec.items ? element(spec.items) : spec.additionalProperties && typeof spec.additionalProperties === "object" ? element(spec.additionalProperties) : spec);
const pascalWords = (name: string) => name.match(/[A-Z][a-z0-9]*/g) ?? [];
/** A whole preset's arguments (a role's template), with other permissions. */
const template = groupCallHost();
const zodPermissions = (): Json => structuredClone(template.permissions);
const presetArgs = (permissions: Json) => ({ name: "host", config: template.config, ui: template.ui, permissions });

describe("as Pulumi's SDK generators read it", () => {
  it("every enum value has a PascalCase name, which Python's rule (makeSafeEnumName) turns into its words and does not mangle", () => {
    expect(enums().length).toBeGreaterThan(10);
    for (const [t, type] of enums()) {
      const names = type.enum.map((e: Json) => e.name);
      for (const name of names) {
        // No two capitals in a row: Python's rule splits an acronym's last capital off (`NOT_ALLOWED` → `NO_T_ALLOWED`).
        expect(name, `${t}: ${JSON.stringify(name)}`).toMatch(/^(?:[A-Z][a-z0-9]*)+$/);
        expect(pythonEnumMember(name, t.split(":")[2]), `${t}: ${name}`).toBe(pascalWords(name).join("_").toUpperCase());
      }
      expect(new Set(names).size, t).toBe(names.length);
      expect(new Set(names.map((n: string) => pythonEnumMember(n, t.split(":")[2]))).size, t).toBe(names.length);
    }
    // Where the API says what a value means, the value says it too.
    const described = (t: string, v: string) => schema.types[token(t)].enum.find((e: Json) => e.value === v).description;
    expect(described("PresetRole", "groupCallHost")).toMatch(/host/);
    expect(described("MeetingStatus", "INACTIVE")).toMatch(/cannot join/);
    expect(described("ProduceAccess", "CAN_REQUEST")).toMatch(/request/);
    expect(schema.types[token("MeetingRecordingConfigStorageConfigType")].enum.find((e: Json) => e.value === "digitalocean").name).toBe("DigitalOcean");
  });

  it("the check of names can fail: a value without a name gets Python's mangled one", () => {
    // What Python's generator names a value when the schema gives no name (gen.go genEnum): the value itself.
    expect(pythonEnumMember("NOT_ALLOWED", "ProduceAccess")).toBe("NO_T_ALLOWED");
    expect(pythonEnumMember("GROUP_CALL", "PresetConfigViewType")).toBe("GROU_P_CALL");
    expect(pythonEnumMember("NotAllowed", "ProduceAccess")).toBe("NOT_ALLOWED");
  });

  it("outputs refer to enums relaxed (`oneOf: [enum, string]`), so an answer the schema does not list is a string, not a crash; inputs take the enum", () => {
    const outputs = reachable(outputRoots()).filter(([, p]) => enumRefs(p).length);
    expect(outputs.length).toBeGreaterThan(10);
    for (const [where, p] of outputs) expect(isRelaxed(element(p)), where).toBe(true);
    const inputs = reachable(inputRoots()).filter(([, p]) => enumRefs(p).length);
    expect(inputs.length).toBeGreaterThan(10);
    for (const [where, p] of inputs) expect(element(p).$ref, where).toMatch(/^#\/types\//);
  });

  it("no union of more than two members, and every union is a relaxed enum (.NET and Java type any other as `object`)", () => {
    const unions: Json[] = [];
    const walk = (v: Json) => {
      if (!v || typeof v !== "object") return;
      if (Array.isArray(v.oneOf)) unions.push(v);
      Object.values(v).forEach(walk);
    };
    walk(schema);
    expect(unions.length).toBeGreaterThan(0);
    for (const u of unions) expect(isRelaxed(u), JSON.stringify(u)).toBe(true);
  });

  it("no two enum types with the same values (two incompatible types in Go, .NET and Java): shared ones are named once", () => {
    const byValues = new Map<string, string[]>();
    for (const [t, type] of enums()) {
      const key = JSON.stringify(type.enum.map((e: Json) => e.value));
      byValues.set(key, [...(byValues.get(key) ?? []), t]);
    }
    expect([...byValues.values()].filter((ts) => ts.length > 1)).toEqual([]);
    // The three media permissions and the stage access are one type; video and screen share quality too.
    const permissions = schema.types[token("PresetPermissionsMediaAudio")].properties.canProduce;
    expect(permissions.$ref).toBe(`#/types/${token("ProduceAccess")}`);
    expect(schema.resources[token("Preset")].inputProperties.permissions.$ref).toBeDefined();
    expect(schema.types[token("PresetPermissions")].properties.stageAccess.$ref).toBe(`#/types/${token("ProduceAccess")}`);
    expect(schema.types[token("PresetConfigMediaVideo")].properties.quality.$ref).toBe(`#/types/${token("MediaQuality")}`);
    expect(schema.types[token("PresetConfigMediaScreenshare")].properties.quality.$ref).toBe(`#/types/${token("MediaQuality")}`);
  });

  it("a top-level input holding a secret is secret: Python and Go wrap only those, so recordingConfig's credentials are never sent in clear", () => {
    const inputs = schema.resources[token("Meeting")].inputProperties;
    expect(inputs.recordingConfig.secret).toBe(true);
    const storage = schema.types[token("MeetingRecordingConfigStorageConfig")].properties;
    expect(Object.keys(storage).filter((k) => storage[k].secret).sort()).toEqual(["accessKey", "password", "privateKey", "secret"]);
    for (const [t, r] of resourcesOf()) {
      const holding = Object.keys(r.inputProperties).filter((k) => reachable([[t, { [k]: r.inputProperties[k] }]]).some(([, p]) => p.secret));
      for (const k of holding) expect(r.inputProperties[k].secret, `${t}.${k}`).toBe(true);
    }
  });

  it("integers where the zod schema says int, numbers elsewhere (Go float64, .NET double)", () => {
    for (const kind of KINDS) {
      const zodSide = fromZod(kind.args ?? kind.schema);
      const pulumiSide = new Map(fromPulumi(schema.resources[token(kind.name)].inputProperties).map((l) => [l.path, l.type]));
      for (const l of zodSide.filter((l) => l.type === "integer" || l.type === "number")) expect(pulumiSide.get(l.path), `${kind.name}.${l.path}`).toBe(l.type);
    }
    const storage = schema.types[token("MeetingRecordingConfigStorageConfig")].properties;
    expect(storage.port.type).toBe("integer"); // a TCP port (RFC 9293)
    expect(schema.types[token("MeetingAiConfigSummarization")].properties.wordLimit.type).toBe("integer");
    expect(schema.types[token("MeetingRecordingConfig")].properties.maxSeconds.type).toBe("number"); // every public source: a number
    // And Check holds a program to it, naming the field, as the generated SDKs' types do.
    const port = (value: number) => checkArgs(MeetingCreate, { recordingConfig: { storageConfig: { type: "sftp", port: value } } });
    expect(port(22)).toEqual([]);
    expect(port(22.5).map((f) => f.property)).toEqual(["recordingConfig.storageConfig.port"]);
  });

  it("permissions.plugins.config is one typed shape, a map from plugin id to the plugin access type, which Python's SDK translates to camelCase", () => {
    const config = schema.types[token("PresetPermissionsPlugins")].properties.config;
    // rpc.py serialize_property: a Mapping[str, T] value is translated with T's names; a Union is not translated at all.
    expect(config).toMatchObject({ type: "object", additionalProperties: { $ref: expect.stringMatching(/^#\/types\//) } });
    expect(config.oneOf).toBeUndefined();
    const access = schema.types[config.additionalProperties.$ref.slice("#/types/".length)];
    expect(Object.keys(access.properties)).toEqual(["accessControl", "handlesViewOnly"]);
    for (const p of Object.values<Json>(access.properties)) expect(p.description).toBeTruthy();
    expect(config.description).toMatch(/plugin id/);
  });

  it("permissions.plugins.config still accepts every form the API takes (map, plugin id, one setting), and sends the map's settings in snake_case", () => {
    const permissions = (config: unknown) => ({ ...zodPermissions(), plugins: { canClose: false, canEditConfig: false, canStart: false, config } });
    const uuid = "4de5a1b6-f730-4513-9ebe-16895971a32d";
    for (const config of [{}, { [uuid]: { accessControl: "VIEW_ONLY", handlesViewOnly: true } }, uuid, { accessControl: "FULL_ACCESS", handlesViewOnly: false }]) {
      expect(checkArgs(PresetCreate, presetArgs(permissions(config))), JSON.stringify(config)).toEqual([]);
    }
    const body = convertKeys(PresetCreate, presetArgs(permissions({ [uuid]: { accessControl: "VIEW_ONLY" } })), "snake") as Json;
    expect(body.permissions.plugins.config).toEqual({ [uuid]: { access_control: "VIEW_ONLY" } });
    // And refuses what it does not take, naming the field.
    const bad = checkArgs(PresetCreate, presetArgs(permissions({ [uuid]: { accessControl: "OWNER" } })));
    expect(bad.map((f) => f.property)).toContain("permissions.plugins.config");
  });

  it("defaults: each input's default is the one check fills in (role, enabled, ...); in a preset's sections, only on fields no role template sets", () => {
    expect(schema.resources[token("Preset")].inputProperties.role.default).toBe(DEFAULT_ROLE);
    expect(schema.resources[token("Webhook")].inputProperties.enabled.default).toBe(true);
    expect(schema.resources[token("Meeting")].inputProperties.sessionKeepAliveTimeInSecs.default).toBe(60);
    // An SDK sends a default it knows (Node.js and Python fill them in nested types too): in a section laid
    // over a role template, one on a field the template sets would override the role.
    const sections = ["config", "ui", "permissions"].map((k): [string, Json] => [`Preset.${k}`, { [k]: schema.resources[token("Preset")].inputProperties[k] }]);
    expect(reachable(sections).filter(([, p]) => p.default !== undefined).length).toBeGreaterThan(0); // the API's, where no template says
    const props = (spec: Json): Json | undefined => {
      const ref = spec.$ref ?? spec.oneOf?.find((o: Json) => o.$ref)?.$ref;
      return ref ? schema.types[ref.slice("#/types/".length)]?.properties : spec.properties;
    };
    const defaultsUnder = (value: unknown, spec: Json, at: string): string[] => {
      const inner = value !== null && typeof value === "object" && !Array.isArray(value) ? props(spec) : undefined;
      if (!inner) return spec.default === undefined ? [] : [at];
      return Object.entries(value as Json).flatMap(([k, v]) => (inner[k] ? defaultsUnder(v, inner[k], `${at}.${k}`) : []));
    };
    for (const role of ROLE_NAMES) {
      const template = ROLES[role]() as Json;
      expect(defaultsUnder(template, { properties: schema.resources[token("Preset")].inputProperties }, role), role).toEqual([]);
    }
  });
});

describe("publishing names and descriptions", () => {
  it("namespaces and packages of our own, the schema's version respected, Python's pyproject, Go ready for /v2", () => {
    const { language } = schema;
    expect(language.csharp.rootNamespace).not.toBe("Pulumi");
    expect(language.csharp.rootNamespace).toBe("PulumiRealtimeKit");
    expect(language.java.basePackage).not.toMatch(/^com\.pulumi/);
    expect(language.java.basePackage).toBe("io.github.pulumirealtimekit");
    for (const l of ["nodejs", "python", "go", "csharp"]) expect(language[l].respectSchemaVersion, l).toBe(true);
    expect(language.python.pyproject).toEqual({ enabled: true });
    expect(language.go.importBasePath).toBe("github.com/pulumi-realtimekit/pulumi-realtimekit/sdk/go/realtimekit");
    // A major version from 2 on is in the Go module path (as Pulumi's ExtractModulePath names it).
    expect(packageSchema("2.1.0").language.go.importBasePath).toBe("github.com/pulumi-realtimekit/pulumi-realtimekit/sdk/v2/go/realtimekit");
    expect(packageSchema("1.4.0").language.go.importBasePath).toBe(language.go.importBasePath);
  });

  it("what a get or a lookup needs, and what a lookup returns, as it is", () => {
    const text = JSON.stringify(schema);
    expect(text).not.toMatch(/else look it up by id/);
    expect(text).not.toMatch(/the output keeps the argument's value\./);
    const getMeeting = schema.functions[token("getMeeting")];
    expect(getMeeting.inputs.properties.title.description).toMatch(/Meeting\.get/);
    const storage = schema.types[token("MeetingRecordingConfigStorageConfigResponse")].properties;
    expect(storage.accessKey.description).toMatch(/a lookup's has none/);
    for (const kind of KINDS) {
      const state = schema.resources[token(kind.name)].stateInputs;
      expect(state.required ?? [], kind.name).toEqual(kind.inApp ? ["appId"] : []);
      expect(state.description, kind.name).toMatch(kind.inApp ? /the app it is in \(required\)/ : /its account/);
    }
  });
});

describe("what a registry page is made of", () => {
  it("the package: display name, logo (ours, in the repository), keywords of the registry's categories", () => {
    expect(schema.displayName).toBe("Cloudflare RealtimeKit");
    expect(schema.keywords).toEqual(expect.arrayContaining(["category/cloud", "kind/native"]));
    const logo = new URL(schema.logoUrl);
    expect(logo.host).toBe("raw.githubusercontent.com");
    expect(logo.pathname).toBe(`${new URL(schema.repository).pathname}/HEAD/docs/logo.svg`);
    expect(fs.readFileSync(path.join(root, "docs/logo.svg"), "utf8")).toMatch(/^<svg /);
  });

  it.each(KINDS.map((k) => k.name))("%s: examples in the `examples` shortcode form in five languages, then `## Import` with the command", (name) => {
    const kind = KINDS.find((k) => k.name === name)!;
    const text: string = schema.resources[token(name)].description;
    // As the docs generator splits it (docsgen decomposeDocstring: "\n\n## Import").
    const [main, importDetails] = text.split("\n\n## Import");
    const examples = /\{\{% examples %\}\}\n## Example Usage\n\{\{% example %\}\}\n### (.+)\n\n([\s\S]*)\{\{% \/example %\}\}\n\{\{% \/examples %\}\}$/.exec(main);
    expect(examples, name).not.toBeNull();
    const fences = [...examples![2].matchAll(/```(\w+)\n[\s\S]*?\n```/g)].map((m) => m[1]);
    expect(fences).toEqual(["typescript", "python", "go", "csharp", "yaml"]);
    expect(importDetails).toContain(`$ pulumi import ${token(name)} ${name.toLowerCase()} ${kind.inApp ? `<appId>/<${name.toLowerCase()}Id>` : "<appId>"}`);
  });
});
