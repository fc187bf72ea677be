// Real servers for the system suite, started on 127.0.0.1 with free ports. A server that cannot start throws.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

export interface NodeExporter {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Debian's node_exporter with only the textfile collector, reading `textfileDir`. */
export async function startNodeExporter(textfileDir: string): Promise<NodeExporter> {
  if (!existsSync(NODE_EXPORTER)) throw new Error(`${NODE_EXPORTER} not found: install Debian's prometheus-node-exporter (see .ci/run)`);
  const port = await freePort();
  const child = spawn(
    NODE_EXPORTER,
    ['--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${textfileDir}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}/metrics`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) {
      return {
        child,
        url,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`node_exporter did not start on 127.0.0.1:${port}:\n${log}`);
}
