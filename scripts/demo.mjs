// `npm run demo`: run `check` on the shipped sample state dir, with all output in a fresh temp dir.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'openclaw-budget-demo-'));
const args = [
  join(root, 'bin', 'openclaw-budget'),
  'check',
  '--source', join(root, 'fixtures', 'openclaw-state'),
  '--now', '2026-11-20T21:30:00Z',
  '--timezone', 'Europe/Rome',
  '--max-daily-usd', '2',
  '--state-dir', join(out, 'state'),
  '--textfile-dir', join(out, 'textfile'),
  '--flag-file', join(out, 'budget-exceeded'),
  ...process.argv.slice(2),
];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, OPENCLAW_BUDGET_CONFIG: '' } });
console.log(`\noutput in ${out}:`);
console.log(`  metrics:   ${join(out, 'textfile', 'openclaw_budget.prom')}`);
console.log(`  ledger:    ${join(out, 'state', 'ledger')}`);
try {
  console.log(`  flag file: ${readFileSync(join(out, 'budget-exceeded'), 'utf8').trim()}`);
} catch {
  console.log('  flag file: absent (under budget)');
}
process.exit(r.status ?? 1);
