// Credential names in SSH gateways: a missing one is explained by the file the operator creates, not the service's path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/schema.js';
import { runCheck } from './check.js';
import { credentialMissingHint } from './gateways.js';

const base = mkdtempSync(join(tmpdir(), 'ocb-gw-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function checkWith(ssh: Record<string, unknown>, env: Record<string, string>) {
  const config = ConfigSchema.parse({
    stateDir: mkdtempSync(join(base, 'st-')),
    timezone: 'UTC',
    alerts: { enabled: false },
    // Port 9 is never reached: the key is read before connecting.
    gateways: [
      {
        name: 'remote',
        ssh: { host: '127.0.0.1', port: 9, knownHosts: '/dev/null', agent: false, ...ssh },
        path: '/srv/openclaw',
      },
    ],
  });
  return runCheck({ config, nowMs: Date.now(), env: { USER: 'tester', ...env }, warn: () => undefined });
}

describe('SSH credentials by name', () => {
  it('the ssh-key credential missing under systemd: put it in /etc/credstore/openclaw-budget-ssh-key', async () => {
    const creds = mkdtempSync(join(base, 'creds-'));
    const r = await checkWith({ identityFile: 'ssh-key' }, { CREDENTIALS_DIRECTORY: creds });
    expect(r.errors.join('\n')).toContain(
      `cannot read the SSH key ${join(creds, 'ssh-key')} (ENOENT): the systemd credential ssh-key is missing: put it in /etc/credstore/openclaw-budget-ssh-key (mode 0600), which openclaw-budget.service loads with LoadCredential=ssh-key:openclaw-budget-ssh-key`,
    );
  });

  it('the passphrase credential missing: the same, for ssh-key-passphrase', async () => {
    const creds = mkdtempSync(join(base, 'creds-'));
    writeFileSync(join(creds, 'ssh-key'), 'not read before the passphrase');
    const r = await checkWith(
      { identityFile: 'ssh-key', passphraseFile: 'ssh-key-passphrase' },
      { CREDENTIALS_DIRECTORY: creds },
    );
    expect(r.errors.join('\n')).toContain(
      'the systemd credential ssh-key-passphrase is missing: put it in /etc/credstore/openclaw-budget-ssh-key-passphrase',
    );
  });

  it('outside the service, or with a name the unit does not load, the hint says so; a path keeps the plain message', async () => {
    expect(credentialMissingHint('ssh-key', 'identityFile', {})).toMatch(
      /^"ssh-key" names a systemd credential, which only openclaw-budget.service sees/,
    );
    expect(credentialMissingHint('mykey', 'identityFile', { CREDENTIALS_DIRECTORY: '/run/credentials/x' })).toMatch(
      /loads only ssh-key and ssh-key-passphrase/,
    );
    expect(credentialMissingHint('/root/.ssh/id_ed25519', 'identityFile', {})).toBeUndefined();
    const r = await checkWith({ identityFile: join(base, 'nope') }, {});
    expect(r.errors.join('\n')).toContain(
      `cannot read the SSH key ${join(base, 'nope')} (ENOENT): check the path and its permissions`,
    );
  });
});
