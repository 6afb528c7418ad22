// The export's only way to the file system: paths below the program's folder,
// never through a symbolic link, and only in a folder the export made (empty, or
// holding its marker file). Writes and removals are staged, checked all
// together, then carried out: a refusal leaves the folder as it was.
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { isObject } from "../provider/values";
import { secretTag } from "../sdk/gitops";

/** Written on the first export: a folder that holds it was made by the export, which may then rewrite its own files there. */
export const MARKER = ".realtimekit-export";
const MARKER_TEXT =
  "This folder is written by realtimekit-export (pulumi-realtimekit). Keep this file: the export writes only into an empty folder or one that holds it.\n";

/** A failure the user can act on: printed as it is, on one line, without a stack. */
export class ExportError extends Error {}

const YAML_FILE = /\.ya?ml$/i;

export class Files {
  readonly changes = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
  /** rel → new content, or null to remove; carried out by commit(). */
  private readonly staged = new Map<string, string | null>();

  /** Opens `out` for the export: a missing folder (made on commit), an empty one, or one holding the marker; else refuses. */
  constructor(readonly out: string) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(out); // `out` itself may be a link: the user named it
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    if (!stat) return;
    if (!stat.isDirectory()) throw new ExportError(`${out} is a file, not a folder`);
    if (fs.readdirSync(out).length > 0 && this.kind(MARKER) !== "file") {
      throw new ExportError(`${out} is not empty and has no ${MARKER} file (realtimekit-export did not make it): give a new or empty folder`);
    }
  }

  /** What is at `rel` (itself not followed if a link); a link on the way to it is refused. */
  kind(rel: string): "file" | "folder" | "link" | "other" | undefined {
    const stat = this.lstat(rel);
    if (!stat) return undefined;
    return stat.isSymbolicLink() ? "link" : stat.isFile() ? "file" : stat.isDirectory() ? "folder" : "other";
  }

  /** Refuses now what commit() would refuse for a write to `rel`: a link, or anything but a file, there or on the way. */
  writable(rel: string) {
    const kind = this.kind(rel);
    if (kind !== undefined) this.expect(rel, kind, "file");
  }

  /** The entries of a folder below `out` (none when it is missing). */
  list(rel: string): string[] {
    const kind = this.kind(rel);
    if (kind === undefined) return [];
    this.expect(rel, kind, "folder");
    return fs.readdirSync(path.join(this.out, rel)).sort();
  }

  /** The `*.yaml`/`*.yml` files of a folder (any case of the extension, as the loader reads them). */
  yamlIn(rel: string): string[] {
    return this.list(rel)
      .filter((n) => YAML_FILE.test(n))
      .map((n) => path.join(rel, n));
  }

  /** A file's YAML mapping (staged content first); undefined when it is missing or broken (it is then rewritten or removed). */
  read(rel: string): Record<string, unknown> | undefined {
    const text = this.staged.has(rel) ? this.staged.get(rel) : this.text(rel);
    if (text == null) return undefined;
    try {
      const doc = YAML.parse(text, { customTags: [secretTag], logLevel: "silent" });
      return isObject(doc) ? doc : undefined;
    } catch {
      return undefined;
    }
  }

  write(rel: string, content: string) {
    this.staged.set(rel, content);
  }

  remove(rel: string) {
    this.staged.set(rel, null);
  }

  /** Removes what the export wrote for an app; the user's own files in its folder stay. */
  removeApp(folder: string) {
    for (const kind of ["presets", "webhooks"]) for (const f of this.yamlIn(path.join(folder, kind))) this.remove(f);
    for (const f of ["meetings.yaml", "app.yaml"]) if (this.kind(path.join(folder, f)) !== undefined) this.remove(path.join(folder, f));
  }

  /** Checks every staged change (no link on the way, files only), then carries them out, marker first. */
  commit() {
    if (this.kind(MARKER) === undefined) this.staged.set(MARKER, MARKER_TEXT);
    const plan = [...this.staged].map(([rel, content]) => {
      this.writable(rel);
      return { rel, content, old: this.text(rel) };
    });
    this.staged.clear();
    for (const { rel, content, old } of plan) {
      if (content === null) {
        if (old === undefined) continue;
        fs.rmSync(path.join(this.out, rel));
        this.changes.removed.push(rel);
        // Folders the export emptied go too.
        for (let dir = path.dirname(rel); dir !== "." && fs.readdirSync(path.join(this.out, dir)).length === 0; dir = path.dirname(dir)) {
          fs.rmdirSync(path.join(this.out, dir));
        }
      } else if (old !== content) {
        fs.mkdirSync(path.dirname(path.join(this.out, rel)), { recursive: true });
        writeNoFollow(path.join(this.out, rel), content);
        if (rel !== MARKER) (old === undefined ? this.changes.added : this.changes.changed).push(rel);
      }
    }
  }

  private text(rel: string): string | undefined {
    const kind = this.kind(rel);
    if (kind === undefined) return undefined;
    this.expect(rel, kind, "file");
    const fd = fs.openSync(path.join(this.out, rel), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      return fs.readFileSync(fd, "utf8");
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Refuses what is not of the kind the export reads or writes there, links above all. */
  private expect(rel: string, kind: string, wanted: "file" | "folder") {
    if (kind === "link") throw linkError(this.show(rel));
    if (kind !== wanted) throw new ExportError(`${this.show(rel)} is not a ${wanted}: realtimekit-export expects one there`);
  }

  /** lstat of `rel` (not followed if a link) after checking each folder on the way: a link there is refused. */
  private lstat(rel: string): fs.Stats | undefined {
    const parts = path.normalize(rel).split(path.sep).filter((p) => p && p !== ".");
    if (parts.some((p) => p === "..")) throw new Error(`export: ${rel} leaves the folder`); // a bug, never user input
    // The folder itself may be a link: the user named it.
    let stat = fs.statSync(this.out, { throwIfNoEntry: false });
    for (let i = 1; i <= parts.length; i++) {
      const at = parts.slice(0, i).join(path.sep);
      stat = fs.lstatSync(path.join(this.out, at), { throwIfNoEntry: false });
      if (!stat) return undefined;
      if (i < parts.length) this.expect(at, stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "folder" : "other", "folder");
    }
    return stat;
  }

  private show = (rel: string) => path.join(this.out, rel);
}

const linkError = (file: string) =>
  new ExportError(`${file} is a symbolic link: realtimekit-export never reads or writes through links; remove it, or give another folder`);

/** Writes a file, refusing (ELOOP) if something made it a link since the check. */
function writeNoFollow(file: string, content: string) {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, 0o644);
  try {
    fs.writeFileSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
}
