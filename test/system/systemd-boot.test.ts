// The installed units under a real systemd PID 1: Debian bookworm booted by systemd-nspawn (an overlay of the rootfs
// scripts/ci/prepare-systemd-rootfs.sh caches), this machine's node and this checkout's package `npm install -g`ed into
// it. A oneshot unit inside runs `openclaw-budget install`, starts the hardened service and the timer as an operator
// would, and leaves every step's output, exit status and `systemctl show` in a bound results directory before it powers
// the container off. Everything the unit-file checks (systemd.test.ts) can only read is exercised here.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/sample.js';
import { callLine, sessionHeader } from '../support/transcripts.js';
import {
  type Boot,
  boot,
  copyAsGateway,
  installNode,
  npmInstallGlobal,
  type Overlay,
  overlayOf,
  parseShow,
  requireRootfs,
} from './support/rootfs.js';
import { type Sshd, startSshd } from './support/sshd.js';

const UNIT = 'openclaw-budget';
const TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';
// Where other distributions' node_exporter setups read textfiles; nothing creates it in the container.
const TEXTFILE_DIR2 = '/var/lib/node_exporter/textfile_collector';
const GATEWAY_DIR = '/home/node/.openclaw';
const FIXTURES = join(ROOT, 'fixtures', 'openclaw-state');
// The boot itself takes a few seconds; this bounds a hang (a unit that never finishes, a shutdown that stalls).
const BOOT_LIMIT_MS = 150_000;

