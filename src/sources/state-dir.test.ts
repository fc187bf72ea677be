import { describe, expect, it } from 'vitest';
import { stateDirProblem } from './state-dir.js';

const d = (name: string) => ({ name, isDirectory: true });
const f = (name: string) => ({ name, isDirectory: false });

describe('stateDirProblem', () => {
  it('accepts a state dir of any era: agents/, the old sessions/, or just its config', () => {
    expect(stateDirProblem('/home/u/.openclaw', [d('agents'), f('openclaw.json'), d('logs')])).toBeUndefined();
    expect(stateDirProblem('/home/u/.clawdbot', [d('sessions')])).toBeUndefined();
    expect(stateDirProblem('/home/u/.openclaw', [f('openclaw.json')])).toBeUndefined();
  });

  it('refuses an empty dir, the agents folder, a sessions folder and a repository, naming what was expected', () => {
    expect(stateDirProblem('/tmp/x', [])).toMatch(/^\/tmp\/x is empty: expected an OpenClaw state dir/);
    expect(stateDirProblem('/home/u/.openclaw/agents', [d('main'), d('work')])).toMatch(
      /agents folder of a state dir.*pass its parent \(\/home\/u\/\.openclaw\)/,
    );
    const sessions = stateDirProblem('/home/u/.openclaw/agents/main/sessions', [f('a.jsonl'), f('sessions.json')]);
    expect(sessions).toMatch(/folder of transcripts, not a state dir: pass the state dir \(\/home\/u\/\.openclaw\)/);
    expect(sessions).toMatch(/ledger import/);
    expect(stateDirProblem('/src/openclaw-budget', [d('src'), f('package.json'), d('.git')])).toMatch(
      /not an OpenClaw state dir \(no agents\/, sessions\/ or openclaw\.json/,
    );
  });
});
