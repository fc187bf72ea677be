// Issue 12: never a silent $0 or a false OK. Each block reproduces one fault seen on an earlier main.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runCli, runCliAwait } from '../support/cli.js';
import { OpenClawState } from '../support/openclaw-state.js';
import { sessionHeader } from '../support/transcripts.js';

let work: string;
let stateDir: string;
let promDir: string;
let flag: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'ocb-honest-'));
  stateDir = join(work, 'state');
  promDir = join(work, 'prom');
  flag = join(work, 'flag');
});

interface Summary {
  date: string;
  totalCostUsd: number;
  status: string;
  complete: boolean;
  incomplete?: string[];
  monthlyCostUsd: number;
  models: { calls: number; costUsd: number }[];
  sources: {
    name: string;
    ok: boolean;
    callsAdded: number;
    bytesRead: number;
    skippedLines: Record<string, number>;
    error?: string;
  }[];
  forecast: { todayUsd: number; endOfDayUsd: number; monthToDateUsd: number; endOfMonthUsd: number };
}

function check(source: string, extra: string[] = [], env = cleanEnv()) {
  const r = runCli(
    [
      'check',
      '--json',
      '--no-alert',
      '--source',
      source,
      '--state-dir',
      stateDir,
      '--textfile-dir',
      promDir,
      '--flag-file',
      flag,
      '--timezone',
      'UTC',
      ...extra,
    ],
    env,
  );
  let json: Summary | undefined;
  try {
    json = JSON.parse(r.stdout) as Summary;
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

const prom = () => readFileSync(join(promDir, 'openclaw_budget.prom'), 'utf8');
const metric = (name: string) => {
  const line = prom()
    .split('\n')
    .find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

function assistantLine(iso: string, usage: Record<string, unknown>): string {
  return `${JSON.stringify({ type: 'message', timestamp: iso, message: { role: 'assistant', provider: 'anthropic', model: 'claude-opus-4-5', usage, timestamp: Date.parse(iso) } })}\n`;
}

describe('absurd numbers (12.7)', () => {
  it('a line with 1e308 tokens is skipped as implausible: finite figures everywhere, and the next run agrees', () => {
    const oc = new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    const file = join(work, 'oc', 'agents', 'main', 'sessions', 'a1b2c3d4-0000-4000-8000-000000000001.jsonl');
    appendFileSync(file, assistantLine('2026-11-20T11:00:00Z', { input: 1e308, output: 1e308, cost: { total: 0.5 } }));
    void oc;
    const first = check(join(work, 'oc'), ['--now', '2026-11-20T12:00:00Z']);
    expect(first.status).toBe(0);
    expect(first.stdout).not.toMatch(/Infinity|NaN|"totalCostUsd":null/);
    expect(first.json).toMatchObject({ totalCostUsd: 1.5, status: 'ok' });
    expect(first.json?.sources[0]?.skippedLines.implausible).toBe(1);
    expect(prom()).not.toMatch(/Inf|NaN/);
    expect(metric('openclaw_daily_cost_usd')).toBe(1.5);
    const second = check(join(work, 'oc'), ['--now', '2026-11-20T12:05:00Z']);
    expect(second.stderr).toBe('');
    expect(second.json).toMatchObject({ totalCostUsd: 1.5, status: 'ok' });
  });

  it('the ledger reader applies the same bound: an old implausible ledger line is skipped and ledger verify names it', () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    check(join(work, 'oc'), ['--now', '2026-11-20T12:00:00Z']);
    const part = join(stateDir, 'ledger', '2026-11-20.jsonl');
    const rec = JSON.parse(readFileSync(part, 'utf8').split('\n')[0] as string) as Record<string, unknown>;
    appendFileSync(part, `${JSON.stringify({ ...rec, msgTs: 1, input: 5e10, costUsd: 1e300 })}\n`);
    const r = check(join(work, 'oc'), ['--now', '2026-11-20T12:05:00Z']);
    expect(r.json?.totalCostUsd).toBe(1.5);
    const v = runCli(['ledger', 'verify', '--state-dir', stateDir], cleanEnv());
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/implausible/);
  });
});

describe('incomplete results (12.4)', () => {
  it('a complete run says so: complete true, openclaw_budget_complete 1', () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    const r = check(join(work, 'oc'), ['--now', '2026-11-20T12:00:00Z']);
    expect(r.json).toMatchObject({ complete: true, incomplete: [] });
    expect(metric('openclaw_budget_complete')).toBe(1);
  });

  it('one gateway unread next to a good one: lower bound in the headline, the JSON and the metrics; never a plain OK', () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    const config = join(work, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        gateways: [
          { name: 'good', path: join(work, 'oc') },
          { name: 'gone', path: join(work, 'missing') },
        ],
      }),
    );
    const args = [
      'check',
      '--no-alert',
      '--config',
      config,
      '--state-dir',
      stateDir,
      '--textfile-dir',
      promDir,
      '--timezone',
      'UTC',
      '--now',
      '2026-11-20T12:00:00Z',
    ];
    const human = runCli(args, cleanEnv());
    expect(human.status).toBe(1);
    const headline = human.stdout.split('\n')[0] as string;
    expect(headline).toMatch(/at least \$1\.50 of \$5\.00/);
    expect(headline).toMatch(/INCOMPLETE/);
    expect(headline).not.toMatch(/\bOK\b/);
    expect(human.stdout).toMatch(/incomplete: gateway gone was not read/);
    const json = JSON.parse(runCli([...args, '--json'], cleanEnv()).stdout) as Summary;
    expect(json).toMatchObject({ totalCostUsd: 1.5, status: 'ok', complete: false });
    expect(json.incomplete?.join('\n')).toMatch(/gateway gone was not read/);
    expect(metric('openclaw_budget_complete')).toBe(0);
    expect(metric('openclaw_budget_check_success')).toBe(0);
  });

  it('a full disk during the ledger write: not OK, complete false, exit 1, and the next run records it all', () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    const full = cleanEnv({ NODE_OPTIONS: `--require ${join(ROOT, 'test', 'support', 'full-disk.cjs')}` });
    const r = check(join(work, 'oc'), ['--now', '2026-11-20T12:00:00Z'], full);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ENOSPC/);
    expect(r.json).toMatchObject({ complete: false });
    expect(r.json?.sources[0]).toMatchObject({ ok: false });
    expect(metric('openclaw_budget_complete')).toBe(0);
    const human = runCli(
      [
        'check',
        '--no-alert',
        '--source',
        join(work, 'oc'),
        '--state-dir',
        stateDir,
        '--timezone',
        'UTC',
        '--now',
        '2026-11-20T12:00:00Z',
      ],
      full,
    );
    expect(human.stdout.split('\n')[0]).toMatch(/at least \$0\.00 .*INCOMPLETE/);
    expect(human.stdout.split('\n')[0]).not.toMatch(/\bOK\b/);
    const after = check(join(work, 'oc'), ['--now', '2026-11-20T12:05:00Z']);
    expect(after.json).toMatchObject({ complete: true, totalCostUsd: 1.5 });
  });
});

