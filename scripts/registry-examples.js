// The examples of each resource's page in Pulumi's registry, and of the doc
// comments of every generated SDK: one program per resource, written once here
// as data and rendered in TypeScript, Python, Go, C# and YAML with the names
// Pulumi's generators give the schema's properties, types and enum members
// (pulumi-names.js). Each value is rendered by its type in the package schema:
// an enum value is a member of its enum type, an object an instance of its input
// type. package-schema.js puts the result in the `{{% examples %}}` form that
// Pulumi's docs generator reads (pulumi/registry's docsgen, formerly
// pulumi/pulumi pkg/codegen/docs: examples.go decomposeDocstring) and that each
// SDK generator filters to its language (pulumi/pulumi pkg/codegen/docs.go
// FilterExamples). test/registry-examples.test.ts type-checks the TypeScript,
// reads the Python and runs the YAML against the schema.
const YAML = require("yaml");
const { PACKAGE, token, goEnumMember, goFunction, pascal, pyName, pythonEnumMember } = require("./pulumi-names");

/** A reference to an output of an earlier step (`app.id`). */
class Ref {
  constructor(step, property) {
    this.step = step;
    this.property = property;
  }
}
const ref = (step, property) => new Ref(step, property);

/**
 * The examples, by resource: steps (a resource with its arguments, or a lookup
 * with its arguments) and the stack outputs. Values are the API's; the schema
 * says how each is written in each language.
 */
const EXAMPLES = {
  App: {
    title: "An app",
    steps: [{ name: "app", resource: "App", args: { name: "support-calls" } }],
    outputs: { appId: ref("app", "id") },
  },
  Preset: {
    title: "A host and a participant preset from their role templates",
    steps: [
      { name: "app", resource: "App", args: { name: "support-calls" } },
      { name: "host", resource: "Preset", args: { appId: ref("app", "id"), name: "host", role: "groupCallHost" } },
      {
        name: "participant",
        resource: "Preset",
        args: {
          appId: ref("app", "id"),
          name: "participant",
          // The rest of the template stays: participants wait until a host lets them in, and ask to share their screen.
          permissions: { waitingRoomType: "ON_PRIVILEGED_USER_ENTRY", media: { screenshare: { canProduce: "CAN_REQUEST" } } },
        },
      },
    ],
    outputs: { hostPresetId: ref("host", "id"), participantPresetId: ref("participant", "id") },
  },
  Meeting: {
    title: "A recorded daily standup in an existing app",
    steps: [
      { name: "shared", lookup: "getApp", args: { name: "support-calls" } },
      {
        name: "standup",
        resource: "Meeting",
        args: {
          appId: ref("shared", "id"),
          title: "Daily standup",
          recordOnStart: true,
          recordingConfig: {
            maxSeconds: 1800,
            videoConfig: { codec: "H264", width: 1280, height: 720 },
            audioConfig: { codec: "AAC", channel: "stereo" },
          },
        },
      },
    ],
    outputs: { meetingId: ref("standup", "id") },
  },
  Webhook: {
    title: "A webhook for meeting and recording events",
    steps: [
      { name: "app", resource: "App", args: { name: "support-calls" } },
      {
        name: "events",
        resource: "Webhook",
        args: {
          appId: ref("app", "id"),
          name: "events",
          url: "https://ops.example.com/realtimekit/events",
          events: ["meeting.started", "meeting.ended", "recording.statusUpdate"],
        },
      },
    ],
    outputs: { webhookId: ref("events", "id") },
  },
};

/**
 * The overview's example (docs/_index.md, the package's page in the registry):
 * the four kinds together, as the quickstart deploys them.
 */
const OVERVIEW = {
  title: "An app with a host and a participant preset, a webhook and a daily standup",
  steps: [
    { name: "app", resource: "App", args: { name: "support-calls" } },
    { name: "host", resource: "Preset", args: { appId: ref("app", "id"), name: "host", role: "groupCallHost" } },
    // Over the default role's template: participants wait until a host lets them in.
    { name: "participant", resource: "Preset", args: { appId: ref("app", "id"), name: "participant", permissions: { waitingRoomType: "ON_PRIVILEGED_USER_ENTRY" } } },
    {
      name: "events",
      resource: "Webhook",
      args: { appId: ref("app", "id"), name: "events", url: "https://ops.example.com/realtimekit/events", events: ["meeting.started", "meeting.ended", "recording.statusUpdate"] },
    },
    { name: "standup", resource: "Meeting", args: { appId: ref("app", "id"), title: "Daily standup", recordOnStart: true, recordingConfig: { maxSeconds: 1800 } } },
  ],
  outputs: { appId: ref("app", "id"), meetingId: ref("standup", "id") },
};

