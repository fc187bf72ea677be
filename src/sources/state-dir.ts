// Does a directory look like an OpenClaw state dir? Pure: the names at its top in, a refusal (or nothing) out.
// Reading the wrong directory must not look like a quiet day: "$0.00 OK" on a folder that holds no transcripts
// is the failure this tool exists to prevent.
import { basename, dirname } from 'node:path';

/** What a state dir holds at its top, in every era: per-agent dirs, the pre-2026-01 sessions dir, the config. */
const STATE_DIR_DIRS = ['agents', 'sessions'];
const STATE_DIR_FILES = ['openclaw.json', 'clawdbot.json', 'moltbot.json', 'moldbot.json', 'clawdis.json'];

export interface TopEntry {
  name: string;
  isDirectory: boolean;
}

const EXPECTED =
  'expected an OpenClaw state dir such as ~/.openclaw, holding agents/<agent>/sessions/*.jsonl or openclaw.json';

/** Why `root` is not a state dir, naming what was expected and where the right one probably is; undefined if it is. */
export function stateDirProblem(root: string, entries: readonly TopEntry[]): string | undefined {
  if (
    entries.some(
      (e) => (e.isDirectory && STATE_DIR_DIRS.includes(e.name)) || (!e.isDirectory && STATE_DIR_FILES.includes(e.name)),
    )
  )
    return undefined;
  const name = basename(root);
  if (name === 'agents')
    return `${root} is the agents folder of a state dir, not the state dir: pass its parent (${dirname(root)}); ${EXPECTED}`;
  if (name === 'sessions' || entries.some((e) => !e.isDirectory && /\.jsonl(\.|$)/.test(e.name))) {
    const state = basename(dirname(dirname(root))) === 'agents' ? dirname(dirname(dirname(root))) : undefined;
    return (
      `${root} is a folder of transcripts, not a state dir: ${state ? `pass the state dir (${state})` : 'pass the state dir that holds it'}, ` +
      `or record it once with \`openclaw-budget ledger import ${root}\`; ${EXPECTED}`
    );
  }
  if (entries.length === 0) return `${root} is empty: ${EXPECTED}`;
  return `${root} is not an OpenClaw state dir (no agents/, sessions/ or openclaw.json in it): ${EXPECTED}`;
}
