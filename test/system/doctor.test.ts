// doctor against a real node_exporter: everything passes on a good setup, and each thing broken on purpose fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { sampleState, tempDir } from '../support/sample.js';
import { startNodeExporter } from './support/servers.js';

interface Check {
  name: string;
  status: string;
  detail: string;
  fix?: string;
}

let exporter: Awaited<ReturnType<typeof startNodeExporter>>;
let dir: string;
let textfile: string;
let gateway: string;

function config(over: Record<string, unknown> = {}): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      stateDir: join(dir, 'state'),
      textfileDir: textfile,
      flagFile: join(dir, 'flag'),
      gateways: [{ name: 'home', path: gateway }],
      ...over,
    }),
  );
  return path;
}

async function doctor(path: string) {
  const r = runCli(['doctor', '--json', '--config', path]);
  const report = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  return { code: r.status, report, check: (name: string) => report.checks.find((c) => c.name === name) as Check };
}

beforeAll(async () => {
  dir = tempDir('ocb-doctor-sys-');
  textfile = join(dir, 'textfile');
  mkdirSync(textfile);
  gateway = sampleState(join(dir, 'openclaw'), [{ at: new Date(Date.now() - 120_000).toISOString(), cost: 0.0075 }]);
  exporter = await startNodeExporter(textfile);
  const first = runCli(['check', '--config', config(), '--quiet']);
  if (first.status !== 0) throw new Error(`the first check failed: ${first.stderr}`);
});

afterAll(async () => {
  await exporter?.stop();
});

describe('doctor with a real node_exporter', () => {
  it('passes everything on a working setup, finding node_exporter by its command line and its scrape', async () => {
    const { code, report, check } = await doctor(config());
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    expect(code).toBe(0);
    expect(check('node_exporter').detail).toBe(`node_exporter (pid ${exporter.pid}) reads ${textfile}`);
    expect(check('node_exporter scrape').detail).toBe(
      `http://127.0.0.1:${exporter.port}/metrics serves openclaw_budget.prom with no textfile scrape error`,
    );
  });

  it('fails when the textfile dir is not where node_exporter looks', async () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    const { code, check } = await doctor(config({ textfileDir: elsewhere }));
    expect(code).toBe(1);
    expect(check('node_exporter')).toMatchObject({
      status: 'fail',
      detail: `node_exporter (pid ${exporter.pid}) reads ${textfile}, not ${elsewhere}`,
    });
    expect(check('node_exporter').fix).toContain(`set textfileDir to ${textfile}`);
  });

  it('fails when node_exporter reports a textfile scrape error', async () => {
    const broken = join(textfile, 'broken.prom');
    writeFileSync(broken, 'this is { not a metric\n');
    try {
      const { code, check } = await doctor(config());
      expect(code).toBe(1);
      expect(check('node_exporter scrape').status).toBe('fail');
      expect(check('node_exporter scrape').detail).toContain('node_textfile_scrape_error 1');
    } finally {
      writeFileSync(broken, '');
    }
  });

  it('fails when the textfile dir does not exist', async () => {
    const { code, check } = await doctor(config({ textfileDir: join(dir, 'missing') }));
    expect(code).toBe(1);
    expect(check('textfile dir').status).toBe('fail');
  });

  it('fails when a gateway cannot be read', async () => {
    const { code, check } = await doctor(
      config({ gateways: [{ name: 'gone', path: join(dir, 'no-such-state-dir') }] }),
    );
    expect(code).toBe(1);
    expect(check('gateway gone').status).toBe('fail');
    expect(check('gateway gone').detail).toContain('no OpenClaw state dir found');
  });

  it('fails when the flag file cannot be written', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const { code, check } = await doctor(config({ flagFile: join(dir, 'not-a-dir', 'flag') }));
    expect(code).toBe(1);
    expect(check('flag file').status).toBe('fail');
  });
});