/** What a property's spec is, with its types resolved: a primitive, an enum, an object, a list or a map. */
function typeOf(schema, spec) {
  if (spec.$ref) {
    const name = spec.$ref.slice(`#/types/${PACKAGE}:index:`.length);
    const type = schema.types[token(name)];
    return type.enum ? { kind: "enum", name, type } : { kind: "object", name, properties: type.properties, required: type.required ?? [] };
  }
  if (spec.type === "array") return { kind: "array", items: typeOf(schema, spec.items) };
  if (spec.type === "object") return { kind: "map", values: typeOf(schema, spec.additionalProperties) };
  return { kind: spec.type };
}

/** The object type of a step's arguments: its resource's inputs, or its lookup's. */
function argsType(schema, step) {
  const spec = step.resource ? schema.resources[token(step.resource)] : schema.functions[token(step.lookup)].inputs;
  const properties = step.resource ? spec.inputProperties : spec.properties;
  const required = (step.resource ? spec.requiredInputs : spec.required) ?? [];
  return { kind: "object", properties, required };
}

/** The properties of an object value, each with its type; a property the schema does not have is an error. */
function entries(schema, value, type, where) {
  return Object.entries(value).map(([key, v]) => {
    const spec = type.properties[key];
    if (!spec) throw new Error(`${where}: ${key} is not a property of ${type.name ?? "the arguments"}`);
    return { key, value: v, type: typeOf(schema, spec), required: type.required.includes(key) };
  });
}

/** The member of an enum type a value is. */
function member(type, value) {
  const m = type.type.enum.find((e) => e.value === value);
  if (!m) throw new Error(`${JSON.stringify(value)} is not a value of ${type.name}`);
  return m.name;
}

const indent = (text, by) => text.replace(/\n/g, `\n${by}`);

/** Which steps a later step or an output refers to (Go must not declare what it does not use). */
function used(example) {
  const out = new Set();
  const walk = (v) => {
    if (v instanceof Ref) out.add(v.step);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const s of example.steps) walk(s.args);
  walk(example.outputs);
  return out;
}

const stepOf = (example, name) => example.steps.find((s) => s.name === name);

// ---- TypeScript: the package's own TypeScript SDK (pulumi-realtimekit), whose lookups answer promises ----

function typescript(example, schema) {
  const value = (v, type) => {
    if (v instanceof Ref) {
      const target = stepOf(example, v.step);
      return target.lookup ? `${v.step}.then((found) => found.${v.property})` : `${v.step}.${v.property}`;
    }
    if (type.kind === "array") return `[${v.map((x) => value(x, type.items)).join(", ")}]`;
    if (type.kind === "object") return object(entries(schema, v, type, "typescript"));
    return JSON.stringify(v);
  };
  const object = (es) => `{\n${es.map((e) => `    ${e.key}: ${indent(value(e.value, e.type), "    ")},`).join("\n")}\n}`;
  const lines = ['import * as realtimekit from "pulumi-realtimekit";', ""];
  for (const step of example.steps) {
    const args = object(entries(schema, step.args, argsType(schema, step), step.name));
    lines.push(step.resource ? `const ${step.name} = new realtimekit.${step.resource}("${step.name}", ${args});` : `const ${step.name} = realtimekit.${step.lookup}(${args});`);
  }
  for (const [name, v] of Object.entries(example.outputs)) lines.push(`export const ${name} = ${value(v)};`);
  return lines.join("\n");
}

// ---- Python ----