// Runs inside the container as a oneshot unit of multi-user.target. No `set -e`: every step records its status and
// the script goes on, so one failure shows with all the evidence around it; the EXIT trap always powers off.
const SCRIPT = `#!/bin/bash
R=/results
export NO_COLOR=1 SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat
step() { local name=$1; shift; "$@" >"$R/$name.out" 2>&1; echo $? >"$R/$name.rc"; }
trap 'systemctl poweroff --no-block' EXIT
U=${UNIT}
# Evidence of the sandbox, from inside it: a runtime drop-in that install and uninstall do not touch.
mkdir -p /run/systemd/system/$U.service.d
printf '[Service]\\nExecStartPre=/usr/local/sbin/ocb-probe\\n' >/run/systemd/system/$U.service.d/probe.conf
# The first tick without the timer's random spread (up to 20 s), which is not under test: a deterministic wait.
mkdir -p /run/systemd/system/$U.timer.d
printf '[Timer]\\nRandomizedDelaySec=0\\n' >/run/systemd/system/$U.timer.d/no-spread.conf
# What Debian's prometheus-node-exporter package creates.
mkdir -p ${TEXTFILE_DIR}

step install openclaw-budget install --textfile-dir ${TEXTFILE_DIR}
cp /etc/openclaw-budget/config.json $R/config.installed.json
step enable systemctl enable --now $U.timer
# Enabling the timer runs the check now (OnActiveSec=0), not only at the next 5-minute mark.
for i in $(seq 1 60); do
  [ "$(systemctl show -p ExecMainExitTimestampMonotonic --value $U.service)" != 0 ] && break
  sleep 0.5
done
step first-tick systemctl show -p ExecMainExitTimestampMonotonic -p Result -p ExecMainStatus $U.service
step timer systemctl show $U.timer
step list-timers systemctl list-timers --all --no-pager $U.timer

# 1: the config install wrote, the local gateway it found (0600 files of uid 1000).
step run1 systemctl start $U.service
step show1 systemctl show $U.service
cp ${TEXTFILE_DIR}/openclaw_budget.prom $R/run1.prom
step report1 openclaw-budget report --json --since 2026-11-19 --until 2026-11-20 --timezone UTC
step flag1 test -e /run/openclaw-budget/budget-exceeded
step doctor1 openclaw-budget doctor
journalctl -u $U.service -o cat --no-pager >$R/journal1.txt 2>&1

# 2: plus a gateway over SSH whose key is the ssh-key credential, a budget today's spend exceeds, and a textfile dir
# that does not exist yet; install is re-run after changing textfileDir, as it asks.
cp /etc/openclaw-budget/config.run2.json /etc/openclaw-budget/config.json
step reinstall openclaw-budget install
step run2 systemctl start $U.service
step show2 systemctl show $U.service
cp ${TEXTFILE_DIR2}/openclaw_budget.prom $R/run2.prom
step textfile2 stat -c '%a %U' ${TEXTFILE_DIR2}
step flag2 stat -c '%a %U %s' /run/openclaw-budget/budget-exceeded
journalctl -u $U.service -o cat --no-pager >$R/journal2.txt 2>&1

# The probe's control: the same call outside the syscall filter is allowed.
step control systemd-run --wait --pipe -q -p NoNewPrivileges=yes -p CapabilityBoundingSet=CAP_DAC_READ_SEARCH setpriv --reuid=0 true

# 3: the credential gone.
rm /etc/credstore/openclaw-budget-ssh-key
step run3 systemctl start $U.service
step show3 systemctl show $U.service
journalctl -u $U.service -o cat --no-pager >$R/journal3.txt 2>&1

step uninstall openclaw-budget uninstall
step after-files ls -a /etc/systemd/system /etc/systemd/system/timers.target.wants
step after-show systemctl show -p LoadState -p ActiveState -p UnitFileState $U.timer $U.service
step after-timers systemctl list-timers --all --no-pager
step after-config ls /etc/openclaw-budget/config.json /var/lib/openclaw-budget

# The user unit, under ann's own lingering systemd --user, as install --user's next steps set it up.
useradd -m -u 1001 ann
cp -a /home/node/.openclaw /home/ann/.openclaw && chown -R ann:ann /home/ann/.openclaw
step linger loginctl enable-linger ann
for i in $(seq 1 40); do [ -S /run/user/1001/systemd/private ] && break; sleep 0.25; done
asann() { runuser -u ann -- env XDG_RUNTIME_DIR=/run/user/1001 HOME=/home/ann "$@"; }
step user-install asann openclaw-budget install --user
step user-enable asann systemctl --user enable --now $U.timer
step user-run asann systemctl --user start $U.service
step user-show asann systemctl --user show $U.service
step user-timer asann systemctl --user show $U.timer
step user-report asann openclaw-budget report --json --config /home/ann/.config/openclaw-budget/config.json --since 2026-11-19 --until 2026-11-20 --timezone UTC
journalctl _UID=1001 -o cat --no-pager >$R/user-journal.txt 2>&1
step user-uninstall asann openclaw-budget uninstall --user
step user-after ls -a /home/ann/.config/systemd/user
touch $R/done
`;

// ExecStartPre= of the service (by the drop-in above): runs in the same sandbox as node, just before it.
const PROBE = `#!/bin/sh
grep -E '^(NoNewPrivs|Seccomp|Seccomp_filters|CapBnd|CapEff):' /proc/self/status | sed 's/^/probe: /'
echo "probe: credentials: $CREDENTIALS_DIRECTORY $(ls "$CREDENTIALS_DIRECTORY" 2>&1 | tr '\\n' ' ')"
if touch /usr/ocb-probe 2>/dev/null; then echo 'probe: /usr writable'; else echo 'probe: /usr read-only'; fi
# setreuid(0, -1) as root needs no capability; only the syscall filter (~@privileged) refuses it.
if setpriv --reuid=0 true 2>/dev/null; then echo 'probe: setreuid allowed'; else echo 'probe: setreuid denied'; fi
`;

const TEST_UNIT = `[Unit]
Description=openclaw-budget system test
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/ocb-system-test
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
`;

let overlay: Overlay | undefined;
let sshd: Sshd | undefined;
let work: string | undefined;
let results: string;
let booted: Boot;
let remoteDir: string;
let hookServer: Server | undefined;
const hooks: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
const WEBHOOK_SECRET = 'whsec-from-the-credstore';

