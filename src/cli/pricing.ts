import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { type FlagValues, loadConfig } from '../config/load.js';
import { resolveStateDir } from '../pipeline/check.js';
import { renderShown, type ShownPrice, showOne, showPrices } from '../pipeline/pricing-show.js';
import { ledgerOf } from '../pipeline/report.js';
import { loadPricingOptions } from '../pricing/load.js';
import { saveLookups } from '../pricing/store.js';
import { updateCatalog } from '../pricing/update.js';
import { stringOr } from '../shared/strings.js';
import { normalizeModel, normalizeProvider } from '../transcripts/names.js';
import type { CommandContext } from './context.js';
import { EXIT_FAILED, EXIT_OK } from './exit.js';
import { parseNow, pricingOptions, stateOptions, withOptions } from './options.js';

const DAY_MS = 86_400_000;

export function registerPricing(program: Command, ctx: CommandContext): void {
  const { env, stdout } = ctx.io;
  const pricing = program.command('pricing').description('where prices come from, and keeping them current');

  stateOptions(pricing.command('update'))
    .description(
      "fetch the price catalog's latest published data and keep it in the state dir (used when newer than the bundled data)",
    )
    .option('--url <url>', "where to fetch it (default: config pricing.updateUrl, the catalog's own data.json)")
    .action(
      ctx.action(async (opts: FlagValues) => {
        const { config } = await loadConfig(opts, env);
        const url = stringOr(opts.url) ?? config.pricing.updateUrl;
        if (!/^https?:\/\//.test(url)) throw new ConfigError(`--url: expected an http(s) URL, got "${url}"`);
        const stateDir = resolveStateDir(config, env);
        const r = await updateCatalog(stateDir, url, Date.now());
        if (opts.json) stdout.write(`${JSON.stringify({ url, ...r })}\n`);
        else if (r.ok)
          stdout.write(
            `stored the prices of ${r.models} models from ${r.providers} providers (${url}) in ${stateDir}\n`,
          );
        if (!r.ok) ctx.logger().error(`${r.error ?? 'price update failed'}`);
        return r.ok ? EXIT_OK : EXIT_FAILED;
      }),
    );

  withOptions(pricingOptions(stateOptions(pricing.command('show'))), 'now')
    .description(
      "the price each model of the ledger's last days gets, where it comes from, and a snippet for unpriced ones",
    )
    .argument('[model]', "one <provider>/<model> instead of the ledger's models")
    .option('--days <n>', 'days of the ledger to look at (default 7)')
    .option('--gateway <name>', "with a model: price it as this gateway's config says")
    .action(
      ctx.action(async (id: string | undefined, opts: FlagValues) => {
        const { config } = await loadConfig(opts, env);
        const nowMs = parseNow(stringOr(opts.now));
        const stateDir = resolveStateDir(config, env);
        const p = await loadPricingOptions(config.pricing, { stateDir });
        let rows: ShownPrice[];
        if (id !== undefined) {
          const slash = id.indexOf('/');
          if (slash <= 0 || slash === id.length - 1)
            throw new ConfigError(`expected <provider>/<model>, e.g. anthropic/claude-opus-4-6, got "${id}"`);
          const provider = normalizeProvider(id.slice(0, slash));
          rows = [
            showOne(p, stringOr(opts.gateway) ?? null, provider, normalizeModel(id.slice(slash + 1), provider), nowMs),
          ];
        } else {
          const days = Number(stringOr(opts.days) ?? 7);
          if (!Number.isInteger(days) || days < 1)
            throw new ConfigError(`--days: expected a whole number of days, got "${String(opts.days)}"`);
          rows = showPrices(await ledgerOf(config, env).between(nowMs - days * DAY_MS, nowMs + 1), p, nowMs);
        }
        await saveLookups(stateDir, p.resolver.catalog).catch(() => undefined);
        stdout.write(
          opts.json ? `${JSON.stringify({ catalog: p.resolver.catalog.source, models: rows })}\n` : renderShown(rows),
        );
        return EXIT_OK;
      }),
    );
}