describe('not a state dir (12.3)', () => {
  it('an empty dir, <state>/agents, a sessions folder and a repository are refused, naming what was expected', () => {
    const oc = join(work, 'oc');
    new OpenClawState(oc).call('2026-11-20T10:00:00Z', 1.5);
    mkdirSync(join(work, 'empty'));
    const cases: [string, RegExp][] = [
      [join(work, 'empty'), /is empty: expected an OpenClaw state dir/],
      [join(oc, 'agents'), /agents folder of a state dir.*pass its parent/],
      [join(oc, 'agents', 'main', 'sessions'), /folder of transcripts, not a state dir: pass the state dir \(.*oc\)/],
      [ROOT.replace(/\/$/, ''), /not an OpenClaw state dir/],
    ];
    for (const [source, message] of cases) {
      const human = runCli(
        [
          'check',
          '--no-alert',
          '--source',
          source,
          '--state-dir',
          stateDir,
          '--timezone',
          'UTC',
          '--now',
          '2026-11-20T12:00:00Z',
        ],
        cleanEnv(),
      );
      expect(human.status, source).toBe(1);
      expect(human.stderr, source).toMatch(message);
      expect(human.stdout.split('\n')[0], source).not.toMatch(/\bOK\b/);
      const r = check(source, ['--now', '2026-11-20T12:00:00Z']);
      expect(r.json, source).toMatchObject({ complete: false });
      expect(r.json?.sources[0]?.ok, source).toBe(false);
    }
    const right = check(oc, ['--now', '2026-11-20T12:00:00Z']);
    expect(right.json).toMatchObject({ complete: true, totalCostUsd: 1.5 });
  });

  it('doctor says the same', () => {
    mkdirSync(join(work, 'empty'));
    const r = runCli(['doctor', '--source', join(work, 'empty'), '--state-dir', stateDir, '--json'], cleanEnv());
    const checks = (JSON.parse(r.stdout) as { checks: { name: string; status: string; detail: string }[] }).checks;
    expect(checks.find((c) => c.name.startsWith('gateway'))).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/is empty: expected an OpenClaw state dir/),
    });
  });
});

