// The Pulumi package schema (schema.json, written by `npm run generate`; that it
// is not stale is checked by test/generated.test.ts): it validates against
// Pulumi's metaschema and passes the checks Pulumi's schema binder makes beyond
// it, and its inputs and outputs match the zod schemas field for field. The zod
// side is read with zod's own JSON Schema export, not with the generator's walk.
import * as fs from "node:fs";
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
import { camel, configEnvironment, LookupArgs, ProviderConfig } from "../provider/schema";

const root = path.join(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
// Pulumi's metaschema, vendored with its source and licence (test/fixtures/pulumi/README.md).
const metaschema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/pulumi/package-metaschema.json"), "utf8"));

const KINDS: Kind[] = [app, preset, meeting, webhook];
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
}
const isName = (k: string) => /^[A-Za-z][A-Za-z0-9]*$/.test(k);

/** The leaves of a JSON Schema that zod exported (snake_case keys, camelCased here as the SDK does). */
function zodLeaves(js: Json, at: string, required: boolean, out: Leaf[], meta: Json = {}): Leaf[] {
  if (Array.isArray(js.type)) return zodLeaves({ ...js, type: js.type.filter((t: string) => t !== "null")[0] }, at, required, out, meta); // ["string", "null"]
  const options = (js.anyOf ?? []).filter((o: Json) => o.type !== "null"); // nullable: no null in Pulumi
  if (js.anyOf && options.length === 1) return zodLeaves(options[0], at, required, out, { ...meta, ...js, anyOf: undefined });
  const m = { ...js, ...meta };
  const leaf = (type: string) => out.push({ path: at, type, required, description: m.description, secret: m.secret });
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
  const leaf = (type: string) => out.push({ path: at, type, required, description: spec.description, secret: spec.secret });
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
    expect(secrets(pulumiSide)).toEqual(secrets(zodSide)); // the storage credentials, wherever they are
    expect(spec().inputProperties).not.toHaveProperty(["importId"]); // Pulumi's own `import` serves
  });

  it("outputs: the object as the API returns it (without id) plus appId/accountId; a top-level output holding a secret is secret", () => {
    const zodSide = fromZod(kind.output, ownOut, ["id"]);
    const pulumiSide = fromPulumi(spec().properties, spec().required);
    expect(shape(pulumiSide)).toEqual(shape(zodSide));
    expectDescriptions(zodSide, pulumiSide);
    const inner = secrets(zodSide);
    const topLevel = [...new Set(inner.map((p) => p.split(/[.[<]/)[0]))];
    expect(secrets(pulumiSide)).toEqual([...new Set([...inner, ...topLevel])].sort());
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
    expect(Object.keys(schema.language).sort()).toEqual(["csharp", "go", "nodejs", "python"]);
    expect(schema.language.nodejs.packageName).not.toBe(pkg.name); // the generated SDK is another package
    expect(schema.pluginDownloadURL).toMatch(/^github:\/\//); // the GitHub release's archives (test/release.test.ts)
    expect(pkg.files).toContain("schema.json");
  });
});
