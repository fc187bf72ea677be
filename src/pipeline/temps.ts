// Temp files a killed run left behind (an atomic write interrupted before its rename): removed by the next run,
// under the state dir's lock. Only this tool's own temp names; in shared directories only those of our files.
import { basename, dirname, join } from 'node:path';
import { cleanStaleTemps } from '../shared/atomic-write.js';
import { PROM_FILE } from '../sinks/prom.js';

export function cleanInterruptedWrites(
  stateDir: string,
  textfileDir: string | undefined,
  flagFile: string | undefined,
): string[] {
  const own = [stateDir, join(stateDir, 'cursors'), join(stateDir, 'ledger'), join(stateDir, 'ledger', '.digest')];
  return [
    ...own.flatMap((d) => cleanStaleTemps(d)),
    ...(textfileDir ? cleanStaleTemps(textfileDir, [PROM_FILE]) : []),
    ...(flagFile ? cleanStaleTemps(dirname(flagFile), [basename(flagFile)]) : []),
  ];
}
