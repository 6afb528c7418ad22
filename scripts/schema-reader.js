// What the generators (generate.js, package-schema.js) read off the compiled zod
// schemas and the resource kinds' tables, so each field is described once: the
// kinds, our own arguments, and each field's name, flags, enum values, bounds
// and description. Reads dist/: run through `npm run generate`.
// A field's default is the provider's own reading of it (provider/schema/defaults.ts), so the docs and the
// package schema say what check fills in.
const { camel, defaultOf, defOf, isOptional, metaOf, objectShape, unwrap } = require("../dist/provider/schema");

// The resource kinds the provider runs: their schemas and replace rules are read, not restated.
// `api` is the API's create body, which the arguments may differ from (a preset's sections are partial).
const RESOURCES = ["app", "preset", "meeting", "webhook"].map((file) => {
  const kind = require(`../dist/provider/resources/${file}`)[file];
  return { kind: kind.name, args: kind.args ?? kind.schema, api: kind.schema, outputs: kind.output, inApp: kind.inApp, replaceOn: kind.replaceOn, updatable: !!kind.update };
});

// Our own arguments, declared by hand in sdk/types.ts (AccountArgs, InAppArgs) and sdk/app.ts.
const APP_ID = { path: "appId", type: "string", required: true, description: "ID of the RealtimeKit app." };
const ACCOUNT_ID = {
  path: "accountId",
  type: "string",
  required: false,
  description: "The Cloudflare account the object lives in; default: `realtimekit:accountId`, else `CLOUDFLARE_ACCOUNT_ID`. One API token may serve several accounts.",
};
const ACCOUNT_ID_OUT = { path: "accountId", type: "string", required: true, description: "The Cloudflare account the object lives in." };

// Constraint tags (TSDoc) and their wording in the reference.
const LABELS = {
  format: "Format",
  minimum: "Minimum",
  maximum: "Maximum",
  exclusiveMinimum: "Greater than",
  exclusiveMaximum: "Less than",
  minLength: "Minimum length",
  maxLength: "Maximum length",
};
const FORMATS = { safeint: "integer", url: "URL", guid: "UUID", datetime: "ISO 8601 date-time" };

/** The fields of an object schema: `name` camelCased (keys like "600" stay as they are), `key` as the schema has it. */
function fields(s) {
  return Object.entries(objectShape(s)).map(([key, field]) => {
    const meta = metaOf(field);
    if (!meta.description) throw new Error(`field "${key}" has no description: add one with doc() in provider/schema`);
    return { name: camel(key), key, schema: field, optional: isOptional(field), meta };
  });
}

function isNullable(s) {
  for (let d = defOf(s); d.innerType; d = defOf(d.innerType)) if (d.type === "nullable") return true;
  return false;
}

const enumValues = (s) => {
  const d = defOf(unwrap(s));
  return d.type === "enum" ? Object.values(d.entries) : undefined;
};

/** Bounds and formats, as [tag, value] pairs. */
function constraints(s) {
  const d = defOf(unwrap(s));
  const out = d.format && FORMATS[d.format] ? [["format", FORMATS[d.format]]] : [];
  for (const { _zod } of d.checks ?? []) {
    const c = _zod.def;
    if (c.check === "greater_than") out.push([c.inclusive ? "minimum" : "exclusiveMinimum", c.value]);
    if (c.check === "less_than") out.push([c.inclusive ? "maximum" : "exclusiveMaximum", c.value]);
    if (c.check === "min_length") out.push(["minLength", c.minimum]);
    if (c.check === "max_length") out.push(["maxLength", c.maximum]);
  }
  return out;
}

/** "Default: `x`." for a field with a default that is a plain value. */
function defaultNote(f) {
  const value = defaultOf(f.schema);
  if (value === undefined || (value !== null && typeof value === "object")) return [];
  return [`Default: \`${typeof value === "string" ? value : JSON.stringify(value)}\`.`];
}

/** A field's description, with the values of its enum and (unless said elsewhere) its default. */
function notes(f, withDefault = true) {
  const d = defOf(unwrap(f.schema));
  const values = enumValues(f.schema) ?? (d.type === "array" ? enumValues(d.element) : undefined);
  const oneOf = values && `${d.type === "array" ? "Each one of" : "One of"}: ${values.map((v) => `\`${v}\``).join(", ")}.`;
  return [f.meta.description, ...(oneOf ? [oneOf] : []), ...(withDefault ? defaultNote(f) : [])];
}

/** Write-only and secret flags, explained in TSDoc and marked in the reference. */
const flags = (f) => [
  ...(f.meta.writeOnly ? [["Write-only", "the API does not return it: a resource's output keeps the argument's value, a lookup's has none."]] : []),
  ...(f.meta.secret ? [["Secret", "the output is marked secret."]] : []),
];

module.exports = { RESOURCES, APP_ID, ACCOUNT_ID, ACCOUNT_ID_OUT, LABELS, fields, isNullable, enumValues, constraints, defaultNote, notes, flags };
