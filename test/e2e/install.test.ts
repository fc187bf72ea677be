// `install` / `uninstall` into a temp root: what is written, that it is idempotent, and that it follows the config.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ROOT, runCli } from '../support/cli.js';
import { runInProcess } from '../support/in-process.js';
import { sampleState, tempDir } from '../support/sample.js';

const NODE = realpathSync(process.execPath);
const CLI = realpathSync(BIN);
const shipped = (name: string) => readFileSync(join(ROOT, 'systemd', name), 'utf8');
const MARK = '# Installed by `openclaw-budget install`; re-run it after changing textfileDir or flagFile.\n';

/** What the installed service must be: the shipped template with only ExecStart= and ReadWritePaths= replaced. */
function expectedService(template: string, config: string, rw: string | null): string {
  let t = template.replace(/^ExecStart=.*$/m, `ExecStart=${NODE} ${CLI} check --quiet --config ${config}`);
  t = rw === null ? t.replace(/^ReadWritePaths=.*\n/m, '') : t.replace(/^ReadWritePaths=.*$/m, `ReadWritePaths=${rw}`);
  return MARK + t;
}

describe('install --root', () => {
  it('writes the units with real paths and a valid config, then changes nothing on a second run', async () => {
    const root = tempDir('ocb-install-');
    sampleState(join(root, 'home', 'sam', '.openclaw'), [{ at: '2026-11-20T10:00:00Z', cost: 1 }]);
    mkdirSync(join(root, 'home', 'nobody-here'), { recursive: true });
    const first = runCli(['install', '--root', root, '--textfile-dir', '/srv/node-exporter']);
    expect(first.status).toBe(0);
    const unitDir = join(root, 'etc', 'systemd', 'system');
    const service = readFileSync(join(unitDir, 'openclaw-budget.service'), 'utf8');
    expect(service).toBe(
      expectedService(shipped('openclaw-budget.service'), '/etc/openclaw-budget/config.json', '-/srv/node-exporter'),
    );
    expect(readFileSync(join(unitDir, 'openclaw-budget.timer'), 'utf8')).toBe(MARK + shipped('openclaw-budget.timer'));
    const configPath = join(root, 'etc', 'openclaw-budget', 'config.json');
    const config = readFileSync(configPath, 'utf8');
    expect(config).toContain('"textfileDir": "/srv/node-exporter"');
    expect(config).toContain('{ "name": "sam", "path": "/home/sam/.openclaw" }');
    expect(config).toContain('"flagFile": "/run/openclaw-budget/budget-exceeded"');
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    expect(first.stdout).toMatch(/created +.*openclaw-budget\.service/);
    expect(first.stdout).toContain('systemctl enable --now openclaw-budget.timer');

    // The created config is valid: a check with it (outputs redirected by flags) runs.
    const out = tempDir();
    const check = await runInProcess([
      'check',
      '--config',
      configPath,
      '--source',
      join(root, 'home', 'sam', '.openclaw'),
      '--state-dir',
      join(out, 's'),
      '--textfile-dir',
      join(out, 't'),
      '--flag-file',
      join(out, 'f'),
      '--now',
      '2026-11-20T12:00:00Z',
      '--timezone',
      'UTC',
      '--json',
      '--quiet',
    ]);
    expect(check.status).toBe(0);

    const mtime = statSync(join(unitDir, 'openclaw-budget.service')).mtimeMs;
    const second = await runInProcess(['install', '--root', root]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/unchanged +.*openclaw-budget\.service/);
    expect(second.stdout).toMatch(/unchanged +.*openclaw-budget\.timer/);
    expect(second.stdout).toMatch(/kept +.*config\.json/);
    expect(statSync(join(unitDir, 'openclaw-budget.service')).mtimeMs).toBe(mtime);
    expect(readFileSync(configPath, 'utf8')).toBe(config);
  });

  it('follows the config: a moved textfile dir and a flag file outside /run update ReadWritePaths', async () => {
    const root = tempDir('ocb-install-');
    const configPath = join(root, 'etc', 'openclaw-budget', 'config.json');
    mkdirSync(join(root, 'etc', 'openclaw-budget'), { recursive: true });
    writeFileSync(configPath, JSON.stringify({ textfileDir: '/srv/metrics dir', flagFile: '/var/spool/budget/flag' }));
    const r = await runInProcess(['install', '--root', root]);
    expect(r.status).toBe(0);
    const service = readFileSync(join(root, 'etc', 'systemd', 'system', 'openclaw-budget.service'), 'utf8');
    expect(service).toContain('ReadWritePaths="-/srv/metrics dir" -/var/spool/budget\n');
    expect(r.stdout).toMatch(/kept +.*config\.json/);
    // ProtectSystem=strict: the service could not create them, so install does (a real boot: systemd-boot.test.ts).
    for (const d of ['srv/metrics dir', 'var/spool/budget']) {
      expect(statSync(join(root, d)).mode & 0o777).toBe(0o755);
      expect(r.stdout).toContain(`created      ${join(root, d)}/ (the service writes there but cannot create it)`);
    }
    const again = runCli(['install', '--root', root]);
    expect(again.stdout).not.toContain('cannot create it');
  });

  it('--dry-run prints the files and writes nothing', async () => {
    const root = tempDir('ocb-install-');
    const r = await runInProcess(['install', '--root', root, '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/would create +.*openclaw-budget\.service/);
    expect(r.stdout).toContain('      | Type=oneshot');
    expect(existsSync(join(root, 'etc'))).toBe(false);
  });

  it("--user writes a user unit under ~/.config and a config that keeps state and flag in the user's dirs", async () => {
    const root = tempDir('ocb-install-');
    const env = cleanEnv({ HOME: '/home/ann', XDG_RUNTIME_DIR: '/run/user/1234' });
    delete env.XDG_CONFIG_HOME;
    delete env.XDG_STATE_HOME;
    const r = await runInProcess(['install', '--user', '--root', root], env);
    expect(r.status).toBe(0);
    const service = readFileSync(join(root, 'home/ann/.config/systemd/user/openclaw-budget.service'), 'utf8');
    expect(service).toBe(
      expectedService(shipped('user/openclaw-budget.service'), '/home/ann/.config/openclaw-budget/config.json', null),
    );
    const config = readFileSync(join(root, 'home/ann/.config/openclaw-budget/config.json'), 'utf8');
    expect(config).toContain('"stateDir": "/home/ann/.local/state/openclaw-budget"');
    expect(config).toContain('"flagFile": "/run/user/1234/openclaw-budget/budget-exceeded"');
    expect(r.stdout).toContain('systemctl --user enable --now openclaw-budget.timer');
  });

  it('uninstall removes only the units install wrote and keeps the config', async () => {
    const root = tempDir('ocb-install-');
    await runInProcess(['install', '--root', root]);
    const unitDir = join(root, 'etc', 'systemd', 'system');
    writeFileSync(join(unitDir, 'openclaw-budget.timer'), '[Timer]\nOnCalendar=daily\n'); // hand-written: not ours
    const r = await runInProcess(['uninstall', '--root', root]);
    expect(r.status).toBe(0);
    expect(existsSync(join(unitDir, 'openclaw-budget.service'))).toBe(false);
    expect(existsSync(join(unitDir, 'openclaw-budget.timer'))).toBe(true);
    expect(r.stdout).toMatch(/left alone +.*openclaw-budget\.timer/);
    expect(existsSync(join(root, 'etc', 'openclaw-budget', 'config.json'))).toBe(true);
    const again = await runInProcess(['uninstall', '--root', root]);
    expect(again.stdout).not.toContain('removed');
  });
});

describe('flag file under systemd', () => {
  it('defaults to $RUNTIME_DIRECTORY/budget-exceeded, where other services can see it', async () => {
    const dir = tempDir();
    const source = sampleState(join(dir, 'openclaw'), [{ at: '2026-11-20T10:00:00Z', cost: 9 }]);
    const runtime = join(dir, 'run');
    mkdirSync(runtime);
    const args = ['check', '--source', source, '--now', '2026-11-20T12:00:00Z', '--timezone', 'UTC', '--quiet'];
    const r = await runInProcess(args, cleanEnv({ RUNTIME_DIRECTORY: runtime, STATE_DIRECTORY: join(dir, 'state') }));
    expect(r.status).toBe(0);
    expect(readFileSync(join(runtime, 'budget-exceeded'), 'utf8')).toMatch(
      /^openclaw-budget: spend \$9\.00 >= budget \$5\.00 on 2026-11-20/,
    );
    expect(existsSync(join(dir, 'state', 'ledger'))).toBe(true);
  });
});