const out = (name: string) => readFileSync(join(results, `${name}.out`), 'utf8');
const rc = (name: string) => Number(readFileSync(join(results, `${name}.rc`), 'utf8').trim());
const show = (name: string) => parseShow(out(name));
const promValue = (text: string, metric: string) => Number(new RegExp(`^${metric} (\\S+)$`, 'm').exec(text)?.[1]);

function write(root: string, path: string, text: string, mode: number): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
  chmodSync(join(root, path), mode);
}

beforeAll(async () => {
  const rootfs = requireRootfs();
  work = tempDir('ocb-boot-');
  chmodSync(work, 0o755);
  results = join(work, 'results');
  mkdirSync(results);
  // The remote gateway: today's calls, on this machine over a real sshd the container reaches on 127.0.0.1.
  sshd = await startSshd();
  remoteDir = join(work, 'remote', '.openclaw');
  mkdirSync(join(remoteDir, 'agents', 'main', 'sessions'), { recursive: true });
  writeFileSync(
    join(remoteDir, 'agents', 'main', 'sessions', 'today.jsonl'),
    sessionHeader() + callLine() + callLine(Date.now(), 'claude-sonnet-4-5'),
  );

  // The webhook the service posts its alert to; its signing key comes from the webhook-secret credential.
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hookServer?.listen(0, '127.0.0.1', r));
  const hookPort = (hookServer.address() as AddressInfo).port;

  overlay = overlayOf(rootfs);
  const root = overlay.root;
  installNode(root);
  npmInstallGlobal(root);
  copyAsGateway(FIXTURES, join(root, GATEWAY_DIR));
  spawnSync('chown', ['1000:1000', join(root, '/home/node')]);
  write(root, '/usr/local/sbin/ocb-system-test', SCRIPT, 0o755);
  write(root, '/usr/local/sbin/ocb-probe', PROBE, 0o755);
  write(root, '/etc/systemd/system/ocb-system-test.service', TEST_UNIT, 0o644);
  symlinkSync(
    '/etc/systemd/system/ocb-system-test.service',
    join(root, '/etc/systemd/system/multi-user.target.wants/ocb-system-test.service'),
  );
  // No login prompt on the console.
  symlinkSync('/dev/null', join(root, '/etc/systemd/system/console-getty.service'));
  mkdirSync(join(root, '/etc/credstore'), { mode: 0o700 });
  copyFileSync(sshd.clientKey, join(root, '/etc/credstore/openclaw-budget-ssh-key'));
  chmodSync(join(root, '/etc/credstore/openclaw-budget-ssh-key'), 0o600);
  write(root, '/etc/credstore/openclaw-budget-webhook-secret', `${WEBHOOK_SECRET}\n`, 0o600);
  write(root, '/etc/openclaw-budget/known_hosts', readFileSync(sshd.knownHosts, 'utf8'), 0o644);
  const ssh = {
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    identityFile: 'ssh-key',
    knownHosts: '/etc/openclaw-budget/known_hosts',
    agent: false,
  };
  const run2 = {
    maxDailyUsd: 0.000001,
    timezone: 'UTC',
    stateDir: '/var/lib/openclaw-budget',
    textfileDir: TEXTFILE_DIR2,
    flagFile: '/run/openclaw-budget/budget-exceeded',
    gateways: [
      { name: 'node', path: GATEWAY_DIR },
      { name: 'remote', ssh, path: remoteDir },
    ],
    alerts: { webhook: { url: `http://127.0.0.1:${hookPort}/hook` } },
  };
  write(root, '/etc/openclaw-budget/config.run2.json', JSON.stringify(run2, null, 2), 0o600);

  booted = await boot(root, [`${results}:/results`], BOOT_LIMIT_MS);
  if (booted.timedOut || !existsSync(join(results, 'done'))) {
    const files = readdirSync(results);
    throw new Error(
      `the container did not finish the test unit (${booted.timedOut ? `killed after ${BOOT_LIMIT_MS} ms` : `nspawn exited ${booted.code}`}); results: ${files.join(' ')}\n${booted.console.slice(-4000)}`,
    );
  }
}, 300_000);

