// Number formats for human output (JSON and metrics are never rounded).

/** USD in cents, always: a non-zero amount that would round to $0.00 reads "<$0.01" (never a zero it is not). */
export function usd(n: number): string {
  return n !== 0 && Math.abs(n) < 0.005 ? `${n < 0 ? '-' : ''}<$0.01` : `$${n.toFixed(2)}`;
}

/**
 * One format for a column of token counts, chosen by its largest value, so a column never switches format midway:
 * plain below 10,000 (9724), else thousands (9.7k, 11.6k), millions (0.16M, 2.21M) or billions. A non-zero count
 * too small for the column's unit reads "<0.1k", never "0.0k".
 */
export function tokenFormat(values: readonly number[]): (n: number) => string {
  const max = Math.max(0, ...values);
  const [div, unit, digits] =
    max >= 1e9 ? [1e9, 'G', 2] : max >= 1e6 ? [1e6, 'M', 2] : max >= 1e4 ? [1e3, 'k', 1] : [1, '', 0];
  return (n) => {
    if (div === 1 || n === 0) return String(Math.round(n));
    const s = (n / div).toFixed(digits);
    return Number(s) === 0 ? `<${(10 ** -digits).toFixed(digits)}${unit}` : `${s}${unit}`;
  };
}

/** A lone token count: 1234, 12.3k, 4.50M (a column uses tokenFormat). */
export function compact(n: number): string {
  return tokenFormat([n])(n);
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-20 14:05" in `tz`. */
export function localTime(ms: number, tz: string): string {
  let f = timeFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** A span for people: "45m", "2h05m", "3d04h". */
export function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** Word-wrap plain text to `width` columns (Infinity: unchanged). */
export function wrap(text: string, width: number): string {
  if (!Number.isFinite(width)) return text;
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    out.push(line);
  }
  return out.join('\n');
}
