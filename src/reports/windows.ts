// Rolling 5-hour and 7-day windows per account and provider, with burn rate and time to a limit. Pure.
import type { WindowLimit, WindowName } from '../config/accounts.js';
import type { LedgerRecord } from '../ledger/record.js';
import { type PricedCall, type PricedFields, type PricingOptions, priceCall } from '../pricing/cost.js';
import { byCodeUnit } from '../shared/strings.js';
import type { AccountOf } from './accounts.js';
import { addUsage, emptyUsage, type UsageFigures } from './usage.js';

const HOUR = 3_600_000;
export const WINDOW_MS: Readonly<Record<WindowName, number>> = { '5h': 5 * HOUR, '7d': 7 * 24 * HOUR };
export const BURN_MS = HOUR;

/** Every window figure comes from this tool's own ledger, not from the provider's account page. */
export const WINDOW_SOURCE = 'local-ledger';

export function windowDefinition(w: WindowName): string {
  const span = w === '5h' ? '5 h' : '7 d';
  return (
    `rolling ${span}: calls whose instant t has now - ${span} < t <= now, from every gateway with this account label; ` +
    'tokens = input + output + cache read + cache write; reset = when the oldest call in the window ages out ' +
    `(its instant + ${span}); burn = the same sums over the last 60 min; time to limit = (limit - used) / burn, ` +
    'not counting calls that age out meanwhile (conservative); safe = the window resets before the limit is reached'
  );
}

export interface Burn {
  /** Over (now - 60 min, now]. */
  tokensPerMinute: number;
  usdPerHour: number;
}

export interface WindowFigure extends UsageFigures {
  source: typeof WINDOW_SOURCE;
  definition: string;
  account: string;
  provider: string;
  window: WindowName;
  /** Epoch ms: the window is (start, end]. */
  start: number;
  end: number;
  /** When the oldest call in the window ages out; null for an empty window. */
  resetAt: number | null;
  burn: Burn;
  limit: { tokens: number | null; usd: number | null } | null;
  /** Seconds until the limit is reached at the current burn: 0 when already reached, null when never (no burn) or no limit. */
  secondsToLimit: number | null;
  limitAt: number | null;
  /** The window resets before the limit is reached; null without a limit. */
  safe: boolean | null;
}

export interface WindowContext {
  nowMs: number;
  pricing: PricingOptions;
  accountOf: AccountOf;
  limits: readonly WindowLimit[];
}

function limitFor(
  limits: readonly WindowLimit[],
  account: string,
  provider: string,
  window: WindowName,
): WindowLimit | undefined {
  // The most specific matching entry wins: account and provider, then either, then neither.
  const score = (l: WindowLimit) => (l.account !== undefined ? 2 : 0) + (l.provider !== undefined ? 1 : 0);
  return limits
    .filter(
      (l) =>
        l.window === window &&
        (l.account === undefined || l.account === account) &&
        (l.provider === undefined || l.provider === provider),
    )
    .sort((a, b) => score(b) - score(a))[0];
}

/** Seconds until `used` reaches `limit` at `perSecond`: 0 when there, null when never. */
function secondsTo(used: number, limit: number, perSecond: number): number | null {
  if (used >= limit) return 0;
  return perSecond > 0 ? (limit - used) / perSecond : null;
}

/** What a window sums of a call or tally: who, when, and its priced usage. */
export type WindowInput = Pick<
  LedgerRecord,
  'gateway' | 'provider' | 'at' | 'input' | 'output' | 'cacheRead' | 'cacheWrite'
> & { weight?: number };

interface Pair {
  account: string;
  provider: string;
  burn: UsageFigures;
  '5h': UsageFigures;
  '7d': UsageFigures;
  oldest: Record<WindowName, number>;
}

/** The windows' sums, fed one priced call (or tally) at a time: the one pass of a check, or computeWindows. */
export class WindowSums {
  private readonly pairs = new Map<string, Pair>();

  constructor(private readonly ctx: Omit<WindowContext, 'pricing'>) {}