function python(example, schema) {
  const value = (v, type) => {
    if (v instanceof Ref) return `${pyName(v.step)}.${pyName(v.property)}`;
    if (type.kind === "enum") return `${PACKAGE}.${type.name}.${pythonEnumMember(member(type, v), type.name)}`;
    if (type.kind === "array") return `[${v.map((x) => value(x, type.items)).join(", ")}]`;
    if (type.kind === "object") {
      const es = entries(schema, v, type, "python");
      return `{\n${es.map((e) => `    "${pyName(e.key)}": ${indent(value(e.value, e.type), "    ")},`).join("\n")}\n}`;
    }
    if (type.kind === "boolean") return v ? "True" : "False";
    return JSON.stringify(v);
  };
  const lines = ["import pulumi", `import pulumi_${PACKAGE} as ${PACKAGE}`, ""];
  for (const step of example.steps) {
    const kwargs = entries(schema, step.args, argsType(schema, step), step.name).map((e) => `    ${pyName(e.key)}=${indent(value(e.value, e.type), "    ")},`);
    const callee = step.resource ? `${PACKAGE}.${step.resource}(\n    "${step.name}",` : `${PACKAGE}.${pyName(step.lookup)}(`;
    lines.push(`${pyName(step.name)} = ${callee}\n${kwargs.join("\n")}\n)`);
  }
  for (const [name, v] of Object.entries(example.outputs)) lines.push(`pulumi.export("${name}", ${value(v)})`);
  return lines.join("\n");
}

// ---- Go ----

function go(example, schema, goImport) {
  const resources = Object.keys(schema.resources).map((t) => t.split(":")[2]);
  const value = (v, type, plain, required) => {
    if (v instanceof Ref) {
      const target = stepOf(example, v.step);
      if (target.lookup) return plain ? `${v.step}.${pascal(v.property)}` : `pulumi.String(${v.step}.${pascal(v.property)})`;
      return v.property === "id" ? `${v.step}.ID()` : `${v.step}.${pascal(v.property)}`;
    }
    if (type.kind === "enum") return `${PACKAGE}.${goEnumMember(member(type, v), type.name)}`;
    if (type.kind === "array") {
      const of = type.items.kind === "enum" ? `${PACKAGE}.${type.items.name}Array` : `pulumi.${pascal(type.items.kind)}Array`;
      return `${of}{\n${v.map((x) => `\t${value(x, type.items)},`).join("\n")}\n}`;
    }
    if (type.kind === "object") return `&${PACKAGE}.${type.name}Args${fields(entries(schema, v, type, "go"))}`;
    if (plain) return required ? JSON.stringify(v) : `pulumi.${pascal(type.kind)}Ref(${JSON.stringify(v)})`;
    const scalar = { string: "String", boolean: "Bool", integer: "Int", number: "Float64" }[type.kind];
    return `pulumi.${scalar}(${JSON.stringify(v)})`;
  };
  // As gofmt lays a composite literal out: the values of consecutive one-line entries aligned.
  const fields = (es, plain = false) => {
    const lines = [];
    let run = [];
    const flush = () => {
      const width = Math.max(...run.map((e) => e.key.length));
      lines.push(...run.map((e) => `\t${e.key.padEnd(width)} ${e.value},`));
      run = [];
    };
    for (const e of es.map((e) => ({ key: `${pascal(e.key)}:`, value: value(e.value, e.type, plain, e.required) }))) {
      if (!e.value.includes("\n")) run.push(e);
      else {
        if (run.length) flush();
        lines.push(`\t${e.key} ${indent(e.value, "\t")},`);
      }
    }
    if (run.length) flush();
    return `{\n${lines.join("\n")}\n}`;
  };
  const refs = used(example);
  let errDeclared = false;
  const body = [];
  for (const step of example.steps) {
    const es = entries(schema, step.args, argsType(schema, step), step.name);
    const target = refs.has(step.name) ? step.name : "_";
    const assign = target === "_" && errDeclared ? "=" : ":=";
    errDeclared = true;
    const call = step.resource
      ? `${PACKAGE}.New${step.resource}(ctx, "${step.name}", &${PACKAGE}.${step.resource}Args${fields(es)})`
      : `${PACKAGE}.${goFunction(step.lookup, resources)}(ctx, &${PACKAGE}.${goFunction(step.lookup, resources)}Args${fields(es, true)}, nil)`;
    body.push(`${target}, err ${assign} ${call}`, "if err != nil {\n\treturn err\n}");
  }
  for (const [name, v] of Object.entries(example.outputs)) body.push(`ctx.Export("${name}", ${value(v)})`);
  body.push("return nil");
  return [
    "package main",
    "",
    "import (",
    `\t"${goImport}"`,
    '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
    ")",
    "",
    "func main() {",
    "\tpulumi.Run(func(ctx *pulumi.Context) error {",
    `\t\t${indent(body.join("\n"), "\t\t")}`,
    "\t})",
    "}",
  ].join("\n");
}

