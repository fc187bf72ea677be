import { describe, expect, it } from 'vitest';
import {
  judgeFlagFile,
  judgeGateway,
  judgeLedger,
  judgeNodeExporter,
  judgePricing,
  judgeScrape,
  judgeStateDir,
  judgeTextfileDir,
  judgeUnit,
} from './judge.js';
import { doctorOk } from './result.js';

const dir = (over: Partial<Parameters<typeof judgeStateDir>[0]> = {}) => ({
  path: '/d',
  exists: true,
  isDir: true,
  writable: true,
  ...over,
});

describe('doctor verdicts', () => {
  it('state dir: writable, to be created, or not writable with a fix', () => {
    expect(judgeStateDir(dir(), 'root').status).toBe('pass');
    expect(
      judgeStateDir(
        dir({ exists: false, isDir: false, writable: false, ancestor: { path: '/', writable: true } }),
        'root',
      ).status,
    ).toBe('pass');
    const bad = judgeStateDir(dir({ writable: false, error: 'EACCES' }), 'sam');
    expect(bad).toMatchObject({ status: 'fail', detail: '/d is not writable by sam (EACCES)' });
    expect(bad.fix).toContain('chown sam /d');
    expect(judgeStateDir(dir({ isDir: false }), 'sam').status).toBe('fail');
  });

  it('textfile dir: unset is a warning, missing or read-only a failure', () => {
    expect(judgeTextfileDir(undefined, undefined, 'root').status).toBe('warn');
    expect(judgeTextfileDir('/d', dir({ exists: false, isDir: false }), 'root').status).toBe('fail');
    expect(judgeTextfileDir('/d', dir({ writable: false }), 'root').status).toBe('fail');
    expect(judgeTextfileDir('/d', dir(), 'root').status).toBe('pass');
  });

  it('node_exporter: reads our dir, reads another, has the collector off, or is not running', () => {
    expect(
      judgeNodeExporter('/t', '/t', [
        { pid: 7, dirs: ['/x'] },
        { pid: 8, dirs: ['/t'] },
      ]),
    ).toMatchObject({ status: 'pass', detail: 'node_exporter (pid 8) reads /t' });
    const other = judgeNodeExporter('/t', '/t', [{ pid: 7, dirs: ['/x'] }]);
    expect(other).toMatchObject({ status: 'fail', detail: 'node_exporter (pid 7) reads /x, not /t' });
    expect(other.fix).toContain('set textfileDir to /x');
    expect(judgeNodeExporter('/t', '/t', [{ pid: 7, dirs: [] }]).detail).toContain('textfile collector off');
    expect(judgeNodeExporter('/t', '/t', []).status).toBe('warn');
    expect(judgeNodeExporter('/link', '/real', [{ pid: 7, dirs: ['/real'] }]).status).toBe('pass');
    expect(judgeNodeExporter(undefined, undefined, []).status).toBe('skip');
  });

  it('scrape: serves our file, reports a scrape error, or has not seen the file', () => {
    const served = 'node_textfile_mtime_seconds{file="/t/openclaw_budget.prom"} 1.7e9\nnode_textfile_scrape_error 0\n';
    expect(judgeScrape('u', served, 'openclaw_budget.prom', true).status).toBe('pass');
    const oldStyle = 'node_textfile_mtime_seconds{file="openclaw_budget.prom"} 1.7e9\nnode_textfile_scrape_error 0\n';
    expect(judgeScrape('u', oldStyle, 'openclaw_budget.prom', true).status).toBe('pass');
    expect(judgeScrape('u', `${served.replace('error 0', 'error 1')}`, 'openclaw_budget.prom', true).status).toBe(
      'fail',
    );
    expect(judgeScrape('u', 'node_textfile_scrape_error 0\n', 'openclaw_budget.prom', true).status).toBe('fail');
    expect(judgeScrape('u', 'node_textfile_scrape_error 0\n', 'openclaw_budget.prom', false).status).toBe('warn');
    expect(judgeScrape('u', new Error('ECONNREFUSED'), 'openclaw_budget.prom', false).status).toBe('warn');
  });

  it('flag file: reports whether it is set; a missing runtime dir is fine under systemd', () => {
    expect(judgeFlagFile('/d/f', dir(), true, false).detail).toContain('set: the budget is exceeded');
    expect(
      judgeFlagFile('/run/x/f', dir({ path: '/run/x', exists: false, isDir: false, writable: false }), false, true)
        .status,
    ).toBe('pass');
    expect(judgeFlagFile('/d/f', dir({ writable: false }), false, false).status).toBe('fail');
    expect(judgeFlagFile(undefined, undefined, false, false).status).toBe('warn');
  });

  it('gateway: error, empty, unreadable, stale, fine', () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    expect(
      judgeGateway({ name: 'g', error: 'no OpenClaw state dir found at /x', transcripts: 0, databases: 0 }, now),
    ).toMatchObject({ status: 'fail', name: 'gateway g' });
    expect(judgeGateway({ name: 'g', transcripts: 0, databases: 0 }, now).status).toBe('fail');
    expect(
      judgeGateway(
        { name: 'g', transcripts: 2, databases: 0, newestMtimeMs: now - 60_000, newestPath: '/p', readError: 'EACCES' },
        now,
      ).status,
    ).toBe('fail');
    expect(
      judgeGateway({ name: 'g', transcripts: 2, databases: 0, newestMtimeMs: now - 10 * 86_400_000 }, now).status,
    ).toBe('warn');
    expect(judgeGateway({ name: 'g', transcripts: 2, databases: 0, newestMtimeMs: now - 180_000 }, now)).toMatchObject({
      status: 'pass',
      detail: '2 transcripts, newest written 3 min ago (readable)',
    });
    expect(judgeGateway({ name: 'g', transcripts: 1, databases: 1, newestMtimeMs: now - 5000 }, now).detail).toBe(
      '1 transcript and 1 SQLite database, newest written 5 s ago (readable)',
    );
  });

  it('pricing: names every unpriced model with its call count', () => {
    expect(judgePricing({ calls: 0, models: 0, unpriced: new Map() }).status).toBe('pass');
    expect(judgePricing({ calls: 5, models: 2, unpriced: new Map() }).status).toBe('pass');
    const bad = judgePricing({ calls: 5, models: 2, unpriced: new Map([['acme/x-1', 3]]) });
    expect(bad).toMatchObject({ status: 'fail', detail: 'no price for acme/x-1 (3 calls): they are counted as $0' });
    expect(bad.fix).toContain('"acme/x-1"');
  });

  it('systemd unit: the sandbox must let the service write where the config points', () => {
    const unit = {
      path: '/etc/systemd/system/u.service',
      writable: ['/var/lib/openclaw-budget', '/run/openclaw-budget', '/t'],
      configPath: '/etc/c.json',
    };
    const wants = [
      { what: 'stateDir', path: '/var/lib/openclaw-budget' },
      { what: 'textfileDir', path: '/t' },
    ];
    expect(judgeUnit(unit, '/etc/c.json', wants).status).toBe('pass');
    expect(judgeUnit(unit, '/etc/c.json', [...wants, { what: 'flagFile', path: '/srv/flags' }])).toMatchObject({
      status: 'fail',
    });
    expect(judgeUnit(unit, '/elsewhere.json', wants).status).toBe('warn');
    expect(judgeUnit(undefined, undefined, wants).status).toBe('skip');
  });

  it('doctor fails on any failed check, not on warnings', () => {
    expect(
      doctorOk([
        { name: 'a', status: 'pass', detail: '' },
        { name: 'b', status: 'warn', detail: '' },
      ]),
    ).toBe(true);
    expect(doctorOk([{ name: 'a', status: 'fail', detail: '' }])).toBe(false);
  });
});

describe('judgeLedger (issue 12.5)', () => {
  it('fails while a day file is deleted or truncated, warns about calls lost for good, passes otherwise', () => {
    expect(judgeLedger({ damaged: [], lost: {} }).status).toBe('pass');
    expect(judgeLedger({ damaged: ['2026-11-19'], lost: {} })).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/2026-11-19 deleted or truncated/),
    });
    expect(judgeLedger({ damaged: [], lost: { '2026-11-19': 1 } })).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/2026-11-19 \(1 call\)/),
    });
  });
});
