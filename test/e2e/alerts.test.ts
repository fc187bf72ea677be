// Alerts end to end, against an in-process fake homeserver and webhook receiver: the commands run in-process, the
// lazy loading of matrix-js-sdk is checked on the built CLI.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runCliAwait as runCli } from '../support/cli.js';
import { FakeHomeserver } from '../support/fake-homeserver.js';
import { runInProcess } from '../support/in-process.js';
import { OpenClawState } from '../support/openclaw-state.js';

const TOKEN = 'syt_e2e_secret_token_0123456789';
const ROOM = '!ops:fake';

let dir: string;
let hs: FakeHomeserver;
let webhook: Server;
let webhookBodies: Record<string, unknown>[];
let state: OpenClawState;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ocb-alerts-e2e-'));
  hs = await new FakeHomeserver({ token: TOKEN, joined: [ROOM], aliases: { '#ops:fake': ROOM } }).start();
  webhookBodies = [];
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      webhookBodies.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  state = new OpenClawState(join(dir, 'openclaw'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
});

afterEach(async () => {
  await hs.stop();
  webhook.closeAllConnections();
  await new Promise<void>((resolve) => webhook.close(() => resolve()));
});

function writeConfig(alerts: Record<string, unknown> = {}, mode = 0o600): string {
  const path = join(dir, 'config.json');
  const hooksLog = join(dir, 'hooks.log');
  const config = {
    maxDailyUsd: 5,
    timezone: 'UTC',
    stateDir: join(dir, 'state'),
    alerts: {
      timeoutSeconds: 20,
      matrix: { homeserver: hs.url, room: '#ops:fake', accessTokenFile: join(dir, 'token') },
      webhook: { url: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alert` },
      hooks: {
        exceeded: `echo "$OPENCLAW_BUDGET_EVENT $OPENCLAW_BUDGET_SPEND_USD $OPENCLAW_BUDGET_BUDGET_USD $OPENCLAW_BUDGET_DAY" >> ${hooksLog}`,
        recovered: `echo "$OPENCLAW_BUDGET_EVENT $OPENCLAW_BUDGET_SPEND_USD $OPENCLAW_BUDGET_BUDGET_USD $OPENCLAW_BUDGET_EXCEEDED_FOR_SECONDS" >> ${hooksLog}; echo hook-says-hi`,
      },
      ...alerts,
    },
  };
  writeFileSync(path, JSON.stringify(config));
  chmodSync(path, mode);
  return path;
}

function check(config: string, now: string, ...extra: string[]) {
  return runInProcess(['check', '--config', config, '--source', state.dir, '--now', now, '--json', ...extra]);
}

const bodies = () => hs.events.map((e) => String(e.content.body));
const hookLines = () => {
  try {
    return readFileSync(join(dir, 'hooks.log'), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
};

describe('check sends alerts once per transition', () => {
  it('warning, exceeded (through 429, 500 and a lost response) and recovered: one message each, hooks once each', async () => {
    const config = writeConfig();
    state.call('2026-11-20T01:00:00Z', 1);
    let r = await check(config, '2026-11-20T02:00:00Z');
    expect(r.status).toBe(0);
    expect(hs.events).toHaveLength(0);

    state.call('2026-11-20T03:00:00Z', 3.2);
    r = await check(config, '2026-11-20T04:00:00Z');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).alerts.transitions).toEqual(['warning 2026-11-20']);
    r = await check(config, '2026-11-20T04:05:00Z');
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).toContain('OpenClaw budget warning: $4.20 of $5.00 (84.0%) on 2026-11-20 (UTC), gateway local');

    state.call('2026-11-20T05:00:00Z', 1.3, 'gpt-5.2', 'openai');
    hs.sendFaults.push({
      status: 429,
      body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests', retry_after_ms: 200 },
    });
    hs.sendFaults.push({ status: 500, body: { errcode: 'M_UNKNOWN', error: 'Internal error' } });
    hs.sendFaults.push('drop-response');
    r = await check(config, '2026-11-20T06:00:00Z');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const exceeded = bodies()[1] ?? '';
    expect(exceeded).toContain('OpenClaw budget EXCEEDED: $5.50 of $5.00 (110.0%)');
    expect(exceeded).toContain('Top models: anthropic/claude-opus-4-5 $4.20, openai/gpt-5.2 $1.30');
    // The alert quotes the run's one forecast, the figure check itself prints (12.9).
    const forecast = (JSON.parse(r.stdout) as { forecast: { endOfDayUsd: number } }).forecast.endOfDayUsd;
    expect(forecast).toBeGreaterThanOrEqual(5.5);
    expect(exceeded).toContain(
      `Projected by the end of the day: $${forecast.toFixed(2)} at the recent burn rate (the forecast check prints).`,
    );
    expect(hs.events[1]?.content.formatted_body).toContain('<li>openai/gpt-5.2 $1.30</li>');

    r = await check(config, '2026-11-20T06:05:00Z');
    expect(hs.events).toHaveLength(2);

    r = await check(config, '2026-11-20T06:35:00Z', '--max-daily-usd', '10');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('recovered hook (local): hook-says-hi');
    r = await check(config, '2026-11-20T06:40:00Z', '--max-daily-usd', '10');
    expect(bodies()).toHaveLength(3);
    expect(bodies()[2]).toContain('OpenClaw budget recovered: $5.50 of $10.00 (55.0%)');
    expect(bodies()[2]).toContain('It was over budget for 35m.');

    expect(new Set(hs.events.map((e) => e.txnId)).size).toBe(3);
    expect(hookLines()).toEqual(['exceeded 5.5 5 2026-11-20', 'recovered 5.5 10 2100']);
    expect(webhookBodies.map((b) => b.kind)).toEqual(['warning', 'exceeded', 'recovered']);
    expect(webhookBodies[1]).toMatchObject({
      spendUsd: 5.5,
      budgetUsd: 5,
      scope: 'all',
      period: { kind: 'day', id: '2026-11-20', timezone: 'UTC' },
    });
  });

  it('a homeserver down for a whole run: exit 1, kept as pending, delivered late (with its time) on the next run', async () => {
    const config = writeConfig({ timeoutSeconds: 1, webhook: undefined, hooks: {} });
    state.call('2026-11-20T09:00:00Z', 6);
    for (let i = 0; i < 20; i++)
      hs.sendFaults.push({ status: 502, body: { errcode: 'M_UNKNOWN', error: 'Bad gateway' } });
    let r = await check(config, '2026-11-20T10:00:00Z', '--textfile-dir', join(dir, 'prom'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /exceeded alert for 2026-11-20 not delivered to matrix: the Matrix homeserver .* failed \(502 M_UNKNOWN: Bad gateway\).*kept pending in .*alerts\.json, the next check sends it/,
    );
    expect(JSON.parse(r.stdout).alerts.pending).toHaveLength(1);
    expect(readFileSync(join(dir, 'prom', 'openclaw_budget.prom'), 'utf8')).toContain(
      'openclaw_budget_alerts_pending 1',
    );
    expect(hs.events).toHaveLength(0);

    hs.sendFaults.length = 0;
    r = await check(config, '2026-11-20T10:05:00Z', '--textfile-dir', join(dir, 'prom'));
    expect(r.status).toBe(0);
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).toContain('Delivered late: this happened at 2026-11-20 10:00 (UTC).');
    expect(readFileSync(join(dir, 'prom', 'openclaw_budget.prom'), 'utf8')).toContain(
      'openclaw_budget_alerts_pending 0',
    );
  });

  it('a monthly budget has its own alerts, keyed by the month', async () => {
    const config = writeConfig({ webhook: undefined, hooks: {} });
    state.call('2026-11-20T09:00:00Z', 6.5);
    const r = await check(config, '2026-11-20T10:00:00Z', '--max-monthly-usd', '8');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).alerts.transitions).toEqual(['exceeded 2026-11-20', 'warning 2026-11']);
    expect(bodies()[0]).toContain('OpenClaw budget EXCEEDED: $6.50 of $5.00 (130.0%) on 2026-11-20 (UTC)');
    expect(bodies()[1]).toContain('OpenClaw budget warning: $6.50 of $8.00 (81.3%) on 2026-11 (UTC)');
    expect(bodies()[1]).toContain('by the end of the month');
    expect(bodies()[1]).not.toContain('Top models');
    expect(hs.events.map((e) => e.txnId)).toEqual([
      expect.stringContaining(':day:2026-11-20:exceeded:1'),
      expect.stringContaining(':month:2026-11:warning:1'),
    ]);
    await check(config, '2026-11-20T10:05:00Z', '--max-monthly-usd', '8');
    expect(hs.events).toHaveLength(2);
  });

  it('a run that could not read its source sends nothing new', async () => {
    const config = writeConfig();
    state.call('2026-11-20T09:00:00Z', 6);
    const r = await runInProcess([
      'check',
      '--config',
      config,
      '--source',
      join(dir, 'missing'),
      '--now',
      '2026-11-20T10:00:00Z',
      '--json',
    ]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).alerts.transitions).toEqual([]);
    expect(hs.events).toHaveLength(0);
  });

  it('--no-alert sends nothing and leaves the alert state alone', async () => {
    const config = writeConfig();
    state.call('2026-11-20T09:00:00Z', 6);
    let r = await check(config, '2026-11-20T10:00:00Z', '--no-alert');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).alerts).toBeUndefined();
    expect(hs.events).toHaveLength(0);
    r = await check(config, '2026-11-20T10:05:00Z');
    expect(hs.events).toHaveLength(1);
  });

  it('a rejected token: exit 1, says which token to fix, never prints it', async () => {
    writeFileSync(join(dir, 'token'), 'syt_revoked_token_abcdef\n', { mode: 0o600 });
    const config = writeConfig({ webhook: undefined, hooks: {} });
    state.call('2026-11-20T09:00:00Z', 6);
    const r = await check(config, '2026-11-20T10:00:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `rejected the access token from file ${join(dir, 'token')} (401 M_UNKNOWN_TOKEN: Invalid access token passed.)`,
    );
    expect(r.stdout + r.stderr).not.toContain('syt_revoked_token_abcdef');
  });

  it('warns when the config holds the token inline and is readable by others', async () => {
    const config = writeConfig(
      { matrix: { homeserver: hs.url, room: ROOM, accessToken: TOKEN }, webhook: undefined, hooks: {} },
      0o644,
    );
    const r = await check(config, '2026-11-20T10:00:00Z');
    expect(r.stderr).toContain(
      `config file ${config} holds alerts.matrix.accessToken but is readable by group or others (mode 0644): run chmod 600`,
    );
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    chmodSync(config, 0o600);
    expect((await check(config, '2026-11-20T10:05:00Z')).stderr).toBe('');
  });
});

describe('alert test', () => {
  it('sends a test message to every channel and reports each', async () => {
    const config = writeConfig();
    const r = await runInProcess(['alert', 'test', '--config', config]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^matrix: ok: \$ev1 in !ops:fake\nwebhook: ok: 200 from http:\/\/127\.0\.0\.1:\d+\/…\n$/);
    expect(bodies()[0]).toMatch(/^openclaw-budget test message from .+: alerts reach this room\. Budget \$5\.00 a day/);
    expect(webhookBodies.map((b) => b.kind)).toEqual(['test']);
    expect(hookLines()).toEqual([]);
  });

  it('reports the exact failure: not in the room', async () => {
    const config = writeConfig({
      matrix: { homeserver: hs.url, room: '!other:fake', accessTokenFile: join(dir, 'token') },
      webhook: undefined,
    });
    const r = await runInProcess(['alert', 'test', '--config', config]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^matrix: FAILED: @bot:fake may not post in !other:fake \(403 M_FORBIDDEN: .*\): invite it to the room/,
    );
  });

  it('without a channel it is a usage error', async () => {
    const path = join(dir, 'empty.json');
    writeFileSync(path, '{}');
    const r = await runInProcess(['alert', 'test', '--config', path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no alert channel configured');
  });
});

describe('matrix-js-sdk is loaded lazily', () => {
  // Hooks that fail any import or require of matrix-js-sdk (the CLI's bundle requires it, the dist modules import
  // it): a run that loads it cannot pass unnoticed.
  const guard = () => {
    const test = `(s) => s === 'matrix-js-sdk' || s.startsWith('matrix-js-sdk/')`;
    const hooks = `export async function resolve(s, c, next) { if ((${test})(s)) throw new Error('matrix-js-sdk was loaded'); return next(s, c); }`;
    const path = join(dir, 'guard.mjs');
    writeFileSync(
      path,
      [
        `import Module, { register } from 'node:module';`,
        `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`,
        'const resolveFilename = Module._resolveFilename;',
        `Module._resolveFilename = function (s, ...rest) { if ((${test})(s)) throw new Error('matrix-js-sdk was loaded'); return resolveFilename.call(this, s, ...rest); };`,
        '',
      ].join('\n'),
    );
    return ['--import', path];
  };

  it('importing the check pipeline does not load it; loading the Matrix sink on demand does', async () => {
    const pipeline = await runCli([], cleanEnv(), [
      ...guard(),
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(`${ROOT}dist/pipeline/check.js`)}); console.log('imported')`,
    ]);
    expect(pipeline.stdout).toBe('imported\n');
    // (runCli appends the bin path as the script's first argument; -e ignores it.)
    const sdk = await runCli([], cleanEnv(), [
      ...guard(),
      '--input-type=module',
      '-e',
      `await (await import(${JSON.stringify(`${ROOT}dist/sinks/matrix-sdk.js`)})).loadMatrixSdk()`,
    ]);
    expect(sdk.status).not.toBe(0);
    expect(sdk.stderr).toContain('matrix-js-sdk was loaded');
  });

  it('a check with Matrix configured but nothing to send never loads it', async () => {
    const config = writeConfig({ webhook: undefined, hooks: {} });
    state.call('2026-11-20T09:00:00Z', 1);
    const quiet = await runCli(
      ['check', '--config', config, '--source', state.dir, '--now', '2026-11-20T10:00:00Z'],
      cleanEnv(),
      guard(),
    );
    expect(quiet.stderr).toBe('');
    expect(quiet.status).toBe(0);
    state.call('2026-11-20T10:30:00Z', 5);
    const loud = await runCli(
      ['check', '--config', config, '--source', state.dir, '--now', '2026-11-20T11:00:00Z'],
      cleanEnv(),
      guard(),
    );
    expect(loud.status).toBe(1);
    expect(loud.stderr).toContain('matrix-js-sdk was loaded');
  });
});
