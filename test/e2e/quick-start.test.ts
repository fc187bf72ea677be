// Every command of README's quick start, run as written against the shipped sample state dir (fixtures/), so the
// README stays true. The sample is dated 2026-11-20: the clock is pinned with --now (and the zone with --timezone),
// `install` writes under a temp --root instead of /, and `doctor` is pointed at what that install wrote. The commands
// run in-process (src/cli/run.ts, what the binary runs). The ssh:// command runs against a real sshd in
// test/system/quick-start-ssh.test.ts; `systemctl` is systemd's, not ours.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, type Run } from '../support/cli.js';
import { runInProcess } from '../support/in-process.js';
import { quickStartCommands, type ShownCommand } from '../support/readme.js';
import { tempDir } from '../support/sample.js';

const CLOCK = ['--now', '2026-11-20T22:50:00Z', '--timezone', 'Europe/Rome'];
const FIXTURE = join(ROOT, 'fixtures', 'openclaw-state');

const work = tempDir('ocb-quick-start-');
const home = join(work, 'home');
const root = join(work, 'root');
mkdirSync(home);
cpSync(FIXTURE, join(home, '.openclaw'), { recursive: true });
// What `install` finds on a machine with one OpenClaw user.
cpSync(FIXTURE, join(root, 'home', 'sam', '.openclaw'), { recursive: true });

