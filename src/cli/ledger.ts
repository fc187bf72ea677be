import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { type FlagValues, loadConfig } from '../config/load.js';
import { GATEWAY_NAME } from '../config/schema.js';
import { type ImportProgress, importTranscripts } from '../pipeline/import.js';
import { existingLedger, ledgerOf } from '../pipeline/report.js';
import { verifyLedger } from '../pipeline/verify.js';
import { loadPricingOptions } from '../pricing/load.js';
import { stringOr } from '../shared/strings.js';
import type { CommandContext } from './context.js';
import { EXIT_FAILED, EXIT_OK } from './exit.js';
import type { Output } from './io.js';
import { pricingOptions, stateOptions } from './options.js';

function mib(n: number): string {
  return `${(n / (1 << 20)).toFixed(1)} MiB`;
}

/** A one-line progress bar on stderr, redrawn in place; only on a terminal. */
function progressBar(stderr: Output): ((p: ImportProgress) => void) | undefined {
  if (!stderr.isTTY) return undefined;
  return (p) => {
    const frac = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
    const bar = '#'.repeat(Math.round(frac * 20)).padEnd(20, '.');
    stderr.write(
      `\r[${bar}] ${p.filesDone}/${p.filesTotal} files, ${mib(p.bytesDone)}/${mib(p.bytesTotal)}, ${p.callsAdded} new calls`,
    );
    if (p.filesDone === p.filesTotal) stderr.write('\n');
  };
}

export function registerLedger(program: Command, ctx: CommandContext): void {
  const { env, stdout, stderr } = ctx.io;
  const ledger = program.command('ledger').description('maintain the ledger: backfill history, check integrity');

  pricingOptions(
    stateOptions(ledger.command('import'))
      .description(
        'record the calls in a directory of old transcripts (a state dir copy, or a folder of .jsonl files and archives); safe to repeat',
      )
      .argument('<dir>', 'directory to import')
      .option(
        '--gateway <name>',
        'gateway name to record the calls under (default: the only configured gateway, else "local")',
      )
      .option('--agent <id>', 'agent for a flat folder of transcripts (default "main")'),
  ).action(
    ctx.action(async (dir: string, opts: FlagValues) => {
      const { config } = await loadConfig(opts, env);
      const gateway =
        stringOr(opts.gateway) ?? (config.gateways.length === 1 ? config.gateways[0]?.name : undefined) ?? 'local';
      if (!GATEWAY_NAME.test(gateway))
        throw new ConfigError(`--gateway: expected letters, digits, ".", "_" or "-", got "${gateway}"`);
      const result = await importTranscripts({
        dir,
        gateway,
        agent: stringOr(opts.agent) ?? 'main',
        ledger: ledgerOf(config, env),
        pricing: await loadPricingOptions(config.pricing),
        onProgress: opts.json ? undefined : progressBar(stderr),
      });
      if (opts.json) stdout.write(`${JSON.stringify({ dir, gateway, ...result })}\n`);
      else
        stdout.write(
          `imported ${dir} (${result.layout === 'flat' ? 'folder of transcripts' : 'state dir'}) as gateway ${gateway}: ${result.filesDone} files, ${mib(result.bytesDone)}, ${result.callsFound} calls found, ${result.callsAdded} new to the ledger\n`,
        );
      // A file it could not read is not imported: say which, and fail, so a backfill is never silently partial.
      const log = ctx.logger();
      for (const u of result.unreadable) log.error(`not imported: ${u.reason}`);
      return result.unreadable.length > 0 ? EXIT_FAILED : EXIT_OK;
    }),
  );

  stateOptions(
    ledger
      .command('verify')
      .description('check every ledger file: parsable lines, no duplicate calls, each call in its own day file'),
  ).action(
    ctx.action(async (opts: FlagValues) => {
      const { config } = await loadConfig(opts, env);
      const l = await existingLedger(config, env);
      const r = await verifyLedger(l);
      if (opts.json) stdout.write(`${JSON.stringify({ dir: l.dir, ...r })}\n`);
      else {
        const lines = [`ledger ${l.dir}: ${r.partitions.length} day files, ${r.records} calls`];
        for (const p of r.partitions) {
          const problems = [
            p.corruptLines.length
              ? `unreadable lines ${p.corruptLines.slice(0, 10).join(', ')}${p.corruptLines.length > 10 ? ', ...' : ''}`
              : '',
            p.implausibleLines.length
              ? `implausible figures (over 1e10 tokens) on lines ${p.implausibleLines.slice(0, 10).join(', ')}`
              : '',
            p.duplicates ? `${p.duplicates} duplicate call(s)` : '',
            p.misplaced ? `${p.misplaced} call(s) belonging to another day` : '',
            p.partialTail ? 'partial last line (a run was interrupted; trimmed on the next append, nothing lost)' : '',
          ].filter(Boolean);
          if (problems.length) lines.push(`  ${p.day}: ${problems.join('; ')}`);
        }
        for (const d of r.lost) {
          lines.push(
            `  ${d.day}: ${d.expected - d.present} call(s) LOST: the day file held ${d.expected}, now ${d.present} (deleted or truncated); the next check re-reads what the transcripts still hold, restore ${d.day}.jsonl from a backup for the rest`,
          );
        }
        if (r.strayFiles.length) lines.push(`  other files (ignored): ${r.strayFiles.join(', ')}`);
        lines.push(
          r.ok
            ? 'ok'
            : 'PROBLEMS FOUND: reports skip unreadable and implausible lines and count duplicates once; restore damaged files from a backup or re-import the transcripts',
        );
        stdout.write(`${lines.join('\n')}\n`);
      }
      return r.ok ? EXIT_OK : EXIT_FAILED;
    }),
  );
}