afterAll(async () => {
  overlay?.dispose();
  await sshd?.stop();
  hookServer?.close();
  // OPENCLAW_BUDGET_KEEP_BOOT=1 keeps every step's output for a look after a failure.
  if (work && !process.env.OPENCLAW_BUDGET_KEEP_BOOT) rmSync(work, { recursive: true, force: true });
});

describe('openclaw-budget under a real systemd PID 1', () => {
  it('install writes the units and a config that found the local gateway; daemon-reload ran', () => {
    expect(rc('install')).toBe(0);
    expect(out('install')).toMatch(/created +\/etc\/systemd\/system\/openclaw-budget\.service/);
    expect(out('install')).toContain('ran          systemctl daemon-reload');
    const config = readFileSync(join(results, 'config.installed.json'), 'utf8');
    expect(config).toContain(`"path": "${GATEWAY_DIR}"`);
    expect(config).toContain(`"textfileDir": "${TEXTFILE_DIR}"`);
  });

  it('the timer is enabled, active and scheduled within the next 5 minutes', () => {
    expect(rc('enable')).toBe(0);
    const first = show('first-tick');
    expect(Number(first.ExecMainExitTimestampMonotonic)).toBeGreaterThan(0);
    expect(first).toMatchObject({ Result: 'success', ExecMainStatus: '0' });
    const t = show('timer');
    expect(t).toMatchObject({ ActiveState: 'active', UnitFileState: 'enabled', LoadState: 'loaded' });
    expect(t.TimersCalendar).toContain('OnCalendar=*-*-* *:00/5:00');
    expect(t.TimersMonotonic).toContain('OnActiveUSec=0');
    expect(out('list-timers')).toMatch(/openclaw-budget\.timer +openclaw-budget\.service/);
    const next = Date.parse(/NextElapseUSecRealtime=\S+ (.+ UTC)/.exec(out('timer'))?.[1] ?? '');
    expect(next).toBeGreaterThan(Date.now() - 120_000);
    expect(next).toBeLessThan(Date.now() + 5 * 60_000 + 30_000);
  });

  it('the hardened service runs node under its syscall filter and sandbox and succeeds on the shipped fixtures', () => {
    expect(rc('run1')).toBe(0);
    const s = show('show1');
    expect(s).toMatchObject({
      Result: 'success',
      ExecMainStatus: '0',
      ProtectSystem: 'strict',
      ProtectHome: 'read-only',
      NoNewPrivileges: 'yes',
      PrivateTmp: 'yes',
    });
    expect(s.SystemCallFilter).toMatch(/\S/);
    expect(s.CapabilityBoundingSet).toBe('cap_dac_read_search');
    const journal = readFileSync(join(results, 'journal1.txt'), 'utf8');
    // Inside the sandbox: seccomp filter mode, no new privileges, only CAP_DAC_READ_SEARCH (bit 2), a read-only /usr,
    // and a call outside the filter's allow-list refused (the control step below shows it is the filter).
    expect(journal).toMatch(/^probe: Seccomp:\s+2$/m);
    expect(journal).toMatch(/^probe: NoNewPrivs:\s+1$/m);
    expect(journal).toMatch(/^probe: CapBnd:\s+0000000000000004$/m);
    expect(journal).toContain('probe: /usr read-only');
    expect(journal).toContain('probe: setreuid denied');
    expect(rc('control')).toBe(0);
    // The ledger holds what a local read of the same fixtures records.
    const work = tempDir('ocb-boot-local-');
    const local = runCli([
      'check',
      '--json',
      '--source',
      FIXTURES,
      '--state-dir',
      join(work, 's'),
      '--timezone',
      'UTC',
      '--no-alert',
    ]);
    expect(local.status).toBe(0);
    const want = JSON.parse(
      runCli([
        'report',
        '--json',
        '--state-dir',
        join(work, 's'),
        '--since',
        '2026-11-19',
        '--until',
        '2026-11-20',
        '--timezone',
        'UTC',
      ]).stdout,
    );
    rmSync(work, { recursive: true, force: true });
    expect(rc('report1')).toBe(0);
    const got = JSON.parse(out('report1'));
    expect(got.totals.calls).toBeGreaterThan(50);
    expect(got.totals).toEqual(want.totals);
    const prom = readFileSync(join(results, 'run1.prom'), 'utf8');
    expect(promValue(prom, 'openclaw_budget_check_success')).toBe(1);
    expect(promValue(prom, 'openclaw_budget_exceeded')).toBe(0);
    expect(rc('flag1')).not.toBe(0);
  });

  it('doctor on the installed machine passes every check (node_exporter only warns: none runs in the container)', () => {
    expect(rc('doctor1')).toBe(0);
    const d = out('doctor1');
    expect(d).toMatch(/^PASS +systemd unit +\/etc\/systemd\/system\/openclaw-budget\.service may write/m);
    expect(d).toMatch(/^PASS +gateway node +\d+ transcripts/m);
    expect(d).not.toMatch(/^FAIL/m);
  });

  it('LoadCredential hands the SSH key to the service: the remote gateway counts, and over budget the flag is set', () => {
    // The new textfile dir did not exist: install created it, since the sandboxed service cannot.
    expect(rc('reinstall')).toBe(0);
    expect(out('reinstall')).toContain(`created      ${TEXTFILE_DIR2}/`);
    expect(out('textfile2')).toBe('755 root\n');
    expect(rc('run2')).toBe(0);
    expect(show('show2')).toMatchObject({ Result: 'success', ExecMainStatus: '0' });
    const journal = readFileSync(join(results, 'journal2.txt'), 'utf8');
    expect(journal).toMatch(/^probe: credentials: .*\bssh-key\b/m);
    const prom = readFileSync(join(results, 'run2.prom'), 'utf8');
    const work = tempDir('ocb-boot-remote-');
    const local = JSON.parse(
      runCli(['check', '--json', '--source', remoteDir, '--state-dir', work, '--timezone', 'UTC', '--no-alert']).stdout,
    );
    rmSync(work, { recursive: true, force: true });
    expect(local.totalCostUsd).toBeGreaterThan(0);
    expect(promValue(prom, 'openclaw_daily_cost_usd')).toBeCloseTo(local.totalCostUsd, 9);
    expect(promValue(prom, 'openclaw_budget_exceeded')).toBe(1);
    expect(promValue(prom, 'openclaw_budget_check_success')).toBe(1);
    // The flag file, in the preserved RuntimeDirectory, world-readable for other programs.
    expect(rc('flag2')).toBe(0);
    expect(out('flag2')).toMatch(/^644 root /);
  });

  it('the exceeded alert reaches the webhook once, signed with the webhook-secret credential', () => {
    const exceeded = hooks.filter((h) => JSON.parse(h.body).kind === 'exceeded');
    expect(exceeded).toHaveLength(1);
    const h = exceeded[0] as (typeof hooks)[number];
    const want = createHmac('sha256', WEBHOOK_SECRET).update(h.body).digest('hex');
    expect(h.headers['x-openclaw-budget-signature']).toBe(`sha256=${want}`);
    expect(JSON.parse(h.body)).toMatchObject({ kind: 'exceeded', scope: 'all', budgetUsd: 0.000001 });
    expect(readFileSync(join(results, 'journal2.txt'), 'utf8')).toMatch(/^probe: credentials: .*\bwebhook-secret\b/m);
  });

  it('with the credential gone the run fails, and the journal says which credential to provide', () => {
    expect(rc('run3')).not.toBe(0);
    expect(show('show3')).toMatchObject({ Result: 'exit-code', ExecMainStatus: '1' });
    const journal = readFileSync(join(results, 'journal3.txt'), 'utf8');
    const run3 = journal.slice(journal.lastIndexOf('probe: credentials'));
    expect(run3).toMatch(/ssh-key/);
    expect(run3).toMatch(/\/etc\/credstore\/openclaw-budget-ssh-key/);
  });

  it('uninstall stops the timer and removes both units and the enablement; config and ledger stay', () => {
    expect(rc('uninstall')).toBe(0);
    expect(out('uninstall')).toContain('systemctl disable --now openclaw-budget.timer');
    expect(out('after-files')).not.toMatch(/openclaw-budget\.(service|timer)/);
    const after = out('after-show');
    expect(after).toMatch(/LoadState=not-found/);
    expect(after).not.toMatch(/ActiveState=active/);
    expect(out('after-timers')).not.toContain('openclaw-budget');
    expect(rc('after-config')).toBe(0);
  });
});

