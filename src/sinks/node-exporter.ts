// Find running node_exporters and where their textfile collector looks, from /proc/<pid>/cmdline.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

export interface NodeExporterArgs {
  /** `--collector.textfile.directory` values given on the command line (none: the build's default applies). */
  textfileDirs: string[];
  /** False when the textfile collector is switched off (`--no-collector.textfile`, or defaults disabled). */
  textfileEnabled: boolean;
  /** `--web.listen-address` values (default ":9100"). */
  listenAddresses: string[];
}

export interface NodeExporterProcess extends NodeExporterArgs {
  pid: number;
  exe: string;
}

const NAME = /^(prometheus-)?node[_-]exporter$/;
const TEXTFILE_DIR = '--collector.textfile.directory';
const LISTEN = '--web.listen-address';

function flagValues(argv: readonly string[], flag: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
    else if (a === flag && argv[i + 1] !== undefined) out.push(argv[i + 1] as string);
  });
  return out;
}

/** Pure: what a node_exporter command line says about its textfile collector and listen address. */
export function parseNodeExporterArgs(argv: readonly string[]): NodeExporterArgs {
  const has = (f: string) => argv.includes(f);
  const listen = flagValues(argv, LISTEN);
  return {
    textfileDirs: flagValues(argv, TEXTFILE_DIR),
    textfileEnabled:
      !has('--no-collector.textfile') && (has('--collector.textfile') || !has('--collector.disable-defaults')),
    listenAddresses: listen.length ? listen : [':9100'],
  };
}

/** Pure: a URL on this host for a listen address such as ":9100", "0.0.0.0:9100", "127.0.0.1:9100", "[::]:9100". */
export function metricsUrl(listen: string): string {
  const m = /^(.*):(\d+)$/.exec(listen);
  const host = m?.[1] ?? '';
  const port = m?.[2] ?? '9100';
  const local = host === '' || host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  return `http://${local}:${port}/metrics`;
}

export async function findNodeExporters(proc = '/proc'): Promise<NodeExporterProcess[]> {
  const out: NodeExporterProcess[] = [];
  for (const entry of await readdir(proc).catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const raw = await readFile(join(proc, entry, 'cmdline')).catch(() => undefined);
    if (!raw || raw.length === 0) continue;
    const argv = raw.toString('utf8').replace(/\0$/, '').split('\0');
    const exe = argv[0] ?? '';
    if (!NAME.test(basename(exe))) continue;
    out.push({ pid: Number(entry), exe, ...parseNodeExporterArgs(argv.slice(1)) });
  }
  return out;
}

/** The build's default textfile dir, from its --help (Debian's is /var/lib/prometheus/node-exporter; upstream's is empty). */
export async function defaultTextfileDir(exe: string): Promise<string | undefined> {
  try {
    const r = await promisify(execFile)(exe, ['--help'], { timeout: 5000 }).catch(
      (err: { stdout?: string; stderr?: string }) => err,
    );
    const m = new RegExp(`${TEXTFILE_DIR}="([^"]*)"`).exec(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    return m?.[1] || undefined;
  } catch {
    return undefined;
  }
}

/** Where a running node_exporter's textfile collector reads, or undefined when it reads none. */
export async function textfileDirsOf(p: NodeExporterProcess): Promise<string[]> {
  if (!p.textfileEnabled) return [];
  if (p.textfileDirs.length) return p.textfileDirs;
  const d = await defaultTextfileDir(p.exe);
  return d ? [d] : [];
}
