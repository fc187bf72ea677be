// The commands README's quick start shows, so tests can run them as written (README is the newcomer's only guide).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface ShownCommand {
  /** The command as README shows it (comment stripped). */
  text: string;
  /** Shown with `sudo` in front. */
  sudo: boolean;
  /** For our CLI: the arguments after `./bin/openclaw-budget`, `~` expanded to `home`; else undefined. */
  args?: string[];
}

const OURS = /^(sudo )?\.\/bin\/openclaw-budget (?=\S)/;

/** The "Quick start" section of README.md: its shell block's commands, then the CLI commands quoted in its prose. */
export function quickStartCommands(home: string): ShownCommand[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Quick start');
  if (start < 0) throw new Error('README.md has no "## Quick start" section');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const block = section.match(/```sh\n([\s\S]*?)```/)?.[1] ?? '';
  const lines = block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const prose = [...section.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`]+)`/g)]
    .map((m) => m[1] as string)
    .filter((c) => OURS.test(c));
  return [...lines, ...prose].map((text) => {
    const sudo = text.startsWith('sudo ');
    if (!OURS.test(text)) return { text, sudo };
    const args = text
      .replace(OURS, '')
      .split(/\s+/)
      .filter(Boolean)
      .map((a) => (a === '~' ? home : a.startsWith('~/') ? join(home, a.slice(2)) : a));
    return { text, sudo, args };
  });
}