describe('the user unit under a real systemd --user', () => {
  it("install --user, the timer and the service run in the user manager on the user's own gateway; uninstall --user", () => {
    expect(rc('linger')).toBe(0);
    expect(rc('user-install')).toBe(0);
    expect(out('user-install')).toContain('ran          systemctl --user daemon-reload');
    expect(rc('user-enable')).toBe(0);
    expect(show('user-timer')).toMatchObject({ ActiveState: 'active', UnitFileState: 'enabled' });
    expect(rc('user-run')).toBe(0);
    const s = show('user-show');
    expect(s).toMatchObject({ Result: 'success', ExecMainStatus: '0', NoNewPrivileges: 'yes' });
    expect(s.SystemCallFilter).toMatch(/\S/);
    expect(rc('user-report')).toBe(0);
    expect(JSON.parse(out('user-report')).totals.calls).toBe(JSON.parse(out('report1')).totals.calls);
    expect(rc('user-uninstall')).toBe(0);
    expect(out('user-after')).not.toMatch(/openclaw-budget\.(service|timer)/);
  });
});

describe('a boot that hangs', () => {
  it('is killed at its time limit, container and all, and reported as timed out', async () => {
    const hung = overlayOf(requireRootfs());
    try {
      // A oneshot that never finishes: the boot never completes and nothing powers the container off.
      write(
        hung.root,
        '/etc/systemd/system/hang.service',
        '[Service]\nType=oneshot\nExecStart=/bin/sleep 86399\n[Install]\nWantedBy=multi-user.target\n',
        0o644,
      );
      symlinkSync(
        '/etc/systemd/system/hang.service',
        join(hung.root, '/etc/systemd/system/multi-user.target.wants/hang.service'),
      );
      const sleeping = () =>
        readdirSync('/proc').filter((d) => {
          if (!/^\d+$/.test(d)) return false;
          try {
            return readFileSync(`/proc/${d}/cmdline`, 'utf8') === '/bin/sleep\u000086399\u0000';
          } catch {
            return false;
          }
        });
      const started = Date.now();
      const booting = boot(hung.root, [], 10_000);
      // The hang is real: the unit's process runs inside the container before the limit.
      let seen = false;
      while (!seen && Date.now() - started < 9_000) {
        seen = sleeping().length > 0;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(seen).toBe(true);
      const b = await booting;
      expect(b.timedOut).toBe(true);
      expect(Date.now() - started).toBeLessThan(30_000);
      // The container's processes went with it (killing its PID 1 ends its PID namespace).
      await new Promise((r) => setTimeout(r, 500));
      expect(sleeping()).toEqual([]);
    } finally {
      hung.dispose();
    }
  }, 60_000);
});
