// Guards src/ARCHITECTURE.md: imports run down the layers it lists, close no cycle, and pure code does no I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** The ```layers block of ARCHITECTURE.md: one line per layer, top first; folders on one line are peers. */
function layers(): Map<string, number> {
  const doc = readFileSync(join(SRC, 'ARCHITECTURE.md'), 'utf8');
  const block = /```layers\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('src/ARCHITECTURE.md has no ```layers block');
  const lines = block.trim().split('\n');
  const rank = new Map<string, number>();
  lines.forEach((line, i) => {
    for (const folder of line.trim().split(/\s+/)) rank.set(folder, lines.length - i);
  });
  return rank;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

interface Import {
  /** Relative to src/, e.g. "pipeline/check.ts". */
  to: string;
  line: number;
}

/** Static, type-only, re-export and dynamic imports of a file; `external` holds the package and node: ones. */
function importsOf(file: string): { local: Import[]; external: string[] } {
  const text = readFileSync(file, 'utf8');
  const local: Import[] = [];
  const external: string[] = [];
  const re =
    /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s*'([^']+)'/g;
  for (const m of text.matchAll(re)) {
    const spec = (m[1] ?? m[2] ?? m[3]) as string;
    if (!spec.startsWith('.')) {
      external.push(spec);
      continue;
    }
    const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    local.push({ to: relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))), line });
  }
  return { local, external };
}

const folderOf = (rel: string) => (rel.includes('/') ? (rel.split('/')[0] as string) : '.');
const files = sourceFiles(SRC).map((f) => relative(SRC, f));
const graph = new Map(files.map((f) => [f, importsOf(join(SRC, f))]));

describe('architecture (src/ARCHITECTURE.md)', () => {
  it('lists every folder of src/ exactly once', () => {
    const folders = new Set(files.map(folderOf).filter((f) => f !== '.'));
    expect([...layers().keys()].sort()).toEqual([...folders].sort());
  });

  it('has no import that runs up the layers or sideways to a peer', () => {
    const rank = layers();
    const bad: string[] = [];
    for (const [from, { local }] of graph) {
      const a = folderOf(from);
      for (const { to, line } of local) {
        const b = folderOf(to);
        if (a === b) continue;
        if ((rank.get(b) ?? Infinity) >= (rank.get(a) ?? -Infinity))
          bad.push(`src/${from}:${line} imports src/${to} (${b}/ is not below ${a}/)`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const { to } of graph.get(f)?.local ?? []) {
        if (!graph.has(to)) continue;
        if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to].join(' -> '));
        else if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('resolves every relative import to a file', () => {
    const missing = [...graph].flatMap(([from, { local }]) =>
      local.filter((i) => !graph.has(i.to)).map((i) => `src/${from}:${i.line} -> ${i.to}`),
    );
    expect(missing).toEqual([]);
  });

  it('keeps pure code free of I/O: pure folders, and files whose first comment says "Pure"', () => {
    const PURE_FOLDERS = new Set(['budget', 'reports', 'transcripts']);
    const IO =
      /^node:(fs|fs\/promises|child_process|net|http|https|dgram|os|readline|worker_threads|timers\/promises)$/;
    const bad: string[] = [];
    for (const [file, { external }] of graph) {
      const text = readFileSync(join(SRC, file), 'utf8');
      const pure = PURE_FOLDERS.has(folderOf(file)) || /^\/\/[^\n]*\bPure\b/.test(text);
      if (!pure) continue;
      for (const spec of external) if (IO.test(spec)) bad.push(`src/${file} imports ${spec}`);
      if (/\bDate\.now\(|\bprocess\.(env|stdout|stderr|exit)\b/.test(text))
        bad.push(`src/${file} reads the clock or the process`);
      if (PURE_FOLDERS.has(folderOf(file)))
        for (const spec of external)
          if (spec !== 'zod') bad.push(`src/${file} imports ${spec} (a pure folder takes only zod)`);
    }
    expect(bad).toEqual([]);
  });

  it('touches the process only in cli/main.ts: commands get an Io, nothing below exits or prints by itself', () => {
    const code = (file: string) => readFileSync(join(SRC, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    const bad = files.filter(
      (f) => f !== 'cli/main.ts' && /\bprocess\.(env|stdout|stderr|exit|exitCode)\b|\bconsole\./.test(code(f)),
    );
    expect(bad).toEqual([]);
  });

  it('reads the imports of a real file (the parser sees the shapes the code uses)', () => {
    const { local } = importsOf(join(SRC, 'pipeline', 'check.ts'));
    expect(local.map((i) => i.to)).toContain('ledger/ledger.ts');
    expect(local.map((i) => i.to)).toContain('sinks/metrics.ts');
  });
});