// ---- C# ----

function csharp(example, schema, namespace) {
  const alias = "RealtimeKit";
  const value = (v, type) => {
    if (v instanceof Ref) {
      const target = stepOf(example, v.step);
      return target.lookup ? `${v.step}.Apply(found => found.${pascal(v.property)})` : `${v.step}.${pascal(v.property)}`;
    }
    if (type.kind === "enum") return `${alias}.${type.name}.${member(type, v)}`;
    if (type.kind === "array") return `new[]\n{\n${v.map((x) => `    ${value(x, type.items)},`).join("\n")}\n}`;
    if (type.kind === "object") return `new ${alias}.Inputs.${type.name}Args\n${initializer(entries(schema, v, type, "csharp"))}`;
    return JSON.stringify(v);
  };
  const initializer = (es) => `{\n${es.map((e) => `    ${pascal(e.key)} = ${indent(value(e.value, e.type), "    ")},`).join("\n")}\n}`;
  const body = [];
  for (const step of example.steps) {
    const args = initializer(entries(schema, step.args, argsType(schema, step), step.name));
    const call = step.resource ? `new ${alias}.${step.resource}("${step.name}", new()\n${args})` : `${alias}.${pascal(step.lookup)}.Invoke(new()\n${args})`;
    body.push(`var ${step.name} = ${call};`, "");
  }
  const outputs = Object.entries(example.outputs).map(([name, v]) => `    ["${name}"] = ${value(v)},`);
  body.push(`return new Dictionary<string, object?>\n{\n${outputs.join("\n")}\n};`);
  return [
    "using System.Collections.Generic;",
    "using Pulumi;",
    `using ${alias} = ${namespace};`,
    "",
    "return await Deployment.RunAsync(() =>",
    "{",
    `    ${indent(body.join("\n"), "    ").replace(/\n {4}\n/g, "\n\n")}`,
    "});",
  ].join("\n");
}

// ---- YAML ----

function yaml(example) {
  const value = (v) => {
    if (v instanceof Ref) return `\${${v.step}.${v.property}}`;
    if (Array.isArray(v)) return v.map(value);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    return v;
  };
  const resources = {};
  const variables = {};
  for (const step of example.steps) {
    if (step.resource) resources[step.name] = { type: token(step.resource), properties: value(step.args) };
    else variables[step.name] = { "fn::invoke": { function: token(step.lookup), arguments: value(step.args) } };
  }
  const program = { resources, ...(Object.keys(variables).length && { variables }), outputs: value(example.outputs) };
  return YAML.stringify(program).trimEnd();
}

/** An example in each language, by the fence name Pulumi's docs use. */
function renderExample(example, schema) {
  const csharpNamespace = `${schema.language.csharp.rootNamespace}.${schema.language.csharp.namespaces[PACKAGE]}`;
  return {
    typescript: typescript(example, schema),
    python: python(example, schema),
    go: go(example, schema, schema.language.go.importBasePath),
    csharp: csharp(example, schema, csharpNamespace),
    yaml: yaml(example),
  };
}

/** A resource's examples, in the `{{% examples %}}` form. */
function examplesSection(kind, schema) {
  const example = EXAMPLES[kind];
  const code = Object.entries(renderExample(example, schema)).map(([language, text]) => `\`\`\`${language}\n${text}\n\`\`\``);
  return ["{{% examples %}}", "## Example Usage", "{{% example %}}", `### ${example.title}`, "", ...code, "{{% /example %}}", "{{% /examples %}}"].join("\n");
}

/** The overview's example in the registry's language chooser (Hugo shortcodes, as Pulumi's registry pages use them). */
function overviewChooser(schema) {
  const code = renderExample(OVERVIEW, schema);
  return [
    `{{< chooser language "${Object.keys(code).join(",")}" >}}`,
    ...Object.entries(code).map(([language, text]) => `{{% choosable language ${language} %}}\n\n\`\`\`${language}\n${text}\n\`\`\`\n\n{{% /choosable %}}`),
    "{{< /chooser >}}",
  ].join("\n");
}

module.exports = { EXAMPLES, OVERVIEW, Ref, renderExample, examplesSection, overviewChooser };
