// The package's name and tokens (package-schema.js and registry-examples.js both
// write them), and how Pulumi's SDK generators name what the package schema
// declares, ported from pulumi/pulumi (Apache-2.0) so that our examples use the
// generated names and our tests can check the schema against the generators' rules:
// - pkg/codegen/python/python.go `pyName` (non-legacy) and utilities.go
//   `makeSafeEnumName`, `makeValidIdentifier`; test/pulumi-names.test.ts runs
//   Pulumi's own TestMakeSafeEnumName table against the port;
// - pkg/codegen/go/utilities.go `makeSafeEnumName` (type name + member), gen.go
//   (`getX` becomes `LookupX` when the package has a resource `X`);
// - pkg/codegen/utilities.go `ExpandShortEnumName`.
// ASCII only: the schema's names and values are ASCII.

/** The package's name (the schema's `name`): the first part of every token in it. */
const PACKAGE = "realtimekit";
/** The token of a resource, function or type in the package's one module, `index` (`realtimekit:index:App`): <package>:<module>:<name>, as Pulumi's package metaschema's `token` pattern has it. */
const token = (name) => `${PACKAGE}:index:${name}`;

const SHORT_ENUM_NAMES = { "*": "Asterisk", 0: "Zero", 1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine" };

// Python's keywords, which pyName suffixes with "_" (EnsureKeywordSafe).
const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "),
);

const isUpper = (c) => c >= "A" && c <= "Z";
const isDigit = (c) => c >= "0" && c <= "9";
const isIdentifierStart = (c) => /[A-Za-z_]/.test(c);
const isIdentifierPart = (c) => /[A-Za-z0-9_]/.test(c);

/** camelCase to snake_case, as Pulumi's Python generator names properties, arguments and functions. */
function pyName(name) {
  let result = "";
  let component = "";
  let state = "first";
  const flush = (text) => {
    if (result) result += "_";
    result += text;
  };
  for (let c of name) {
    if (!isIdentifierPart(c)) c = "_";
    switch (state) {
      case "first":
        if (!isIdentifierStart(c)) component += "_";
        state = isUpper(c) ? "upper" : "lowerOrNumber";
        component += c.toLowerCase();
        break;
      case "upper":
        state = isUpper(c) ? "acronym" : "lowerOrNumber";
        component += c.toLowerCase();
        break;
      case "acronym":
        if (isUpper(c)) component += c.toLowerCase();
        else if (isDigit(c) || c === "s") {
          state = "lowerOrNumber";
          component += c;
        } else {
          flush(component.slice(0, -1));
          component = component.slice(-1) + c;
          state = "lowerOrNumber";
        }
        break;
      default:
        if (isUpper(c)) {
          flush(component);
          component = c.toLowerCase();
          state = "upper";
        } else component += c;
    }
  }
  if (component) flush(component);
  return PYTHON_KEYWORDS.has(result) ? `${result}_` : result;
}

const makeValidIdentifier = (name) => [...name].map((c, i) => (!isIdentifierPart(c) ? "_" : i === 0 && !isIdentifierStart(c) ? `_${c}` : c)).join("");

/** The member name Pulumi's Python generator gives an enum value's `name` (or its value, without one). */
function pythonEnumMember(name, typeName) {
  let safe = SHORT_ENUM_NAMES[name] ?? name;
  if (safe.length === 1 && !isIdentifierStart(safe)) throw new Error(`enum name ${safe} is not a valid identifier`);
  safe = makeValidIdentifier(pyName(safe).toUpperCase());
  if (safe.startsWith("_")) safe = pyName(typeName).toUpperCase() + safe;
  return safe.replace(/_+/g, "_");
}

const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** The constant Pulumi's Go generator gives an enum value's `name`: the type's name, then the member's. */
function goEnumMember(name, typeName) {
  let safe = upperFirst(SHORT_ENUM_NAMES[name] ?? name).replace(/-(.)/g, (_, c) => `_${c.toUpperCase()}`);
  safe = makeValidIdentifier(safe).replace(/_+/g, "_");
  if (safe.includes("_") && !safe.startsWith("_")) safe = `_${safe}`;
  return typeName + safe;
}

/** A property's name in Go and C# (`appId` → `AppId`). */
const pascal = upperFirst;

/** A function's name in Go: `getApp` is `LookupApp` when the package has a resource `App` (its `GetApp` reads one by id). */
const goFunction = (name, resources) => {
  const title = upperFirst(name);
  return title.startsWith("Get") && resources.includes(title.slice(3)) ? `Lookup${title.slice(3)}` : title;
};

module.exports = { PACKAGE, token, pyName, pythonEnumMember, goEnumMember, goFunction, pascal };
