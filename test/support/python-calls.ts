// The calls of a Python program to a package, read from its text (the program is
// not run: no Python SDK can be installed here): each `<module>.<Name>(...)` call
// of the module imported as `import <package> [as <module>]`, a class (a
// resource) or a function (a lookup), with its positional and keyword arguments.
// Literal values are kept: strings, numbers, True/False/None, lists, dicts with
// string keys, and enum members (`<module>.<Enum>.<MEMBER>`, an EnumMember); any
// other value (a reference such as `app.id`, a call, an f-string) is EXPRESSION.
// A small tokenizer of Python's lexical rules (comments, string literals with
// prefixes and triple quotes, brackets), enough for the examples; anything it
// does not read (`from <package> import ...`, `**kwargs`) is refused with the line.
import { EnumMember, EXPRESSION } from "./schema-args";

interface Token {
  kind: "name" | "string" | "number" | "op";
  text: string;
  /** A string's value (undefined for an f-string, whose value is an expression). */
  value?: string;
  line: number;
}

export interface PythonCall {
  /** What is called: a class (`App`) or a function (`get_app`). */
  cls: string;
  line: number;
  positional: unknown[];
  kwargs: Record<string, unknown>;
}

const OPS = ["**=", "//=", "==", "!=", "<=", ">=", "->", ":=", "**", "//", "+=", "-=", "*=", "/="];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (/\s/.test(c) || c === "\\") {
      i++;
    } else if (c === "#") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))![0];
      const quote = /^['"]/.test(source[i + word.length] ?? "") && /^[rRbBuUfF]{1,2}$/.test(word);
      if (!quote) {
        tokens.push({ kind: "name", text: word, line });
        i += word.length;
        continue;
      }
      i = readString(source, i, word.length, line, tokens);
      line = tokens[tokens.length - 1].line + (tokens[tokens.length - 1].text.match(/\n/g)?.length ?? 0);
    } else if (c === "'" || c === '"') {
      i = readString(source, i, 0, line, tokens);
      line = tokens[tokens.length - 1].line + (tokens[tokens.length - 1].text.match(/\n/g)?.length ?? 0);
    } else if (/[0-9]/.test(c)) {
      const n = /^[0-9][0-9_a-zA-Z.]*/.exec(source.slice(i))![0];
      tokens.push({ kind: "number", text: n, line });
      i += n.length;
    } else {
      const op = OPS.find((o) => source.startsWith(o, i)) ?? c;
      tokens.push({ kind: "op", text: op, line });
      i += op.length;
    }
  }
  return tokens;
}

/** Reads the string literal at `start` (after a prefix of `prefixLength`), pushes it, and returns where it ends. */
function readString(source: string, start: number, prefixLength: number, line: number, tokens: Token[]): number {
  const prefix = source.slice(start, start + prefixLength).toLowerCase();
  let i = start + prefixLength;
  const quote = source.startsWith(source[i].repeat(3), i) ? source[i].repeat(3) : source[i];
  i += quote.length;
  let value = "";
  while (!source.startsWith(quote, i)) {
    if (i >= source.length || (quote.length === 1 && source[i] === "\n")) throw new Error(`line ${line}: a string literal is not closed`);
    if (source[i] === "\\" && !prefix.includes("r")) {
      const escaped: Record<string, string> = { n: "\n", t: "\t", "\\": "\\", "'": "'", '"': '"' };
      value += escaped[source[i + 1]] ?? source.slice(i, i + 2);
      i += 2;
      continue;
    }
    value += source[i++];
  }
  i += quote.length;
  tokens.push({ kind: "string", text: source.slice(start, i), value: prefix.includes("f") ? undefined : value, line });
  return i;
}

/** The value of an argument's tokens (see the header); `alias` is the package's module name. */
function valueOf(tokens: Token[], alias: string): unknown {
  const [value, end] = parse(tokens, 0, alias);
  return end === tokens.length ? value : EXPRESSION;
}

const CONSTANTS: Record<string, unknown> = { True: true, False: false, None: null };

