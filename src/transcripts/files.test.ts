import { describe, expect, it } from 'vitest';
import { classifyDatabase, classifyTranscript, liveNameOf } from './files.js';

describe('classifyTranscript', () => {
  it.each([
    ['agents/main/sessions/abc.jsonl', { agent: 'main', session: 'abc', archive: 'live', compressed: false }],
    ['agents/ops/sessions/abc.jsonl', { agent: 'ops', session: 'abc', archive: 'live', compressed: false }],
    [
      'agents/main/sessions/abc.jsonl.reset.2026-11-20T10-11-12.345Z',
      { agent: 'main', session: 'abc', archive: 'reset', compressed: false },
    ],
    [
      'agents/main/sessions/abc.jsonl.deleted.2026-11-20T10-11-12.345Z',
      { agent: 'main', session: 'abc', archive: 'deleted', compressed: false },
    ],
    [
      'agents/main/sessions/abc.jsonl.deleted.2026-11-20T10-11-12.345Z.zst',
      { agent: 'main', session: 'abc', archive: 'deleted', compressed: true },
    ],
    ['sessions/old.jsonl', { agent: 'main', session: 'old', archive: 'live', compressed: false }],
    [
      'agents/main/sessions/2026-11-20T08-00-00-000Z_0b8f.jsonl',
      { agent: 'main', session: '2026-11-20T08-00-00-000Z_0b8f', archive: 'live', compressed: false },
    ],
    [
      'agents/ops/session-sqlite-import-archive/abc.jsonl.imported-2026-11-01T10-00-00.000Z',
      { agent: 'ops', session: 'abc', archive: 'imported', compressed: false },
    ],
    [
      'agents/ops/session-sqlite-import-archive/archive-tier.abc.jsonl.imported-2026-11-01T10-00-00.000Z',
      { agent: 'ops', session: 'archive-tier.abc', archive: 'imported', compressed: false },
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
    'agents/main/sessions/abc.jsonl.deleted.2026-11-20T10-11-12.345Z.gz',
    'agents/ops/session-sqlite-import-archive/abc.jsonl',
    'agents/ops/session-sqlite-import-archive/abc.checkpoint.1234.jsonl.imported-2026-11-01T10-00-00.000Z',
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

describe('classifyDatabase', () => {
  it("finds each agent's transcript database and nothing else", () => {
    expect(classifyDatabase('agents/ops/agent/openclaw-agent.sqlite')).toEqual({ agent: 'ops' });
    expect(classifyDatabase('agents/ops/agent/openclaw-agent.sqlite-wal')).toBeNull();
    expect(classifyDatabase('agents/ops/agent/models.json')).toBeNull();
    expect(classifyDatabase('agents/ops/sessions/openclaw-agent.sqlite')).toBeNull();
  });
});
