import { describe, expect, it } from 'vitest';
import { classifyTranscript, liveNameOf } from './files.js';

describe('classifyTranscript', () => {
  it.each([
    ['agents/main/sessions/abc.jsonl', { agent: 'main', session: 'abc', archive: 'live' }],
    ['agents/ops/sessions/abc.jsonl', { agent: 'ops', session: 'abc', archive: 'live' }],
    ['agents/main/sessions/abc.jsonl.reset.2026-11-20T10-11-12.345Z', { agent: 'main', session: 'abc', archive: 'reset' }],
    ['agents/main/sessions/abc.jsonl.deleted.2026-11-20T10-11-12.345Z', { agent: 'main', session: 'abc', archive: 'deleted' }],
    ['sessions/old.jsonl', { agent: 'main', session: 'old', archive: 'live' }],
    [
      'agents/main/sessions/2026-11-20T08-00-00-000Z_0b8f.jsonl',
      { agent: 'main', session: '2026-11-20T08-00-00-000Z_0b8f', archive: 'live' },
    ],
  ])('counts %s', (rel, want) => expect(classifyTranscript(rel)).toEqual(want));

  it.each([
    'agents/main/sessions/sessions.json',
    'agents/main/sessions/abc.jsonl.bak.1700000000',
    'agents/main/sessions/abc.jsonl.bak',
    'agents/main/sessions/abc.bak.jsonl',
    'agents/main/sessions/abc.jsonl.lock',
    'agents/main/sessions/abc.trajectory.jsonl',
    'agents/main/sessions/abc.trajectory-path.json',
    'agents/main/sessions/abc.checkpoint.5b1c2d3e-aaaa-bbbb-cccc-123456789abc.jsonl',
    'agents/main/sessions/abc.jsonl.tmp',
    'agents/main/sessions/abc.jsonl.deleted.2026-11-20T10-11-12.345Z.zst',
    'agents/main/agent/models.json',
    'agents/main/sessions/sub/abc.jsonl',
    'other/abc.jsonl',
  ])('never counts %s', (rel) => expect(classifyTranscript(rel)).toBeNull());
});

describe('liveNameOf', () => {
  it('maps archives back to the live name', () => {
    expect(liveNameOf('agents/a/sessions/x.jsonl.deleted.2026-11-20T10-11-12.345Z')).toBe('agents/a/sessions/x.jsonl');
    expect(liveNameOf('agents/a/sessions/x.jsonl.reset.2026-11-20T10-11-12Z')).toBe('agents/a/sessions/x.jsonl');
    expect(liveNameOf('agents/a/sessions/x.jsonl')).toBeNull();
  });
});
