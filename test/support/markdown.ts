// A Markdown file as a reader's tools see it: its headings with the anchors
// GitHub gives them, its links, its shell commands (in ```sh blocks, and inline
// code that starts with a command), outside front matter and code.

export interface Link {
  target: string;
  line: number;
}

export interface Command {
  /** The command as written, without its trailing comment, spaces collapsed. */
  text: string;
  line: number;
  /** The comment on its own line right after it in its block (what the docs say it prints), if any. */
  after?: string;
  /** The heading it is under. */
  heading: string;
  /** In a ```sh block (else inline code). */
  block: boolean;
}

export interface MarkdownFile {
  anchors: Set<string>;
  links: Link[];
  commands: Command[];
}

/**
 * GitHub's anchor for a heading (github-slugger, which github.com uses): the
 * heading's text, lower-cased, without what is neither a letter, a mark, a
 * number, a connector ("_"), a space nor "-", spaces as "-"; a repeated anchor
 * gets "-1", "-2", ...
 */
export function slug(heading: string): string {
  return headingText(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The text a heading renders to: link texts, code without its backticks, no emphasis markers. */
function headingText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__)(.*?)\1/g, "$2")
    .trim();
}

/**
 * A command in inline code: a program of the package or of its tools (or macOS's codesign, which the
 * docs name for the plugin) with at least one argument; or a setting of the environment alone, which a
 * reader puts before a command (`PULUMI_DEBUG_PROVIDERS=realtimekit:<port>`).
 */
const INLINE_COMMAND = /^(?:(?:[A-Z][A-Z0-9_]*=\S*\s+)*(?:npm|npx|node|pulumi|realtimekit-emulator|realtimekit-export|pulumi-resource-realtimekit|command|codesign|scripts\/[\w.-]+)\s+\S|[A-Z][A-Z0-9_]*=\S+$)/;
const SHELL = new Set(["sh", "bash", "shell", "console"]);

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();
/** A shell line without its trailing comment (a "#" after a space, outside quotes). */
function withoutComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

export function parseMarkdown(text: string): MarkdownFile {
  const lines = text.split("\n");
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const links: Link[] = [];
  const commands: Command[] = [];
  let i = 0;
  // Front matter (the registry's pages): not rendered as Markdown.
  if (lines[0] === "---") {
    const end = lines.indexOf("---", 1);
    if (end > 0) i = end + 1;
  }
  let heading = "";
  let fence: { marker: string; shell: boolean } | undefined;
  let last: Command | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const n = i + 1;
    const open = /^ {0,3}(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence) {
      if (open && open[1].startsWith(fence.marker) && !open[2]) {
        fence = undefined;
        continue;
      }
      if (!fence.shell) continue;
      const trimmed = line.trim();
      if (!trimmed) {
        last = undefined;
        continue;
      }
      if (trimmed.startsWith("#")) {
        if (last && last.after === undefined) last.after = trimmed.replace(/^#\s*/, "");
        else last = undefined;
        continue;
      }
      const command = collapse(withoutComment(line));
      last = { text: command, line: n, heading, block: true };
      commands.push(last);
      continue;
    }
    if (open) {
      fence = { marker: open[1], shell: SHELL.has(open[2]) };
      last = undefined;
      continue;
    }
    const h = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      heading = headingText(h[2]);
      const base = slug(h[2]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count ? `${base}-${count}` : base);
    }
    // Inline code first: its text is neither a link nor prose.
    for (const m of line.matchAll(/(`+)(.+?)\1/g)) {
      const code = collapse(m[2]);
      if (INLINE_COMMAND.test(code)) commands.push({ text: code, line: n, heading, block: false });
    }
    const prose = line.replace(/(`+)(.+?)\1/g, "");
    for (const m of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1], line: n });
  }
  return { anchors, links, commands };
}
