// `ledger verify`: read every partition file as it is on disk and check it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Ledger, PARTITION_FILE } from '../ledger/ledger.js';
import { lostDays, summarize, type VerifyReport, verifyPartition } from '../ledger/verify.js';

export async function verifyLedger(ledger: Ledger): Promise<VerifyReport> {
  const names = await readdir(ledger.dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const seen = new Set<string>();
  const partitions = [];
  for (const day of await ledger.days())
    partitions.push(verifyPartition(day, await readFile(join(ledger.dir, `${day}.jsonl`), 'utf8'), seen));
  // Dot-entries are the ledger's own caches (.digest/), not strays.
  return summarize(
    partitions,
    names.filter((n) => !PARTITION_FILE.test(n) && !n.startsWith('.')).sort(),
    lostDays(ledger.manifest(), partitions),
  );
}
