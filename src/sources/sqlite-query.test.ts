import { describe, expect, it } from 'vitest';
import { eventQueryArgv, eventSql, parseEventRow } from './sqlite-query.js';

describe('parseEventRow', () => {
  it('splits the four leading fields and keeps the event bytes intact (tabs inside included)', () => {
    const row = parseEventRow(Buffer.from('12\t3\t1763626502135\tsess-1\t{"a":"x\ty"}'));
    expect(row && { ...row, event: row.event.toString() }).toEqual({
      rowid: 12,
      seq: 3,
      createdAt: 1763626502135,
      session: 'sess-1',
      event: '{"a":"x\ty"}',
    });
  });

  it('rejects lines that are not rows', () => {
    expect(parseEventRow(Buffer.from('Error: database is locked'))).toBeNull();
    expect(parseEventRow(Buffer.from('a\tb\tc\td\te'))).toBeNull();
  });
});

describe('event queries', () => {
  const q = {
    db: "/home/x/.openclaw/agents/a'; rm -rf /;'/agent/openclaw-agent.sqlite",
    lastRowid: 41,
    lastCreatedAt: 1763626502135,
    since: 1763600000000,
  };

  it('reads by rowid while the last row is still there, else by time', () => {
    const sql = eventSql(q);
    expect(sql).toContain(
      'WHERE rowid > 41 AND EXISTS (SELECT 1 FROM transcript_events WHERE rowid = 41 AND created_at = 1763626502135)',
    );
    expect(sql).toContain('WHERE created_at >= 1763600000000 AND NOT EXISTS');
    expect(eventSql(q, false)).toBe(
      'SELECT -1, seq, created_at, session_id, event_json FROM transcript_events WHERE created_at >= 1763600000000;',
    );
  });

  it('passes the database path as its own argument, never inside SQL or a shell string', () => {
    const cli = eventQueryArgv('sqlite3', 'node', q);
    expect(cli.slice(0, 7)).toEqual(['sqlite3', '-readonly', '-batch', '-noheader', '-separator', '\t', q.db]);
    expect(cli[7]).not.toContain(q.db);
    const node = eventQueryArgv('node', '/usr/bin/node', q);
    expect(node.slice(4)).toEqual([q.db, '41', '1763626502135', '1763600000000']);
  });

  it('refuses non-integer watermarks', () => {
    expect(() => eventSql({ ...q, since: 1.5 })).toThrow(/not an integer/);
  });
});
