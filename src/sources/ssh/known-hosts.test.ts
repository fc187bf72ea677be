import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  hostFieldMatches,
  knownHostsName,
  knownKeyAlgorithms,
  parseKnownHosts,
  verifyHostKey,
} from './known-hosts.js';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIINOxfM5xFCmbWo9WFcl0R9UGxWq7iKcf3KXCefYeNdN';
const ED2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIPtwR0jOp6wvnZnzKJiFV0cNY5fLf5FsGz0mK1cG9VbP';
const blob = (b64: string) => Buffer.from(b64, 'base64');

describe('known_hosts', () => {
  it('names hosts like OpenSSH', () => {
    expect(knownHostsName('gw', 22)).toBe('gw');
    expect(knownHostsName('gw', 2222)).toBe('[gw]:2222');
  });

  it('matches plain, wildcard, negated and hashed host fields', () => {
    expect(hostFieldMatches('gw,10.0.0.1', 'gw')).toBe(true);
    expect(hostFieldMatches('*.lan', 'gw.lan')).toBe(true);
    expect(hostFieldMatches('*.lan,!bad.lan', 'bad.lan')).toBe(false);
    expect(hostFieldMatches('gw', '[gw]:2222')).toBe(false);
    const salt = Buffer.from('0123456789abcdefghij');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[gw]:2222').digest('base64')}`;
    expect(hostFieldMatches(hashed, '[gw]:2222')).toBe(true);
    expect(hostFieldMatches(hashed, 'gw')).toBe(false);
  });

  it('accepts the known key, calls a different key of the same type changed, another type unknown', () => {
    const entries = parseKnownHosts(`# comment\n\ngw ssh-ed25519 ${ED} root@gw\nother ssh-ed25519 ${ED2}\n`);
    expect(verifyHostKey(entries, 'gw', blob(ED))).toEqual({ ok: true });
    expect(verifyHostKey(entries, 'gw', blob(ED2))).toEqual({ ok: false, reason: 'changed', lines: [3] });
    expect(verifyHostKey(entries, 'nowhere', blob(ED))).toEqual({ ok: false, reason: 'unknown' });
    expect(knownKeyAlgorithms(entries, 'gw')).toEqual(['ssh-ed25519']);
  });

  it('refuses @revoked keys', () => {
    const entries = parseKnownHosts(`@revoked * ssh-ed25519 ${ED}\ngw ssh-ed25519 ${ED}\n`);
    expect(verifyHostKey(entries, 'gw', blob(ED))).toEqual({ ok: false, reason: 'revoked', line: 1 });
  });

  it('prints fingerprints as ssh-keygen -l does', () => {
    expect(fingerprint(blob(ED))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
