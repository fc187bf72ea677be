import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, currentOwner, LockBusyError, ownerAlive } from './lock.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'ocb-lock-')), 'state', 'lock');
/** The pid of a process that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;

describe('acquireLock', () => {
  it('writes the owner pid, refuses a second holder, and frees on release', async () => {
    const path = fresh();
    const lock = await acquireLock(path);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    await expect(acquireLock(path)).rejects.toThrow(LockBusyError);
    await expect(acquireLock(path)).rejects.toThrow(`pid ${process.pid}`);
    await lock.release();
    expect(existsSync(path)).toBe(false);
    const again = await acquireLock(path);
    expect(again.tookOverFrom).toBeUndefined();
    await again.release();
  });

  it('takes over a lock whose owner has exited', async () => {
    const path = fresh();
    await (await acquireLock(path)).release(); // creates the directory
    const pid = deadPid();
    writeFileSync(path, JSON.stringify({ pid, since: 1 }));
    const lock = await acquireLock(path);
    expect(lock.tookOverFrom?.pid).toBe(pid);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a lock from before a reboot, or whose pid now belongs to another process', async () => {
    const me = currentOwner(0);
    expect(ownerAlive(me)).toBe(true);
    if (process.platform === 'linux') expect([me.boot, me.start].every(Boolean)).toBe(true);
    if (me.boot) expect(ownerAlive({ ...me, boot: 'another-boot' })).toBe(false);
    if (me.start) expect(ownerAlive({ ...me, start: '1' })).toBe(false);
    const path = fresh();
    await (await acquireLock(path)).release();
    writeFileSync(path, JSON.stringify({ ...me, start: me.start ? '1' : undefined, boot: me.boot ? 'x' : undefined }));
    const lock = await acquireLock(path);
    expect(lock.tookOverFrom?.pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over an unreadable lock file', async () => {
    const path = fresh();
    await (await acquireLock(path)).release();
    writeFileSync(path, 'garbage');
    const lock = await acquireLock(path);
    expect(lock.tookOverFrom?.pid).toBe(0);
    await lock.release();
  });

  it('stays out while another run is taking over, and clears a takeover guard left by a dead run', async () => {
    const path = fresh();
    await (await acquireLock(path)).release();
    writeFileSync(path, JSON.stringify({ pid: deadPid(), since: 1 }));
    writeFileSync(`${path}.takeover`, 'x');
    await expect(acquireLock(path)).rejects.toThrow('taking over');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.takeover`, old, old);
    const lock = await acquireLock(path);
    expect(existsSync(`${path}.takeover`)).toBe(false);
    await lock.release();
  });

  it('clears at once a takeover guard whose run was killed (the guard names its owner)', async () => {
    const path = fresh();
    await (await acquireLock(path)).release();
    writeFileSync(path, JSON.stringify({ pid: deadPid(), since: 1 }));
    // What a run SIGKILLed between linking the guard and removing it leaves: a fresh guard naming a dead owner.
    writeFileSync(`${path}.takeover`, JSON.stringify({ pid: deadPid(), since: Date.now() }));
    const lock = await acquireLock(path);
    expect(lock.tookOverFrom).toBeDefined();
    expect(existsSync(`${path}.takeover`)).toBe(false);
    await lock.release();
    // A live one still keeps others out.
    writeFileSync(path, JSON.stringify({ pid: deadPid(), since: 1 }));
    writeFileSync(`${path}.takeover`, JSON.stringify(currentOwner(Date.now())));
    await expect(acquireLock(path)).rejects.toThrow('taking over');
  });

  it('does not remove a lock it no longer owns', async () => {
    const path = fresh();
    const lock = await acquireLock(path);
    writeFileSync(path, JSON.stringify({ pid: 1, since: 1 }));
    await lock.release();
    expect(existsSync(path)).toBe(true);
  });
});