describe('secrets never reach an output (12.10)', () => {
  it('a canary in the webhook URL (password, path, query), the signing secret and the Matrix token: in no channel', async () => {
    const { createServer } = await import('node:http');
    // A hostile server: echoes every request's headers and URL in its error body, as some proxies do.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.url?.startsWith('/hook') ? 404 : 403, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errcode: 'M_UNKNOWN',
            error: `echo ${req.method} ${req.url} ${JSON.stringify(req.headers)}`,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 3).call('2026-11-20T11:00:00Z', 3);
      const tokenFile = join(work, 'matrix-token');
      writeFileSync(tokenFile, 'syt_CanaryMatrixToken_0123456789', { mode: 0o600 });
      const config = join(work, 'config.json');
      writeFileSync(
        config,
        JSON.stringify({
          stateDir,
          textfileDir: promDir,
          flagFile: flag,
          timezone: 'UTC',
          gateways: [{ name: 'home', path: join(work, 'oc') }],
          alerts: {
            timeoutSeconds: 2,
            webhook: {
              url: `http://bot:CanaryPassword99@127.0.0.1:${port}/hook/CanaryPathSecret0123456789?token=CanaryQueryToken77`,
              secret: 'CanarySigningSecret55',
            },
            matrix: { homeserver: `http://127.0.0.1:${port}`, room: '!room:example.org', accessTokenFile: tokenFile },
          },
        }),
        { mode: 0o600 },
      );
      const env = cleanEnv();
      const outputs: string[] = [];
      const run = async (args: string[]) => {
        const r = await runCliAwait(args, env);
        outputs.push(`$ ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
        return r;
      };
      await run(['check', '--config', config, '--now', '2026-11-20T12:00:00Z']);
      await run(['check', '--config', config, '--now', '2026-11-20T12:05:00Z', '--json']);
      await run(['check', '--config', config, '--now', '2026-11-20T12:10:00Z', '-v']);
      await run(['check', '--config', config, '--now', '2026-11-20T12:15:00Z', '-q']);
      const test = await run(['alert', 'test', '--config', config]);
      expect(test.status).toBe(1);
      await run(['doctor', '--config', config]);
      await run(['doctor', '--config', config, '--json']);
      await run(['report', '--config', config, '--now', '2026-11-20T12:20:00Z']);
      const all = outputs.join('\n');
      // The runs did meet the secrets: the alert failed against this server, and doctor asked it.
      expect(all).toMatch(/webhook/);
      expect(all).toMatch(/matrix/i);
      expect(all).not.toMatch(/Canary/i);
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const p = join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (p !== config && p !== tokenFile) files.push(p);
        }
      };
      walk(work);
      expect(files.some((f) => f.endsWith('alerts.json'))).toBe(true);
      expect(existsSync(flag)).toBe(true);
      for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/Canary/i);
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('paths (12.11)', () => {
  it('--state-dir under /proc fails at once with a clear message (it used to hang in recursive mkdir)', async () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    const r = await runCliAwait(
      [
        'check',
        '--no-alert',
        '--source',
        join(work, 'oc'),
        '--state-dir',
        '/proc/openclaw-budget-test',
        '--now',
        '2026-11-20T12:00:00Z',
      ],
      cleanEnv(),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot create \/proc\/openclaw-budget-test/);
  }, 20_000);

  it('doctor fails a state dir below a dangling symlink, which check cannot create either', () => {
    symlinkSync(join(work, 'nowhere'), join(work, 'link'));
    const below = join(work, 'link', 'state');
    const d = runCli(['doctor', '--source', join(work, 'oc'), '--state-dir', below, '--json'], cleanEnv());
    const checks = (JSON.parse(d.stdout) as { checks: { name: string; status: string; detail: string }[] }).checks;
    expect(checks.find((c) => c.name === 'state dir')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/symlink to .*nowhere, which does not exist/),
    });
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    const c = runCli(['check', '--no-alert', '--source', join(work, 'oc'), '--state-dir', below], cleanEnv());
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/symlink to .*nowhere, which does not exist/);
  });

  it('report and ledger verify refuse a mistyped state dir instead of printing zeros; report --gateway names the known ones', () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    check(join(work, 'oc'), ['--now', '2026-11-20T12:00:00Z']);
    const typo = join(work, 'stat');
    const report = runCli(['report', '--state-dir', typo, '--now', '2026-11-20T12:00:00Z'], cleanEnv());
    expect(report.status).toBe(2);
    expect(report.stderr).toMatch(/state dir .*stat does not exist/);
    const verify = runCli(['ledger', 'verify', '--state-dir', typo], cleanEnv());
    expect(verify.status).toBe(2);
    mkdirSync(typo);
    expect(runCli(['ledger', 'verify', '--state-dir', typo], cleanEnv()).stderr).toMatch(/no ledger in .*stat/);
    const ok = runCli(
      ['report', '--state-dir', stateDir, '--timezone', 'UTC', '--now', '2026-11-20T12:00:00Z', '--json'],
      cleanEnv(),
    );
    expect(ok.status).toBe(0);
    const gw = runCli(
      ['report', '--state-dir', stateDir, '--timezone', 'UTC', '--now', '2026-11-20T12:00:00Z', '--gateway', 'nosuch'],
      cleanEnv(),
    );
    expect(gw.status).toBe(2);
    expect(gw.stderr).toMatch(/--gateway nosuch: no such gateway.*known gateways: local/);
  });

  it('temp files left by a killed run are removed by the next run (only stale ones, only ours)', () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5);
    check(join(work, 'oc'), ['--now', '2026-11-20T12:00:00Z']);
    // pid 2^22+1 is above Linux's pid_max ceiling: never a live process.
    const dead = 4194305;
    const left = [
      join(stateDir, `.state.json.${dead}.0123abcd.tmp`),
      join(stateDir, 'cursors', `.local.json.${dead}.0123abcd.tmp`),
      join(promDir, `.openclaw_budget.prom.${dead}.89abcdef.tmp`),
      join(stateDir, `lock.${dead}.0badf00d.tmp`),
    ];
    const alive = join(stateDir, `.state.json.${process.pid}.0123abcd.tmp`);
    const foreign = join(promDir, `.node_other.prom.${dead}.89abcdef.tmp`);
    for (const f of [...left, alive, foreign]) writeFileSync(f, 'partial');
    const r = check(join(work, 'oc'), ['--now', '2026-11-20T12:05:00Z']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/removed 4 temp file\(s\) left by an interrupted run/);
    for (const f of left) expect(existsSync(f), f).toBe(false);
    expect(existsSync(alive)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
  });
});

describe('duplicates across day files (12.6)', () => {
  it('check and report count a call copied into another day file once, as ledger verify says', () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-20T10:00:00Z', 1.5).call('2026-11-21T10:00:00Z', 2);
    check(join(work, 'oc'), ['--now', '2026-11-21T12:00:00Z']);
    const first = readFileSync(join(stateDir, 'ledger', '2026-11-20.jsonl'), 'utf8').split('\n')[0] as string;
    const copy = { ...(JSON.parse(first) as Record<string, unknown>), at: Date.parse('2026-11-21T11:00:00Z') };
    appendFileSync(join(stateDir, 'ledger', '2026-11-21.jsonl'), `${JSON.stringify(copy)}\n`);
    const day = check(join(work, 'oc'), ['--now', '2026-11-21T12:05:00Z']);
    expect(day.json).toMatchObject({ totalCostUsd: 2, monthlyCostUsd: 3.5 });
    expect(day.json?.models[0]?.calls).toBe(1);
    const report = runCli(
      [
        'report',
        '--state-dir',
        stateDir,
        '--timezone',
        'UTC',
        '--since',
        '2026-11-20',
        '--until',
        '2026-11-21',
        '--now',
        '2026-11-21T12:05:00Z',
        '--json',
      ],
      cleanEnv(),
    );
    expect((JSON.parse(report.stdout) as { totals: { calls: number; costUsd: number } }).totals).toMatchObject({
      calls: 2,
      costUsd: 3.5,
    });
    const verify = runCli(['ledger', 'verify', '--state-dir', stateDir], cleanEnv());
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/2026-11-21: 1 duplicate call/);
    expect(verify.stdout).toMatch(/count duplicates once/);
  });
});

describe('ledger deleted or truncated under its cursors (12.5)', () => {
  it('is detected, re-read from what the gateway still holds, and what is gone for good is said loudly', () => {
    const oc = join(work, 'oc');
    new OpenClawState(oc)
      .call('2026-11-19T10:00:00Z', 1)
      .call('2026-11-20T08:00:00Z', 2)
      .call('2026-11-20T09:00:00Z', 4);
    // A second session whose transcript will be gone (a reaped cron session) by the time the ledger is damaged.
    const reaped = join(oc, 'agents', 'main', 'sessions', 'a1b2c3d4-0000-4000-8000-000000000002.jsonl');
    writeFileSync(
      reaped,
      sessionHeader(Date.parse('2026-11-19T00:00:00Z')) +
        assistantLine('2026-11-19T11:00:00Z', { input: 1, cost: { total: 8 } }),
    );
    const first = check(oc, ['--now', '2026-11-20T12:00:00Z']);
    expect(first.json).toMatchObject({ totalCostUsd: 6, monthlyCostUsd: 15, complete: true });
    expect(runCli(['ledger', 'verify', '--state-dir', stateDir], cleanEnv()).status).toBe(0);

    // Damage: yesterday's day file deleted, today's truncated to its first line; the reaped transcript is gone.
    rmSync(join(stateDir, 'ledger', '2026-11-19.jsonl'));
    const today = join(stateDir, 'ledger', '2026-11-20.jsonl');
    truncateSync(today, readFileSync(today, 'utf8').indexOf('\n') + 1);
    rmSync(reaped);
    const verify = runCli(['ledger', 'verify', '--state-dir', stateDir], cleanEnv());
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/2026-11-19: 2 call\(s\) LOST/);
    const doctor = runCli(['doctor', '--source', oc, '--state-dir', stateDir, '--json'], cleanEnv());
    const ledgerCheck = (
      JSON.parse(doctor.stdout) as { checks: { name: string; status: string; detail: string }[] }
    ).checks.find((c) => c.name === 'ledger');
    expect(ledgerCheck).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/2026-11-19, 2026-11-20 deleted or truncated/),
    });
    expect(verify.stdout).toMatch(/2026-11-20: 1 call\(s\) LOST/);

    const after = check(oc, ['--now', '2026-11-20T12:05:00Z']);
    expect(after.status).toBe(0);
    expect(after.stderr).toMatch(
      /2026-11-19\.jsonl is gone; it held 2 call\(s\): re-reading every gateway since 2026-11-19/,
    );
    expect(after.stderr).toMatch(/2026-11-20\.jsonl was truncated/);
    expect(after.stderr).toMatch(/every call of 2026-11-20 was recovered/);
    expect(after.stderr).toMatch(/1 call\(s\) of 2026-11-19 could NOT be recovered/);
    // Today is whole again; the month lacks the reaped session's $8 and says it is a lower bound.
    expect(after.json).toMatchObject({ totalCostUsd: 6, monthlyCostUsd: 7, complete: false });
    expect(after.json?.incomplete?.join('\n')).toMatch(/1 call of 2026-11-19 was lost/);
    expect(metric('openclaw_budget_complete')).toBe(0);

    // Settled: the next run reads nothing again, and still says what was lost.
    const next = check(oc, ['--now', '2026-11-20T12:10:00Z']);
    expect(next.stderr).toBe('');
    expect(next.json?.sources[0]?.callsAdded).toBe(0);
    expect(next.json).toMatchObject({ totalCostUsd: 6, complete: false });
    const still = runCli(['ledger', 'verify', '--state-dir', stateDir], cleanEnv());
    expect(still.status).toBe(1);
    expect(still.stdout).toMatch(/2026-11-19: 1 call\(s\) LOST/);
  });
});

describe('ledger recovery with a gateway down (12.5)', () => {
  it('the unread gateway keeps its reset cursors and brings its calls back when reachable; the loss shrinks to none', () => {
    new OpenClawState(join(work, 'a')).call('2026-11-19T10:00:00Z', 1);
    new OpenClawState(join(work, 'b')).call('2026-11-19T12:00:00Z', 2);
    const config = join(work, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        gateways: [
          { name: 'a', path: join(work, 'a') },
          { name: 'b', path: join(work, 'b') },
        ],
      }),
    );
    const run = (now: string) => {
      const r = runCli(
        [
          'check',
          '--json',
          '--no-alert',
          '--config',
          config,
          '--state-dir',
          stateDir,
          '--timezone',
          'UTC',
          '--now',
          now,
        ],
        cleanEnv(),
      );
      return { ...r, json: JSON.parse(r.stdout) as Summary };
    };
    expect(run('2026-11-20T12:00:00Z').json).toMatchObject({ monthlyCostUsd: 3, complete: true });
    rmSync(join(stateDir, 'ledger', '2026-11-19.jsonl'));
    renameSync(join(work, 'b'), join(work, 'b-away'));
    const down = run('2026-11-20T12:05:00Z');
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/ledger: b not read: re-read as soon as reachable/);
    expect(down.stderr).toMatch(/1 call\(s\) of 2026-11-19 could NOT be recovered/);
    expect(down.json).toMatchObject({ monthlyCostUsd: 1, complete: false });
    renameSync(join(work, 'b-away'), join(work, 'b'));
    const back = run('2026-11-20T12:10:00Z');
    expect(back.status).toBe(0);
    expect(back.json).toMatchObject({ monthlyCostUsd: 3, complete: true });
    expect(runCli(['ledger', 'verify', '--state-dir', stateDir], cleanEnv()).status).toBe(0);
  });
});

describe('the whole ledger deleted, manifest and all (12.5)', () => {
  it('an empty ledger under cursors that read data is re-read from everything the gateway still holds', () => {
    new OpenClawState(join(work, 'oc')).call('2026-11-19T10:00:00Z', 1).call('2026-11-20T10:00:00Z', 2);
    expect(check(join(work, 'oc'), ['--now', '2026-11-20T12:00:00Z']).json).toMatchObject({
      totalCostUsd: 2,
      monthlyCostUsd: 3,
    });
    rmSync(join(stateDir, 'ledger'), { recursive: true });
    rmSync(join(stateDir, 'ledger-manifest.json'));
    const r = check(join(work, 'oc'), ['--now', '2026-11-20T12:05:00Z']);
    expect(r.stderr).toMatch(/ledger: it is empty, but the cursors say transcripts were read before/);
    expect(r.json).toMatchObject({ totalCostUsd: 2, monthlyCostUsd: 3, complete: true });
    const again = check(join(work, 'oc'), ['--now', '2026-11-20T12:10:00Z']);
    expect(again.stderr).toBe('');
    expect(again.json?.sources[0]?.bytesRead).toBe(0);
  });
});
