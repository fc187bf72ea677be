import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { FileVanishedError, type ListedFile, type ReadRequest, type Source, SourceError, UnreadableFileError } from './source.js';

async function expand(root: string, pattern: string): Promise<string[]> {
  let dirs = [''];
  for (const seg of pattern.split('/')) {
    const next: string[] = [];
    for (const d of dirs) {
      if (seg !== '*') {
        next.push(d ? `${d}/${seg}` : seg);
        continue;
      }
      const entries = await readdir(join(root, d), { withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isDirectory()) next.push(d ? `${d}/${e.name}` : e.name);
    }
    dirs = next;
  }
  return dirs;
}

function describe(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return `permission denied reading ${path}: OpenClaw writes its files mode 0600 as the gateway user (uid 1000 in Docker); run as that user or grant read access`;
  }
  return `cannot read ${path}: ${code ?? String(err)}`;
}

const CHUNK = 1 << 20;

/**
 * Bytes [from, to) of an open file, a chunk at a time; the next chunk is read while the caller works on this one.
 * With `buffers` (topped up to two) chunks take turns in them, so each is valid only until the next is asked
 * for; without, every chunk is fresh memory.
 */
async function* chunks(fh: FileHandle, from: number, to: number, buffers: Buffer[] | undefined): AsyncIterable<Buffer> {
  while (buffers && buffers.length < 2) buffers.push(Buffer.allocUnsafe(CHUNK));
  let turn = 0;
  let pos = from;
  const next = () => {
    const want = Math.min(CHUNK, to - pos);
    if (want <= 0) return undefined;
    const buf = buffers ? (buffers[turn++ % 2] as Buffer) : Buffer.allocUnsafe(want);
    const read = fh.read(buf, 0, want, pos);
    read.catch(() => undefined); // failing before it is awaited is not an unhandled rejection: it is awaited below
    return read;
  };
  let pending = next();
  try {
    while (pending) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      pos += bytesRead;
      pending = next();
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await pending?.catch(() => undefined); // never close the file under a read in flight
  }
}

/** One or more OpenClaw state dirs on this machine. */
export class LocalSource implements Source {
  constructor(
    readonly name: string,
    private readonly roots: readonly string[],
  ) {}

  async list(dirs: readonly string[], sinceMs: number): Promise<ListedFile[]> {
    const out: ListedFile[] = [];
    let found = 0;
    for (const root of this.roots) {
      try {
        if (!(await stat(root)).isDirectory()) throw new SourceError(`${root} is not a directory`);
      } catch (err) {
        if (err instanceof SourceError) throw err;
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new SourceError(describe(err, root));
      }
      found++;
      const real = await realpath(root);
      for (const pattern of dirs) {
        for (const dir of await expand(root, pattern)) {
          // A directory that resolves outside the state dir (a symlink out of it) is not read.
          const at = await realpath(join(root, dir)).catch(() => undefined);
          if (at === undefined || (at !== real && !at.startsWith(real.endsWith(sep) ? real : real + sep))) continue;
          let names: string[];
          try {
            names = await readdir(join(root, dir));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
            throw new SourceError(describe(err, join(root, dir)));
          }
          for (const name of names) {
            const id = join(root, dir, name);
            // lstat: a symlink is never a regular file, so it is never followed, wherever it points.
            const st = await lstat(id).catch(() => undefined);
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
    let fh: FileHandle;
    try {
      // O_NOFOLLOW: a file swapped for a symlink since the listing is not opened (ELOOP), like a vanished one.
      fh = await open(req.id, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') throw new FileVanishedError(req.id);
      if (code === 'EACCES' || code === 'EPERM') throw new UnreadableFileError(req.id, describe(err, req.id));
      throw new SourceError(describe(err, req.id));
    }
    const buffers = req.transient ? this.spare.splice(0, 2) : undefined;
    try {
      if (req.headBytes > 0) yield* chunks(fh, 0, req.headBytes, buffers);
      yield* chunks(fh, req.from, Infinity, buffers);
    } catch (err) {
      throw new SourceError(describe(err, req.id));
    } finally {
      await fh.close();
      if (buffers) this.spare.push(...buffers);
    }
  }

  /** Read buffers of a transient read, kept for the next file. */
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
