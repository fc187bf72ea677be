// `npm run demo`: run `check` on the shipped sample state dir, with all output in a fresh temp dir that is removed
// afterwards (`npm run demo -- --keep` keeps it). Other arguments go to `check`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
const out = mkdtempSync(join(tmpdir(), 'openclaw-budget-demo-'));
const flagFile = join(out, 'budget-exceeded');
const args = [
  join(root, 'bin', 'openclaw-budget'),
  'check',
  '--source',
  join(root, 'fixtures', 'openclaw-state'),
  // The sample's last call is at 23:33 local time: the day is evaluated once it is all in.
  '--now',
  '2026-11-20T22:50:00Z',
  '--timezone',
  'Europe/Rome',
  '--max-daily-usd',
  '2',
  '--state-dir',
  join(out, 'state'),
  '--textfile-dir',
  join(out, 'textfile'),
  '--flag-file',
  flagFile,
  ...process.argv.slice(2).filter((a) => a !== '--keep'),
];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, OPENCLAW_BUDGET_CONFIG: '' } });
console.log(`\nwritten under ${out}:`);
console.log(`  metrics:   ${join(out, 'textfile', 'openclaw_budget.prom')}`);
console.log(`  ledger:    ${join(out, 'state', 'ledger')}`);
console.log(`  flag file: ${flagFile} (${existsSync(flagFile) ? 'present: over budget' : 'absent: under budget'})`);
if (keep) console.log('kept; remove it when done');
else {
  rmSync(out, { recursive: true, force: true });
  console.log('removed again (`npm run demo -- --keep` keeps it)');
}
process.exit(r.status ?? 1);
