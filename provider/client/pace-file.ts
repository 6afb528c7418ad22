// The pacer's memory across processes. In a pipeline, `pulumi preview --refresh`
// and `pulumi up` run back to back in two host processes; each used to start
// with an empty window, and the second was answered 429 (13–16 times in 300
// creates). Each process appends the time of every answer it got to one small
// file per account, and reads what other processes appended, so the next one
// starts where the last left off and concurrent ones see each other.
//
// The file is only an optimisation: if it cannot be used safely (a symlink, a
// folder others can write to, no space), pacing goes on in memory alone.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Beyond this size the file is rewritten with only the recent lines. */
const MAX_BYTES = 128 * 1024;
/** Lines kept when the file is rewritten (each 27 bytes): more than the largest window holds (3,500, client/limits.ts). */
const MAX_LINES = 4096;
/** Answers are written to the file at most this long after they arrived. */
const FLUSH_MS = 50;
/** Files of accounts not used for this long are removed, so the folder stays small. */
const STALE_MS = 10 * 60_000;
/** Clock difference tolerated between processes; a later time is not ours to wait for. */
const FUTURE_MS = 1000;
/** A line: the answer's time (ms since the epoch) and the writing process's tag. */
const LINE = /^(\d{13}) ([0-9a-f]{12})$/;
// O_NOFOLLOW does not exist on Windows, where symlinks need privileges to create.
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

const swept = new Set<string>();

export class PaceFile {
  /** This process's tag: its own lines are not read back. */
  private readonly self = randomBytes(6).toString("hex");
  private fd: number | undefined;
  private ino = 0;
  private offset = 0;
  private unwritten = "";
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly file: string,
    /** How far back a line still matters (the pacer's window plus margin). */
    private readonly keepMs: number,
  ) {}

  /** The account's file, with the answer times already in it; undefined when no safe file can be had. */
  static open(key: string, keepMs: number): { file: PaceFile; times: number[] } | undefined {
    try {
      const dir = privateDir();
      if (!dir) return undefined;
      sweep(dir);
      const name = `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.pace`;
      const file = new PaceFile(path.join(dir, name), keepMs);
      return { file, times: file.reopen() };
    } catch {
      return undefined;
    }
  }

  /**
   * Records the time an answer arrived. Lines are written together, at most
   * FLUSH_MS later (one write, not one per answer), or at once by `flush`.
   */
  record(at: number): void {
    if (this.fd === undefined) return;
    this.unwritten += `${at} ${this.self}\n`;
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** Writes the recorded lines now: the pacer calls it when nothing is in flight, so a process that is done leaves none behind. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.fd === undefined || !this.unwritten) return;
    try {
      fs.writeSync(this.fd, this.unwritten);
    } catch {
      this.close();
    }
    this.unwritten = "";
  }

  /** Answer times other processes recorded since the last call. */
  poll(): number[] {
    if (this.fd === undefined) return [];
    try {
      const st = fs.lstatSync(this.file, { throwIfNoEntry: false });
      // Another process rewrote (or removed) the file: read the new one from the start.
      if (!st || st.ino !== this.ino) return this.reopen();
      const times = this.readNew();
      if (st.size > MAX_BYTES) this.compact();
      return times;
    } catch {
      this.close();
      return [];
    }
  }

  private reopen(): number[] {
    this.close();
    const fd = fs.openSync(this.file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | NOFOLLOW, 0o600);
    const st = fs.fstatSync(fd);
    if (!st.isFile() || !ownedByUs(st)) {
      fs.closeSync(fd);
      throw new Error("not our file");
    }
    this.fd = fd;
    this.ino = st.ino;
    // A file grown beyond its bound (by a crash before a rewrite, or by anyone) is read from its tail only.
    this.offset = 0;
    return this.readNew();
  }

  /** Answer times of other processes in the whole lines appended since `offset`. */
  private readNew(): number[] {
    const { text, end } = this.read(this.offset);
    this.offset = end;
    return this.recent(text)
      .filter((m) => m[2] !== this.self)
      .map((m) => Number(m[1]));
  }

  /** The whole lines from `from` on (at most MAX_BYTES of them) and the offset after them. */
  private read(from: number): { text: string; end: number } {
    const size = fs.fstatSync(this.fd!).size;
    from = Math.max(from, size - MAX_BYTES);
    if (size <= from) return { text: "", end: from };
    const buf = Buffer.alloc(size - from);
    const text = buf.toString("latin1", 0, fs.readSync(this.fd!, buf, 0, buf.length, from));
    const whole = text.lastIndexOf("\n") + 1; // a line still being written is read next time
    return { text: text.slice(0, whole), end: from + whole };
  }

  /** The well-formed lines of `text` still inside the window; anything else (a time to come, too) is skipped. */
  private recent(text: string): RegExpExecArray[] {
    const now = Date.now();
    const out: RegExpExecArray[] = [];
    for (const line of text.split("\n")) {
      const m = LINE.exec(line);
      if (m && Number(m[1]) > now - this.keepMs && Number(m[1]) <= now + FUTURE_MS) out.push(m);
    }
    return out;
  }

  /**
   * Rewrites the file with its recent lines, through a new file renamed over it.
   * A line another process appends in between is lost: at worst it paces a little less.
   */
  private compact(): void {
    const keep = this.recent(this.read(0).text)
      .map((m) => m[0])
      .slice(-MAX_LINES);
    const tmp = `${this.file}.${this.self}.tmp`;
    const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, 0o600);
    try {
      fs.writeSync(fd, keep.map((l) => `${l}\n`).join(""));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    // Our own lines in it are skipped by tag, others' were read already.
    this.reopen();
    this.offset = fs.fstatSync(this.fd!).size;
  }

  private close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** `<tmp>/pulumi-realtimekit-<user>`, made private to this user; undefined when it is not (a symlink, others' folder). */
function privateDir(): string | undefined {
  const user = process.getuid?.() ?? os.userInfo().username.replace(/[^A-Za-z0-9_-]/g, "_");
  const dir = path.join(os.tmpdir(), `pulumi-realtimekit-${user}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") return undefined;
  }
  const st = fs.lstatSync(dir);
  // Someone else's folder, or one others may write to, could swap our file for a link.
  if (!st.isDirectory() || !ownedByUs(st) || (process.platform !== "win32" && (st.mode & 0o022) !== 0)) return undefined;
  return dir;
}

function ownedByUs(st: fs.Stats): boolean {
  const uid = process.getuid?.();
  return uid === undefined || st.uid === uid;
}

/** Removes this folder's files untouched for STALE_MS (once per process): every emulator port is an account of its own. */
function sweep(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  const oldest = Date.now() - STALE_MS;
  for (const name of fs.readdirSync(dir)) {
    if (!/\.pace(\.[0-9a-f]{12}\.tmp)?$/.test(name)) continue;
    const file = path.join(dir, name);
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    try {
      // unlink removes a link itself, never its target.
      if (st && st.mtimeMs < oldest) fs.unlinkSync(file);
    } catch {
      // another process removed it first
    }
  }
}