function env(): NodeJS.ProcessEnv {
  const e = cleanEnv({ HOME: home });
  for (const k of ['XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'SSH_AUTH_SOCK']) delete e[k];
  return e;
}

interface Handler {
  matches: (args: string[]) => boolean;
  run: (args: string[]) => Promise<void>;
}

const ok = (r: Run) => {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
};

const handlers: Handler[] = [
  {
    matches: (a) => a[0] === 'check' && a.includes(join(home, '.openclaw')),
    run: async (a) => {
      const out = ok(await runInProcess([...a, ...CLOCK], env()));
      expect(out).toMatch(/^2026-11-20 \(Europe\/Rome\) {2}\$2\.47 of \$10\.00 \(24\.7%\) {2}OK\n/);
      expect(out).toContain('anthropic/claude-sonnet-4-5');
      expect(out).toMatch(/source local: ok, .* 59 new calls/);
      // Recorded where the README says, for `report` to read.
      expect(existsSync(join(home, '.local', 'state', 'openclaw-budget', 'ledger'))).toBe(true);
    },
  },
  {
    matches: (a) => a[0] === 'check' && a.some((x) => x.startsWith('ssh://')),
    run: async () => expect(existsSync(join(ROOT, 'test', 'system', 'quick-start-ssh.test.ts'))).toBe(true),
  },
  {
    matches: (a) => a[0] === 'report' && a.length === 1,
    run: async (a) => {
      const out = ok(await runInProcess([...a, ...CLOCK], env()));
      expect(out).toMatch(/^2026-11-20 .* \$2\.47/m);
      expect(out).toMatch(/^total .* \$2\.57/m);
    },
  },
  {
    matches: (a) => a[0] === 'report' && a[1] === 'today',
    run: async (a) => {
      const out = ok(await runInProcess([...a, ...CLOCK], env()));
      expect(out).toMatch(/^usage 2026-11-20 \.\. 2026-11-20 .* by model/);
      expect(out).toMatch(/^anthropic +claude-sonnet-4-5 +7 .* \$0\.37/m);
      expect(out).toMatch(/^total .* \$2\.47/m);
    },
  },
  {
    matches: (a) => a[0] === 'report' && a[1] === '--last',
    run: async (a) => {
      const out = ok(await runInProcess([...a, ...CLOCK], env()));
      expect(out).toMatch(/^usage 2026-11-14 \.\. 2026-11-20 .* by day, model/);
      // Only the days with spend: the sample has calls on the 19th and the 20th.
      expect(
        new Set(
          out
            .split('\n')
            .filter((l) => /^\d{4}-/.test(l))
            .map((l) => l.slice(0, 10)),
        ),
      ).toEqual(new Set(['2026-11-19', '2026-11-20']));
      expect(out).toMatch(/^total .* \$2\.57/m);
    },
  },
  {
    matches: (a) => a[0] === 'report' && a[1] === 'sessions',
    run: async (a) => {
      const out = ok(await runInProcess([...a, ...CLOCK], env()));
      expect(out).toContain('cron-bot');
      expect(out).toMatch(/^total|\$/m);
    },
  },
  {
    matches: (a) => a[0] === 'install' && a.length === 1,
    run: async (a) => {
      const out = ok(await runInProcess([...a, '--root', root], env()));
      expect(out).toMatch(/created +.*etc\/systemd\/system\/openclaw-budget\.timer/);
      const config = readFileSync(join(root, 'etc', 'openclaw-budget', 'config.json'), 'utf8');
      expect(config).toContain('{ "name": "sam", "path": "/home/sam/.openclaw" }');
    },
  },
  {
    matches: (a) => a[0] === 'install' && a[1] === '--user',
    run: async (a) => {
      // A checkout under /tmp (where a CI may clone) is refused, as the README warns: the timer would break once /tmp
      // is cleaned. Then that refusal is what the command must print, and nothing may be written.
      if (/^\/(var\/)?tmp\//.test(realpathSync(ROOT))) {
        const r = await runInProcess(a, env());
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/install refused, nothing was written:\n {2}the CLI is .*under a temporary directory/);
        expect(existsSync(join(home, '.config', 'systemd', 'user', 'openclaw-budget.timer'))).toBe(false);
        return;
      }
      ok(await runInProcess(a, env()));
      expect(existsSync(join(home, '.config', 'systemd', 'user', 'openclaw-budget.timer'))).toBe(true);
      const config = join(home, '.config', 'openclaw-budget', 'config.json');
      expect(existsSync(config)).toBe(true);
      // A run by hand finds it without --config.
      const doctor = await runInProcess(['doctor', '--state-dir', join(work, 'user-doctor-state')], env());
      expect(doctor.stdout).toContain(`PASS  config                ${config} is valid`);
    },
  },
  {
    matches: (a) => a[0] === 'doctor' && a.length === 1,
    run: async (a) => {
      const config = join(root, 'etc', 'openclaw-budget', 'config.json');
      const r = await runInProcess(
        [
          ...a,
          '--config',
          config,
          '--source',
          join(root, 'home', 'sam', '.openclaw'),
          '--state-dir',
          join(work, 'doctor-state'),
        ],
        env(),
      );
      expect(r.stdout).toMatch(/^PASS {2}config /m);
      expect(r.stdout).toMatch(/^PASS {2}gateway local +\d+ transcripts/m);
      expect(r.stdout).toMatch(/^all checks passed/m);
      expect(r.status).toBe(0);
    },
  },
];

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("README's quick start", () => {
  const shown = quickStartCommands(home);

  it('shows our CLI and systemctl only, and every CLI command has a test below', () => {
    expect(shown.filter((c) => c.args).length).toBeGreaterThanOrEqual(7);
    for (const c of shown) {
      if (!c.args) expect(c.text, 'a command that is not ours').toMatch(/^(sudo )?systemctl /);
      else
        expect(
          handlers.filter((h) => h.matches(c.args as string[])),
          `no test runs "${c.text}"`,
        ).toHaveLength(1);
    }
  });

  // In README order: check records what report reads, install writes what doctor checks.
  it.each(
    shown
      .filter((c): c is ShownCommand & { args: string[] } => c.args !== undefined)
      .map((c) => [c.text, c.args] as const),
  )('%s', async (_text, args) => {
    const handler = handlers.find((h) => h.matches(args));
    expect(handler).toBeDefined();
    await handler?.run(args);
  });
});

describe("README's demo output", () => {
  it('is what `npm run demo` prints (the elided model rows and the run time aside)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /The demo prints[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README shows the demo output in a fenced block after "The demo prints"').toBeDefined();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], { env: cleanEnv(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    const seconds = (l: string) => l.replace(/\(\d+\.\d+s\)$/, '(Ns)');
    const printed = new Set(r.stdout.split('\n').map(seconds));
    const shown = (block ?? '').split('\n').filter((l) => l.trim() !== '' && l.trim() !== '...');
    for (const line of shown) expect(printed, line).toContain(seconds(line));
  });
});
