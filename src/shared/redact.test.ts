import { describe, expect, it } from 'vitest';
import { redact, registerSecret, registerSecretUrl } from './redact.js';

describe('redact', () => {
  it('shows a registered webhook URL as its origin only, and hides its parts wherever they appear', () => {
    registerSecretUrl(
      'https://bot:Canary-Pw-1@hooks.example.com/services/T000/B000/CanaryPathSecret42?token=CanaryQueryTok',
    );
    expect(
      redact(
        'POST https://bot:Canary-Pw-1@hooks.example.com/services/T000/B000/CanaryPathSecret42?token=CanaryQueryTok failed',
      ),
    ).toBe('POST https://hooks.example.com/… failed');
    expect(
      redact('request to https://hooks.example.com/services/T000/B000/CanaryPathSecret42?token=CanaryQueryTok'),
    ).toBe('request to https://hooks.example.com/…');
    expect(redact('{"error":"bad token CanaryQueryTok, path CanaryPathSecret42, pw Canary-Pw-1"}')).not.toMatch(
      /Canary/,
    );
  });

  it('hides registered tokens, and passwords in URLs, bearer tokens and token query values even unregistered', () => {
    registerSecret('syt_canary_matrix_token');
    expect(redact('echo: Authorization: Bearer syt_canary_matrix_token')).not.toMatch(/canary/);
    expect(redact('ftp://user:hunter2hunter2@example.org/x')).toBe('ftp://user:[redacted]@example.org/x');
    expect(redact('header Authorization: Bearer abcdefghijklmnop')).toBe('header Authorization: Bearer [redacted]');
    expect(redact('GET /x?access_token=abcdef123&room=1')).toBe('GET /x?access_token=[redacted]&room=1');
  });

  it('leaves ordinary text alone', () => {
    const text =
      '2026-11-20 (UTC)  $1.50 of $5.00 (30.0%)  OK\nsource local: ok, 617 B read, ssh://node@gw:22/home/node/.openclaw';
    expect(redact(text)).toBe(text);
  });
});

describe('redact is narrow', () => {
  it('does not touch model names or file paths that merely contain "basic" or "token"', () => {
    const text = '{"rawModel":"Basic assistant-v2","file":"agents/main/sessions/token-usage.jsonl"}';
    expect(redact(text)).toBe(text);
  });
});
