// The systemd units as installed: the shipped templates with this machine's paths filled in. Pure.

export const UNIT_NAME = 'openclaw-budget';
/** First line of every file install writes: uninstall removes only files that carry it. */
export const INSTALLED_MARK =
  '# Installed by `openclaw-budget install`; re-run it after changing textfileDir or flagFile.';

/** Quote one ExecStart= argument: systemd splits on spaces, expands % specifiers and $ variables. */
export function quoteExecArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (!/[\s"'\\;]/.test(escaped) && escaped !== '') return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** ReadWritePaths= takes space-separated paths; one with a space must be quoted. "-": missing is not an error. */
function quotePath(p: string): string {
  return /\s/.test(p) ? `"-${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `-${p}`;
}

/** Replace the first `Key=` line of a unit file; the template must have one. */
export function setUnitKey(text: string, key: string, value: string | undefined): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}=`));
  if (i < 0) throw new Error(`unit template has no ${key}= line`);
  if (value === undefined) lines.splice(i, 1);
  else lines[i] = `${key}=${value}`;
  return lines.join('\n');
}

export interface UnitValues {
  /** The command line: node, the CLI, and its arguments. */
  execStart: readonly string[];
  /** Directories outside the state and runtime dirs the service writes (system unit only). */
  readWritePaths?: readonly string[];
}

export function renderService(template: string, v: UnitValues): string {
  let text = setUnitKey(template, 'ExecStart', v.execStart.map(quoteExecArg).join(' '));
  if (v.readWritePaths !== undefined) {
    text = setUnitKey(
      text,
      'ReadWritePaths',
      v.readWritePaths.length ? v.readWritePaths.map(quotePath).join(' ') : undefined,
    );
  }
  return `${INSTALLED_MARK}\n${text}`;
}

export function renderTimer(template: string): string {
  return `${INSTALLED_MARK}\n${template}`;
}

/** Values of every `Key=` line in a unit file (space-separated lists split, "-" prefixes dropped). */
export function unitValues(text: string, key: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .flatMap((l) => l.slice(key.length + 1).match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [])
    .map((w) => (w.startsWith('"') ? w.slice(1, -1).replace(/\\(.)/g, '$1') : w).replace(/^-/, ''));
}
