// Starting real servers for the system suite. A server that cannot start fails the test loudly.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The path of a required binary, or an error naming the Debian package that provides it. */
export function requireBinary(path: string, debianPackage: string): string {
  if (!existsSync(path))
    throw new Error(`${path} is missing: install the Debian package ${debianPackage} (.ci/run does)`);
  return path;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  proc?: ChildProcess & { log?: string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (proc && proc.exitCode !== null)
      throw new Error(`${what}: the process exited with ${proc.exitCode}:\n${proc.log ?? ''}`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms\n${proc?.log ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Running {
  port: number;
  stop(): Promise<void>;
}

function spawnLogged(cmd: string, args: string[]): ChildProcess & { log: string } {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }) as ChildProcess & { log: string };
  p.log = '';
  p.stdout?.on('data', (d: Buffer) => (p.log += d.toString()));
  p.stderr?.on('data', (d: Buffer) => (p.log += d.toString()));
  return p;
}

function stopper(p: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (p.exitCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
}

export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
export const PROMTOOL = '/usr/bin/promtool';

/** node_exporter with only the textfile collector, reading `dir`. */
export async function startNodeExporter(dir: string): Promise<Running & { pid: number; scrape(): Promise<string> }> {
  const bin = requireBinary(NODE_EXPORTER, 'prometheus-node-exporter');
  const port = await freePort();
  const p = spawnLogged(bin, [
    '--collector.disable-defaults',
    '--collector.textfile',
    `--collector.textfile.directory=${dir}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    if (!res.ok) throw new Error(`node_exporter answered ${res.status}`);
    return res.text();
  };
  await waitFor('node_exporter', scrape, 10_000, p);
  return { port, pid: p.pid as number, scrape, stop: stopper(p) };
}

/** `promtool check metrics` on a text; returns its combined output, throws with it when promtool objects. */
export function promtoolCheckMetrics(text: string): string {
  const bin = requireBinary(PROMTOOL, 'prometheus');
  const r = spawnSync(bin, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`promtool check metrics failed (${r.status}):\n${out}`);
  return out;
}
