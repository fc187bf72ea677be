import { spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  type Dirent,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import {
  FileVanishedError,
  GATEWAY_CONFIG_FILE,
  GATEWAY_CONFIG_MAX,
  type ListedFile,
  type ReadRequest,
  type Source,
  SourceError,
  UnreadableFileError,
} from './source.js';
import { stateDirProblem, type TopEntry } from './state-dir.js';

// Local reads are synchronous: from the page cache a read is a memory copy, and the thread pool's round trip per
// open, stat, read and close cost more than the copy (issue 13). A run reads one file at a time anyway.

function expand(root: string, pattern: string): string[] {
  let dirs = [''];
  for (const seg of pattern.split('/')) {
    const next: string[] = [];
    for (const d of dirs) {
      if (seg !== '*') {
        next.push(d ? `${d}/${seg}` : seg);
        continue;
      }
      let entries: Dirent[] = [];
      try {
        entries = readdirSync(join(root, d), { withFileTypes: true });
      } catch {
        // a pattern dir that is not there holds nothing
      }
      for (const e of entries) if (e.isDirectory()) next.push(d ? `${d}/${e.name}` : e.name);
    }
    dirs = next;
  }
  return dirs;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function describe(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return `permission denied reading ${path}: OpenClaw writes its files mode 0600 as the gateway user (uid 1000 in Docker); run as that user or grant read access`;
  }
  return `cannot read ${path}: ${code ?? String(err)}`;
}

const CHUNK = 1 << 20;

/** Bytes [from, to) of an open file, a chunk at a time, into `buffer` when given (each chunk then valid until the next). */
function* chunks(fd: number, from: number, to: number, buffer: Buffer | undefined): Iterable<Buffer> {
  let pos = from;
  for (;;) {
    const want = Math.min(CHUNK, to - pos);
    if (want <= 0) return;
    const buf = buffer ?? Buffer.allocUnsafe(want);
    const got = readSync(fd, buf, 0, want, pos);
    if (got === 0) return;
    pos += got;
    yield buf.subarray(0, got);
  }
}

/** The start of a small regular file (never through a symlink), or undefined when there is none to read. */
function readHead(path: string, max: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.allocUnsafe(max);
    return buf.subarray(0, readSync(fd, buf, 0, max, 0)).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** One or more OpenClaw state dirs on this machine. */
export class LocalSource implements Source {
  gatewayConfig: string | undefined;

  constructor(
    readonly name: string,
    private readonly roots: readonly string[],
    /** Refuse a root that is not laid out like a state dir (false for a loose folder of transcripts). */
    private readonly stateDirs = true,
  ) {}

  async list(dirs: readonly string[], sinceMs: number): Promise<ListedFile[]> {
    const out: ListedFile[] = [];
    let found = 0;
    for (const root of this.roots) {
      let top: TopEntry[];
      try {
        if (!statSync(root).isDirectory()) throw new SourceError(`${root} is not a directory`);
        top = readdirSync(root, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
      } catch (err) {
        if (err instanceof SourceError) throw err;
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new SourceError(describe(err, root));
      }
      const problem = this.stateDirs ? stateDirProblem(root, top) : undefined;
      if (problem) throw new SourceError(problem);
      found++;
      if (found === 1) this.gatewayConfig = readHead(join(root, GATEWAY_CONFIG_FILE), GATEWAY_CONFIG_MAX);
      const real = realpathSync(root);
      for (const pattern of dirs) {
        for (const dir of expand(root, pattern)) {
          // A directory that resolves outside the state dir (a symlink out of it) is not read.
          const at = realpathOrUndefined(join(root, dir));
          if (at === undefined || (at !== real && !at.startsWith(real.endsWith(sep) ? real : real + sep))) continue;
          const base = join(root, dir);
          let names: string[];
          try {
            names = readdirSync(base);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
            throw new SourceError(describe(err, base));
          }
          for (const name of names) {
            const id = `${base}${sep}${name}`; // join(root, dir, name): a directory entry never needs normalizing
            // lstat: a symlink is never a regular file, so it is never followed, wherever it points.
            const st = lstatSync(id, { throwIfNoEntry: false });
            if (!st?.isFile() || st.mtimeMs < sinceMs) continue;
            out.push({ id, rel: `${dir}/${name}`, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
          }
        }
      }
    }
    if (found === 0) {
      throw new SourceError(
        `no OpenClaw state dir found at ${this.roots.join(' or ')}: pass --source DIR (or set OPENCLAW_STATE_DIR) to point at it`,
      );
    }
    return out;
  }

  async *read(req: ReadRequest): AsyncIterable<Buffer> {
    let fd: number;
    try {
      // O_NOFOLLOW: a file swapped for a symlink since the listing is not opened (ELOOP), like a vanished one.
      fd = openSync(req.id, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') throw new FileVanishedError(req.id);
      if (code === 'EACCES' || code === 'EPERM') throw new UnreadableFileError(req.id, describe(err, req.id));
      throw new SourceError(describe(err, req.id));
    }
    // Transient reads share one buffer, taken for the read (a concurrent one gets its own).
    const buffer = req.transient ? (this.spare.pop() ?? Buffer.allocUnsafe(CHUNK)) : undefined;
    try {
      if (req.headBytes > 0) yield* chunks(fd, 0, req.headBytes, buffer);
      yield* chunks(fd, req.from, Infinity, buffer);
    } catch (err) {
      throw new SourceError(describe(err, req.id));
    } finally {
      closeSync(fd);
      if (buffer) this.spare.push(buffer);
    }
  }

  /** Read buffers of transient reads, kept for the next file. */
  private spare: Buffer[] = [];

  readonly nodeCommand = process.execPath;

  async *exec(argv: readonly string[]): AsyncIterable<Buffer> {
    yield* runProgram(argv);
  }

  async close(): Promise<void> {}
}

/** Spawn a local program and stream its stdout; a failure carries its stderr. */
export async function* runProgram(argv: readonly string[]): AsyncIterable<Buffer> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new SourceError('nothing to run');
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  exited.catch(() => undefined); // observed below; this only keeps an early spawn error from being "unhandled".
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited;
    if (code !== 0) throw new SourceError(`${cmd} exited with ${code}: ${stderr.trim() || 'no message'}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new SourceError(`${cmd} is not installed`);
    throw err;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
