import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { PRICING, rec } from '../../test/helpers/records.js';
import { accountResolver } from '../reports/accounts.js';
import { buildUsageReport } from '../reports/report.js';
import { topSessions } from '../reports/sessions.js';
import { computeWindows } from '../reports/windows.js';
import { renderSessions, renderUsageReport, renderWindows } from './report-render.js';

const chalk = new Chalk({ level: 0 });
const tz = 'Europe/Rome';
const accountOf = accountResolver([{ name: 'home', account: 'personal' }]);
const records = [
  rec('2026-11-20T08:00:00Z', {
    input: 1234,
    output: 56789,
    cacheRead: 1_234_567,
    cacheWrite: 89_012,
    session: '3f2a9c1e-8b7d-4e6f-a5c4-0123456789ab',
  }),
  rec('2026-11-20T09:00:00Z', { provider: 'openai', model: 'gpt-5.2', agent: 'coder' }),
  rec('2026-11-21T10:00:00Z', { provider: 'openai-codex', model: 'gpt-5.2', gateway: 'vps' }), // subscription: priced like openai/gpt-5.2
  rec('2026-11-21T11:00:00Z', { provider: 'mystery', model: 'a-very-long-model-name-from-a-custom-provider-v2' }), // unpriced
];
const range = { since: '2026-11-19', until: '2026-11-21' };
const meta = {
  range,
  from: Date.parse('2026-11-18T23:00:00Z'),
  to: Date.parse('2026-11-21T23:00:00Z'),
  gateways: null,
};
const report = buildUsageReport(records, ['day', 'model'], { timezone: tz, pricing: PRICING, accountOf }, meta);
const now = Date.parse('2026-11-21T11:30:00Z');
const windows = computeWindows(records, {
  nowMs: now,
  pricing: PRICING,
  accountOf,
  limits: [{ window: '5h', usd: 3 }],
});
const sessions = topSessions(records, {
  pricing: PRICING,
  limit: 10,
  labelOf: (_g, _a, s) => (s === 's1' ? 'Nightly digest of the news feeds' : undefined),
});

const views = {
  usage: (width: number) => renderUsageReport(report, { width, chalk }),
  windows: (width: number) => renderWindows(windows, now, tz, { width, chalk }),
  sessions: (width: number) =>
    renderSessions(sessions, { since: range.since, until: range.until, timezone: tz }, { width, chalk }),
};

describe.each(Object.entries(views))('%s view', (_name, render) => {
  it.each([80, 160])('fits in %i columns', (width) => {
    const out = render(width);
    for (const line of out.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    expect(out).toMatchSnapshot();
  });
});

describe('usage table', () => {
  it('at 160 columns shows every column; at 80 it hides token detail first and says so', () => {
    const wide = views.usage(160);
    expect(wide).toMatch(/day\s+provider\s+model\s+calls\s+tokens\s+input\s+output\s+cache read\s+cache write\s+cost/);
    expect(wide).not.toMatch(/not shown/);
    const narrow = views.usage(80);
    expect(narrow).toMatch(/not shown for width 80: cache write/);
    expect(narrow).toMatch(/^day\s+provider\s+model\s+calls\s+tokens.*cost$/m);
  });

  it('has a totals row, marks unpriced and subscription rows, and fills the empty day on request', () => {
    const out = views.usage(160);
    expect(out).toMatch(/^total\s+4\s.*\$5\.38 !$/m);
    expect(out).toMatch(/^2026-11-21\s+openai-codex\s+gpt-5\.2\s.*\$2\.00 ~$/m);
    const daily = (empty: boolean) =>
      renderUsageReport(
        buildUsageReport(records, ['day'], { timezone: tz, pricing: PRICING, accountOf }, { ...meta, empty }),
        { width: 80, chalk },
      );
    expect(daily(true)).toMatch(/^2026-11-19\s+0\s+0\s.*\$0\.00$/m);
    expect(daily(false)).not.toMatch(/^2026-11-19/m);
    expect(daily(false)).toMatch(/^2026-11-20\s/m);
    expect(out).toMatch(/a-very-long-model-name.*\$0\.00 !$/m);
    expect(out).toMatch(/! some calls have no price/);
    expect(out).toMatch(/~ subscription provider/);
  });

  it('says weeks are ISO weeks', () => {
    const weekly = buildUsageReport(records, ['week'], { timezone: tz, pricing: PRICING, accountOf }, meta);
    const out = renderUsageReport(weekly, { width: 160, chalk });
    expect(out).toMatch(/weeks: ISO 8601 week: Monday to Sunday/);
    expect(out).toMatch(/^ISO week\s+calls/m);
    expect(out).toMatch(/^2026-W47 \(from 11-16\)\s+4/m);
  });
});
