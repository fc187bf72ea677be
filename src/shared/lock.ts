// One run at a time per state dir: a lock file naming its owner (pid, boot, process start), taken over when
// that owner is gone. Node has no flock(), so exclusivity rests on link(2), which fails if the name exists.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ensureDir } from './dirs.js';

const OwnerSchema = z.object({
  pid: z.number().int().positive(),
  /** Kernel boot id: a lock from before a reboot is stale whatever its pid. */
  boot: z.string().optional(),
  /** Process start time in clock ticks since boot: tells a reused pid from the owner. */
  start: z.string().optional(),
  /** Wall-clock ms when the lock was taken. */
  since: z.number(),
});
export type LockOwner = z.infer<typeof OwnerSchema>;

/** A takeover guard this old belongs to a run that died mid-takeover (a takeover takes microseconds), whoever wrote it. */
const GUARD_STALE_MS = 30_000;

/** Another live process holds the lock. */
export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner | undefined,
    nowMs: number,
  ) {
    const who = owner
      ? `pid ${owner.pid}, running for ${Math.max(0, Math.round((nowMs - owner.since) / 1000))} s`
      : 'a run taking over a stale lock';
    super(
      `another run holds ${path} (${who}); this run did nothing. ` +
        'Runs overlap when a check takes longer than the timer period or is started by hand meanwhile; ' +
        'a lock left by a dead process is taken over automatically.',
    );
  }
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command, which may hold spaces). */
function startTicks(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id');
}

export function currentOwner(nowMs: number): LockOwner {
  const boot = bootId();
  const start = startTicks(process.pid);
  return { pid: process.pid, ...(boot ? { boot } : {}), ...(start ? { start } : {}), since: nowMs };
}

/** Whether the recorded owner may still be running. Unknowns count as alive: never run twice. */
export function ownerAlive(owner: LockOwner): boolean {
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = owner.start ? startTicks(owner.pid) : undefined;
  return !(start && start !== owner.start);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    return OwnerSchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export interface HeldLock {
  readonly path: string;
  /** Set when this run replaced a lock whose owner had died. */
  readonly tookOverFrom: LockOwner | undefined;
  release(): Promise<void>;
}

/**
 * Take the lock at `path` or throw LockBusyError. The lock appears with its content in one step (written to a
 * temp file, then linked), so a reader never sees it empty. A stale lock (owner dead, rebooted, or pid reused)
 * is replaced by rename under a short-lived `.takeover` guard, so two runs cannot both take over one stale lock.
 */
export async function acquireLock(path: string, nowMs = Date.now()): Promise<HeldLock> {
  await ensureDir(dirname(path));
  const text = `${JSON.stringify(currentOwner(nowMs))}\n`;
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  const held = (tookOverFrom: LockOwner | undefined): HeldLock => ({
    path,
    tookOverFrom,
    async release() {
      // Only our own lock: after a takeover by another run (we were thought dead) it is theirs.
      if ((await readText(path)) === text) await unlink(path).catch(() => undefined);
    },
  });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await tryLink(tmp, path)) return held(undefined);
      const seen = await readText(path);
      if (seen === undefined) continue; // released meanwhile: try again
      const owner = parseOwner(seen);
      if (owner && ownerAlive(owner)) throw new LockBusyError(path, owner, nowMs);
      const stale = owner ?? { pid: 0, since: nowMs };
      if (await takeOver(path, seen, tmp, nowMs)) return held(stale);
    }
    throw new LockBusyError(path, parseOwner((await readText(path)) ?? ''), nowMs);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Replace the stale lock whose content was `seen` by ours; false if it changed meanwhile. */
async function takeOver(path: string, seen: string, tmp: string, nowMs: number): Promise<boolean> {
  const guard = `${path}.takeover`;
  if (!(await tryLink(tmp, guard))) {
    const age = await stat(guard).then(
      (s) => nowMs - s.mtimeMs,
      () => 0,
    );
    // The guard is a link to its run's owner file: a run killed mid-takeover is known dead at once, not in 30 s.
    const owner = parseOwner((await readText(guard)) ?? '');
    const dead = owner !== undefined && !ownerAlive(owner);
    if (!dead && age < GUARD_STALE_MS) throw new LockBusyError(path, undefined, nowMs);
    await unlink(guard).catch(() => undefined);
    if (!(await tryLink(tmp, guard))) throw new LockBusyError(path, undefined, nowMs);
  }
  try {
    if ((await readText(path)) !== seen) return false;
    // rename() replaces atomically: the lock name never disappears, so no plain link() can slip in.
    const ours = `${tmp}.take`;
    await link(tmp, ours);
    await rename(ours, path);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}