/** The literal value starting at `i`, and where it ends; EXPRESSION when it is none (then it ends at `i`). */
function parse(tokens: Token[], i: number, alias: string): [unknown, number] {
  const t = tokens[i];
  if (!t) return [EXPRESSION, i];
  if (t.kind === "string" && t.value !== undefined) return [t.value, i + 1];
  if (t.kind === "number" && /^[0-9][0-9_]*(\.[0-9_]+)?$/.test(t.text)) return [Number(t.text.replace(/_/g, "")), i + 1];
  if (t.kind === "name" && t.text in CONSTANTS) return [CONSTANTS[t.text], i + 1];
  const [dot1, type, dot2, member] = tokens.slice(i + 1, i + 5);
  if (t.text === alias && dot1?.text === "." && type?.kind === "name" && dot2?.text === "." && member?.kind === "name" && tokens[i + 5]?.text !== "(" && tokens[i + 5]?.text !== ".") {
    return [new EnumMember(type.text, member.text), i + 5];
  }
  if (t.text === "[" || t.text === "{") {
    const close = t.text === "[" ? "]" : "}";
    const items: unknown[] = [];
    const entries: [unknown, unknown][] = [];
    let j = i + 1;
    while (tokens[j]?.text !== close) {
      const [item, afterItem] = parse(tokens, j, alias);
      if (afterItem === j) return [EXPRESSION, i];
      j = afterItem;
      if (close === "}") {
        if (tokens[j]?.text !== ":" || typeof item !== "string") return [EXPRESSION, i];
        const [v, afterValue] = parse(tokens, j + 1, alias);
        if (afterValue === j + 1) return [EXPRESSION, i];
        entries.push([item, v]);
        j = afterValue;
      } else items.push(item);
      if (tokens[j]?.text === ",") j++;
      else if (tokens[j]?.text !== close) return [EXPRESSION, i];
    }
    return [close === "]" ? items : Object.fromEntries(entries), j + 1];
  }
  return [EXPRESSION, i];
}

/** The calls `<module>.<Name>(...)` of the module `pkg` (imported with `import pkg` or `import pkg as alias`). */
export function pythonCalls(source: string, pkg: string): PythonCall[] {
  const tokens = tokenize(source);
  let alias: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].text === "from" && tokens[i + 1]?.text === pkg) throw new Error(`line ${tokens[i].line}: \`from ${pkg} import ...\` is not read by this check`);
    if (tokens[i].text === "import" && tokens[i + 1]?.text === pkg) alias = tokens[i + 2]?.text === "as" ? tokens[i + 3].text : pkg;
  }
  if (!alias) throw new Error(`the program does not import ${pkg}`);
  const calls: PythonCall[] = [];
  for (let i = 0; i + 3 < tokens.length; i++) {
    const [m, dot, cls, open] = tokens.slice(i, i + 4);
    if (m.text !== alias || dot.text !== "." || cls.kind !== "name" || open.text !== "(" || tokens[i - 1]?.text === ".") continue;
    // The arguments: split at the commas outside brackets, up to the matching ")".
    const args: Token[][] = [[]];
    let depth = 0;
    let j = i + 4;
    for (; j < tokens.length; j++) {
      const t = tokens[j];
      if ("([{".includes(t.text)) depth++;
      if (")]}".includes(t.text)) {
        if (depth === 0) break;
        depth--;
      }
      if (t.text === "," && depth === 0) args.push([]);
      else args[args.length - 1].push(t);
    }
    if (j === tokens.length) throw new Error(`line ${cls.line}: ${alias}.${cls.text}( is not closed`);
    const call: PythonCall = { cls: cls.text, line: cls.line, positional: [], kwargs: {} };
    for (const arg of args.filter((a) => a.length)) {
      if (arg[0].text === "*" || arg[0].text === "**") throw new Error(`line ${arg[0].line}: ${arg[0].text}-arguments are not read by this check`);
      if (arg[0].kind === "name" && arg[1]?.text === "=") call.kwargs[arg[0].text] = valueOf(arg.slice(2), alias);
      else call.positional.push(valueOf(arg, alias));
    }
    calls.push(call);
    i = j;
  }
  return calls;
}