  private pairOf(account: string, provider: string): Pair {
    const id = `${account}\t${provider}`;
    let p = this.pairs.get(id);
    if (!p)
      this.pairs.set(
        id,
        (p = {
          account,
          provider,
          burn: emptyUsage(),
          '5h': emptyUsage(),
          '7d': emptyUsage(),
          oldest: { '5h': Infinity, '7d': Infinity },
        }),
      );
    return p;
  }

  /** Counts `r` where it falls in (now - 7 d, now]; anything else is ignored. */
  add(r: WindowInput, priced: PricedCall): void {
    const now = this.ctx.nowMs;
    if (!(r.at > now - WINDOW_MS['7d'] && r.at <= now)) return;
    const p = this.pairOf(this.ctx.accountOf(r.gateway, r.provider), r.provider);
    const weight = r.weight ?? 1;
    const row = {
      calls: weight,
      inputTokens: r.input,
      outputTokens: r.output,
      cacheReadTokens: r.cacheRead,
      cacheWriteTokens: r.cacheWrite,
      costUsd: priced.costUsd,
      unpricedCalls: priced.source === 'none' ? weight : 0,
      billing: priced.billing,
    };
    addUsage(p['7d'], row);
    if (r.at < p.oldest['7d']) p.oldest['7d'] = r.at;
    if (r.at > now - WINDOW_MS['5h']) {
      addUsage(p['5h'], row);
      if (r.at < p.oldest['5h']) p.oldest['5h'] = r.at;
    }
    if (r.at > now - BURN_MS) addUsage(p.burn, row);
  }

  /**
   * One figure per (account, provider, window) for every pair with a call in the last 7 days or a limit naming
   * both.
   */
  figures(): WindowFigure[] {
    const { nowMs: now, limits } = this.ctx;
    for (const l of limits) if (l.account !== undefined && l.provider !== undefined) this.pairOf(l.account, l.provider);
    const out: WindowFigure[] = [];
    for (const p of [...this.pairs.values()].sort(
      (a, b) => byCodeUnit(a.account, b.account) || byCodeUnit(a.provider, b.provider),
    )) {
      const { account, provider } = p;
      const burn: Burn = { tokensPerMinute: p.burn.totalTokens / 60, usdPerHour: p.burn.costUsd };
      for (const window of ['5h', '7d'] as const) {
        const start = now - WINDOW_MS[window];
        const usage = p[window];
        const oldest = p.oldest[window];
        const resetAt = Number.isFinite(oldest) ? oldest + WINDOW_MS[window] : null;
        const l = limitFor(limits, account, provider, window);
        const ttl = l
          ? [
              l.tokens === undefined ? undefined : secondsTo(usage.totalTokens, l.tokens, burn.tokensPerMinute / 60),
              l.usd === undefined ? undefined : secondsTo(usage.costUsd, l.usd, burn.usdPerHour / 3600),
            ].filter((s): s is number | null => s !== undefined)
          : [];
        const reached = ttl.filter((s): s is number => s !== null);
        const secondsToLimit = reached.length > 0 ? Math.min(...reached) : null;
        const limitAt = secondsToLimit === null ? null : now + secondsToLimit * 1000;
        out.push({
          source: WINDOW_SOURCE,
          definition: windowDefinition(window),
          account,
          provider,
          window,
          start,
          end: now,
          ...usage,
          resetAt,
          burn,
          limit: l ? { tokens: l.tokens ?? null, usd: l.usd ?? null } : null,
          secondsToLimit,
          limitAt,
          safe: !l ? null : limitAt === null ? true : secondsToLimit !== 0 && resetAt !== null && resetAt <= limitAt,
        });
      }
    }
    return out;
  }
}

/**
 * One figure per (account, provider, window) for every pair with a call in the last 7 days or a limit naming
 * both. `records` must cover (now - 7 d, now]; calls outside it are ignored.
 */
export function computeWindows(
  records: readonly WindowInput[] & readonly PricedFields[],
  ctx: WindowContext,
): WindowFigure[] {
  const sums = new WindowSums(ctx);
  for (const r of records) sums.add(r, priceCall(r, ctx.pricing));
  return sums.figures();
}
