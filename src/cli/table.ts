// Aligned text tables that fit the terminal: low-priority columns go first, then long text is shortened.
import type { ChalkInstance } from 'chalk';
import { wrap } from '../shared/format.js';

export type Tone = 'red' | 'yellow' | 'green' | 'cyan' | 'dim' | 'bold';
export type Cell = string | { text: string; tone?: Tone };

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Columns with the lowest priority are hidden first when the table is too wide; 100 is never hidden. */
  priority: number;
  /** Left-aligned text may be shortened (with "…") down to this width before anything essential is lost. */
  minWidth?: number;
  /** Where shortening cuts: at the end (names), or in the middle so both ends of an id stay visible. */
  cut?: 'end' | 'middle';
}

export interface Table {
  columns: Column[];
  rows: Cell[][];
  /** The totals row, set off by a rule. */
  total?: Cell[];
}

const GAP = 2;
/** Columns below this priority are hidden before any text is shortened. */
const SHORTEN_BEFORE = 60;
const text = (c: Cell | undefined) => (typeof c === 'string' ? c : (c?.text ?? ''));

function shorten(s: string, width: number, cut: 'end' | 'middle' = 'end'): string {
  if (s.length <= width) return s;
  const keep = Math.max(0, width - 1);
  if (cut === 'end') return `${s.slice(0, keep)}…`;
  const head = Math.ceil(keep / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (keep - head))}`;
}

/** Render `t` in at most `width` columns (Infinity: no limit). Lines end with "\n". */
export function renderTable(t: Table, width: number, c: ChalkInstance): string {
  const all = [...t.rows, ...(t.total ? [t.total] : [])];
  const natural = t.columns.map((col, i) => Math.max(col.header.length, ...all.map((r) => text(r[i]).length)));
  let shown = t.columns.map((_, i) => i);
  const widths = [...natural];
  const total = () => shown.reduce((s, i) => s + (widths[i] ?? 0), 0) + GAP * (shown.length - 1);
  const hidden: string[] = [];
  const drop = (below: number) => {
    while (total() > width) {
      const droppable = shown.filter((i) => (t.columns[i]?.priority ?? 100) < below);
      if (droppable.length === 0) return;
      const lowest = droppable.reduce((a, b) =>
        (t.columns[b]?.priority ?? 0) < (t.columns[a]?.priority ?? 0) ? b : a,
      );
      hidden.push(t.columns[lowest]?.header ?? '');
      shown = shown.filter((i) => i !== lowest);
    }
  };
  // Shorten the widest shortenable column, a character at a time, down to its minimum.
  const shrink = () => {
    while (total() > width) {
      const candidates = shown.filter(
        (i) => t.columns[i]?.minWidth !== undefined && (widths[i] ?? 0) > (t.columns[i]?.minWidth ?? 0),
      );
      if (candidates.length === 0) return;
      const widest = candidates.reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a));
      widths[widest] = (widths[widest] ?? 1) - 1;
    }
  };
  // Detail columns go first, then long names are shortened, then the remaining optional columns go.
  drop(SHORTEN_BEFORE);
  shrink();
  drop(100);
  const line = (cells: Cell[], style: (s: string) => string = (s) => s) =>
    shown
      .map((i, k) => {
        const col = t.columns[i] as Column;
        const w = widths[i] ?? 0;
        const cell = cells[i];
        const raw = shorten(text(cell), w, col.cut);
        const padded = col.align === 'right' ? raw.padStart(w) : k === shown.length - 1 ? raw : raw.padEnd(w);
        const tone = typeof cell === 'object' ? cell.tone : undefined;
        return style(tone ? c[tone](padded) : padded);
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const out = [
    line(
      t.columns.map((col) => col.header),
      (s) => c.bold(s),
    ),
  ];
  for (const r of t.rows) out.push(line(r));
  if (t.total) {
    out.push(c.dim('─'.repeat(Math.min(total(), width))));
    out.push(line(t.total, (s) => c.bold(s)));
  }
  if (hidden.length > 0)
    out.push(
      c.dim(wrap(`(not shown for width ${width}: ${hidden.join(', ')}; widen the terminal or use --json)`, width)),
    );
  return `${out.join('\n')}\n`;
}
