import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../test/support/alert-events.js';
import { HookChannel, hookEnv, localHookRunner } from './hooks.js';

const runner = localHookRunner({ PATH: process.env.PATH, OPENCLAW_BUDGET_MATRIX_TOKEN: undefined });

function channel(hooks: { exceeded?: string; recovered?: string; timeoutSeconds?: number }) {
  const log: string[] = [];
  const ch = new HookChannel({ timeoutSeconds: 10, ...hooks }, runner, (m) => log.push(m));
  return { ch, log };
}

describe('enforcement hooks', () => {
  it('run only for exceeded and recovered, and only when configured', () => {
    const { ch } = channel({ exceeded: 'true' });
    expect(ch.accepts(sampleEvent({ kind: 'exceeded' }))).toBe(true);
    expect(ch.accepts(sampleEvent({ kind: 'recovered' }))).toBe(false);
    expect(ch.accepts(sampleEvent({ kind: 'warning' }))).toBe(false);
    expect(ch.accepts(sampleEvent({ kind: 'reminder' }))).toBe(false);
  });

  it('get the event in the environment and have their output logged', async () => {
    const { ch, log } = channel({
      recovered:
        'echo "$OPENCLAW_BUDGET_EVENT $OPENCLAW_BUDGET_SPEND_USD/$OPENCLAW_BUDGET_BUDGET_USD $OPENCLAW_BUDGET_GATEWAY $OPENCLAW_BUDGET_DAY $OPENCLAW_BUDGET_EXCEEDED_FOR_SECONDS"; echo oops >&2',
    });
    const ev = sampleEvent({ kind: 'recovered', exceededForMs: 5_400_000 });
    expect(await ch.send(ev)).toBe('exit 0');
    expect(log).toEqual([
      'recovered hook (local): recovered 6.25/5 home 2026-11-20 5400',
      'recovered hook (local): oops',
    ]);
    expect(ch.failures).toEqual([]);
  });

  it('get the amounts in cents, as the docs show them', () => {
    const env = hookEnv(sampleEvent({ spendUsd: 5.499999999999, budgetUsd: 5, percent: 109.99999999 }));
    expect([env.OPENCLAW_BUDGET_SPEND_USD, env.OPENCLAW_BUDGET_BUDGET_USD, env.OPENCLAW_BUDGET_PERCENT]).toEqual([
      '5.5',
      '5',
      '110.0',
    ]);
    expect(hookEnv(sampleEvent({ spendUsd: 12.3456 })).OPENCLAW_BUDGET_SPEND_USD).toBe('12.35');
  });

  it('do not see the secrets of the environment they were started from', async () => {
    const r = await localHookRunner({ PATH: process.env.PATH }).run(
      'echo "[${OPENCLAW_BUDGET_MATRIX_TOKEN:-unset}]"',
      hookEnv(sampleEvent()),
      5000,
    );
    expect(r.output.trim()).toBe('[unset]');
  });

  it('a non-zero exit is reported, not thrown', async () => {
    const { ch, log } = channel({ exceeded: 'echo "cannot stop it"; exit 3' });
    expect(await ch.send(sampleEvent())).toBe('exit 3');
    expect(ch.failures).toEqual(['exceeded hook (local) for 2026-11-20 failed: exit 3; the check goes on']);
    expect(log).toContain('exceeded hook (local): cannot stop it');
  });

  it('log their output as output and their failure as a warning, on separate loggers', async () => {
    const warnings: string[] = [];
    const output: string[] = [];
    const ch = new HookChannel(
      { timeoutSeconds: 10, exceeded: 'echo stopping; exit 3' },
      runner,
      (m) => warnings.push(m),
      (m) => output.push(m),
    );
    await ch.send(sampleEvent());
    expect(output).toEqual(['exceeded hook (local): stopping']);
    expect(warnings).toEqual(['exceeded hook (local) for 2026-11-20 failed: exit 3; the check goes on']);
  });

  it('a hook over its timeout is killed with what it started', async () => {
    const { ch } = channel({ exceeded: 'sleep 30 & echo started; wait', timeoutSeconds: 0.5 });
    const t0 = Date.now();
    const outcome = await ch.send(sampleEvent());
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(outcome).toMatch(/^timed out after 0.5 s and was killed/);
    expect(ch.failures).toHaveLength(1);
  });
});
