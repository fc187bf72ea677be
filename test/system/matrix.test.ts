// Alerts against a real Synapse: the built CLI's `check` across an overspend and a recovery posts exactly one
// message per transition, with the right figures, even when the homeserver answers 429 or 500 or a response is
// lost in between. Runs on this machine's Node (20 here: proof that matrix-js-sdk works there).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAwait as runCli } from '../support/cli.js';
import { OpenClawState } from '../support/openclaw-state.js';
import { FaultProxy } from './support/fault-proxy.js';
import { type MatrixUser, Synapse } from './support/synapse.js';

let synapse: Synapse;
let proxy: FaultProxy;
let bot: MatrixUser;
let dir: string;
let startFailure: unknown;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ocb-synapse-test-'));
  try {
    synapse = await new Synapse().start();
    proxy = await new FaultProxy(synapse.url).start();
    bot = await synapse.register('budgetbot');
  } catch (err) {
    startFailure = err;
  }
});

/** Each test fails (not skips) when Synapse could not start, with the reason. */
function needSynapse(): void {
  if (startFailure) throw startFailure;
}

afterAll(async () => {
  await proxy?.stop();
  await synapse?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, room: string, tokenFile: string, extra: Record<string, unknown> = {}): string {
  const path = join(dir, `${name}.json`);
  const config = {
    maxDailyUsd: 5,
    timezone: 'Europe/Rome',
    stateDir: join(dir, name, 'state'),
    alerts: {
      timeoutSeconds: 20,
      matrix: { homeserver: proxy.url, room, accessTokenFile: tokenFile },
      hooks: {
        exceeded: `echo "exceeded $OPENCLAW_BUDGET_SPEND_USD $OPENCLAW_BUDGET_BUDGET_USD $OPENCLAW_BUDGET_DAY" >> ${join(dir, name, 'hooks.log')}`,
        recovered: `echo "recovered $OPENCLAW_BUDGET_SPEND_USD $OPENCLAW_BUDGET_BUDGET_USD $OPENCLAW_BUDGET_EXCEEDED_FOR_SECONDS" >> ${join(dir, name, 'hooks.log')}`,
      },
      ...extra,
    },
  };
  writeFileSync(path, JSON.stringify(config));
  chmodSync(path, 0o600);
  return path;
}

function tokenFile(name: string, token: string): string {
  const path = join(dir, `${name}.token`);
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return path;
}

describe(`Matrix alerts against a real Synapse (node ${process.version})`, () => {
  it('one warning, one exceeded and one recovered message, through 429, 500 and a lost response', async () => {
    needSynapse();
    const room = await synapse.createRoom(bot, { alias: 'ops' });
    const config = writeConfig('day', `#ops:${synapse.serverName}`, tokenFile('bot', bot.token));
    const state = new OpenClawState(join(dir, 'day', 'openclaw'));
    const outputs: string[] = [];
    const check = async (now: string, ...extra: string[]) => {
      const r = await runCli(['check', '--config', config, '--source', state.dir, '--now', now, '--json', ...extra]);
      outputs.push(r.stdout, r.stderr);
      return r;
    };

    // 2026-11-20 in Rome (UTC+1): spend grows 1.00 -> 4.20 (warning at 80% of 5) -> 5.50 (exceeded).
    state.call('2026-11-20T07:00:00Z', 1);
    expect((await check('2026-11-20T08:00:00Z')).status).toBe(0);
    state.call('2026-11-20T08:30:00Z', 3.2);
    proxy.faults.push({
      status: 429,
      body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests', retry_after_ms: 300 },
    });
    let r = await check('2026-11-20T09:00:00Z');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).alerts.transitions).toEqual(['warning 2026-11-20']);
    const warningForecast = JSON.parse(r.stdout).forecast.endOfDayUsd as number;
    expect((await check('2026-11-20T09:05:00Z')).status).toBe(0);

    state.call('2026-11-20T10:00:00Z', 1.3, 'gpt-5.2', 'openai');
    proxy.faults.push({ status: 500, body: { errcode: 'M_UNKNOWN', error: 'Internal server error' } }, 'drop-response');
    r = await check('2026-11-20T11:00:00Z');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).alerts.sent).toHaveLength(2); // Matrix and the exceeded hook
    const exceededForecast = JSON.parse(r.stdout).forecast.endOfDayUsd as number;
    expect((await check('2026-11-20T11:05:00Z')).status).toBe(0);

    // The operator raises the budget 2 h 15 min after it was exceeded; a lost response on this one too.
    proxy.faults.push('drop-response');
    r = await check('2026-11-20T13:15:00Z', '--max-daily-usd', '10');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).alerts.transitions).toEqual(['recovered 2026-11-20']);
    expect((await check('2026-11-20T13:20:00Z', '--max-daily-usd', '10')).status).toBe(0);

    const msgs = await synapse.messages(room, bot, bot.userId);
    expect(msgs.map((m) => m.msgtype)).toEqual(['m.notice', 'm.notice', 'm.notice']);
    const [warning, exceeded, recovered] = msgs.map((m) => m.body);
    expect(warning).toContain(
      'OpenClaw budget warning: $4.20 of $5.00 (84.0%) on 2026-11-20 (Europe/Rome), gateway local',
    );
    expect(warning).toContain('Top models: anthropic/claude-opus-4-5 $4.20');
    // The run's one forecast, as check printed it: 10:00 in Rome, $4.20 so far, $3.20 in the last hour, 14 h left.
    expect(warningForecast).toBeCloseTo(4.2 + 3.2 * 14, 9);
    expect(warning).toContain(
      `Projected by the end of the day: $${warningForecast.toFixed(2)} at the recent burn rate (the forecast check prints).`,
    );
    expect(exceeded).toContain('OpenClaw budget EXCEEDED: $5.50 of $5.00 (110.0%) on 2026-11-20 (Europe/Rome)');
    expect(exceeded).toContain('Top models: anthropic/claude-opus-4-5 $4.20, openai/gpt-5.2 $1.30');
    expect(exceededForecast).toBeGreaterThanOrEqual(5.5);
    expect(exceeded).toContain(
      `Projected by the end of the day: $${exceededForecast.toFixed(2)} at the recent burn rate (the forecast check prints).`,
    );
    expect(msgs[1]?.formatted_body).toContain('<li>openai/gpt-5.2 $1.30</li>');
    expect(recovered).toContain('OpenClaw budget recovered: $5.50 of $10.00 (55.0%) on 2026-11-20 (Europe/Rome)');
    expect(recovered).toContain('It was over budget for 2h15m.');

    // The faults really happened: 2 + 3 + 2 attempts for three messages.
    expect(proxy.sends).toHaveLength(7);
    expect(
      readFileSync(join(dir, 'day', 'hooks.log'), 'utf8')
        .trim()
        .split('\n'),
    ).toEqual(['exceeded 5.5 5 2026-11-20', 'recovered 5.5 10 8100']);
    for (const out of outputs) expect(out).not.toContain(bot.token);
  });

  it('a new day recovers the day before, once', async () => {
    needSynapse();
    const room = await synapse.createRoom(bot);
    const config = writeConfig('rollover', room, tokenFile('bot', bot.token));
    const state = new OpenClawState(join(dir, 'rollover', 'openclaw'));
    state.call('2026-11-20T21:00:00Z', 7);
    expect(
      (await runCli(['check', '--config', config, '--source', state.dir, '--now', '2026-11-20T21:30:00Z'])).status,
    ).toBe(0);
    for (const now of ['2026-11-20T23:10:00Z', '2026-11-20T23:15:00Z']) {
      expect((await runCli(['check', '--config', config, '--source', state.dir, '--now', now])).status).toBe(0);
    }
    const bodies = (await synapse.messages(room, bot, bot.userId)).map((m) => m.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain('OpenClaw budget EXCEEDED: $7.00 of $5.00 (140.0%) on 2026-11-20 (Europe/Rome)');
    // Exceeded at 22:30 Rome time; the day ended at midnight.
    expect(bodies[1]).toContain('OpenClaw budget recovered: 2026-11-20 is over; it ended at $7.00 of $5.00 (140.0%)');
    expect(bodies[1]).toContain('It was over budget for 1h30m.');
  });

  it('alert test: posts to a room the bot was invited to (joining it), and reports 403 and 401 exactly', async () => {
    needSynapse();
    const owner = await synapse.register('owner');
    const invited = await synapse.createRoom(owner, { invite: [bot.userId] });
    let r = await runCli(['alert', 'test', '--config', writeConfig('invited', invited, tokenFile('bot', bot.token))]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^matrix: ok: \$\S+ in !\S+ \(joined the room first\)\n$/);
    expect(r.status).toBe(0);
    const [test] = (await synapse.messages(invited, owner, bot.userId)).map((m) => m.body);
    expect(test).toMatch(/^openclaw-budget test message from .+: alerts reach this room\. Budget \$5\.00 a day/);

    const closed = await synapse.createRoom(owner);
    r = await runCli(['alert', 'test', '--config', writeConfig('closed', closed, tokenFile('bot', bot.token))]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`matrix: FAILED: ${bot.userId} may not post in ${closed} (403 M_FORBIDDEN`);
    expect(r.stdout).toContain('invite it to the room');

    r = await runCli([
      'alert',
      'test',
      '--config',
      writeConfig('badtoken', closed, tokenFile('bad', 'syt_not_a_real_token')),
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`rejected the access token from file ${join(dir, 'bad.token')} (401 M_UNKNOWN_TOKEN`);
    expect(r.stdout + r.stderr).not.toContain('syt_not_a_real_token');

    r = await runCli([
      'alert',
      'test',
      '--config',
      writeConfig('noalias', `#nope:${synapse.serverName}`, tokenFile('bot', bot.token)),
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      `the room alias #nope:${synapse.serverName} does not exist on ${proxy.url} (404 M_NOT_FOUND`,
    );
  });
});
