import { afterEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../test/support/alert-events.js';
import { FakeHomeserver } from '../../test/support/fake-homeserver.js';
import { fastClock } from '../../test/support/fast-clock.js';
import { type Clock, DeliveryError, deliver, type PendingDelivery } from './delivery.js';
import { MatrixChannel } from './matrix.js';
import { loadMatrixSdk } from './matrix-sdk.js';

const TOKEN = 'syt_secret_token_value_123';
const ROOM = '!ops:fake';
const servers: FakeHomeserver[] = [];

async function homeserver(opts: Partial<ConstructorParameters<typeof FakeHomeserver>[0]> = {}) {
  const hs = await new FakeHomeserver({
    token: TOKEN,
    joined: [ROOM],
    aliases: { '#ops:fake': ROOM },
    ...opts,
  }).start();
  servers.push(hs);
  return hs;
}

function channel(hs: FakeHomeserver, room = ROOM, token = TOKEN) {
  return new MatrixChannel({
    homeserver: hs.url,
    room,
    token: async () => ({ value: token, from: 'file /etc/openclaw-budget/matrix-token' }),
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const ctx = { late: false, timeoutMs: 5_000 };

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

function pending(ev = sampleEvent()): PendingDelivery {
  return { channel: 'matrix', event: ev, attempts: 0 };
}

describe('Matrix channel against a fake homeserver', () => {
  it('posts one m.notice with plain and HTML bodies, the event id as transaction id', async () => {
    const hs = await homeserver();
    const receipt = await channel(hs).send(sampleEvent(), ctx);
    expect(receipt).toBe(`$ev1 in ${ROOM}`);
    expect(hs.events).toHaveLength(1);
    const ev = hs.events[0];
    expect(ev?.txnId).toBe(sampleEvent().id);
    expect(ev?.content).toMatchObject({ msgtype: 'm.notice', format: 'org.matrix.custom.html' });
    expect(ev?.content.body).toContain('$6.25 of $5.00 (125.0%)');
    expect(ev?.content.formatted_body).toContain('<li>anthropic/claude-opus-4-5 $5.00</li>');
  });

  it('resolves a room alias', async () => {
    const hs = await homeserver();
    await channel(hs, '#ops:fake').send(sampleEvent(), ctx);
    expect(hs.events.map((e) => e.roomId)).toEqual([ROOM]);
  });

  it('an unknown alias says to check it or use the room id', async () => {
    const hs = await homeserver();
    const err = await failure(channel(hs, '#nope:fake').send(sampleEvent(), ctx));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(
      /room alias #nope:fake does not exist on http:\/\/127\.0\.0\.1:\d+ \(404 M_NOT_FOUND.*check alerts\.matrix\.room, or give the room id/,
    );
  });

  it('401: says the token from where is rejected, and never shows it', async () => {
    const hs = await homeserver();
    const err = await failure(channel(hs, ROOM, 'syt_wrong_token').send(sampleEvent(), ctx));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(
      'rejected the access token from file /etc/openclaw-budget/matrix-token (401 M_UNKNOWN_TOKEN',
    );
    expect(err.message).not.toContain('syt_wrong_token');
  });

  it('403 not in the room and not invited: names the bot and says to invite it', async () => {
    const hs = await homeserver({ joined: [], userId: '@budget:fake' });
    const err = await failure(channel(hs).send(sampleEvent(), ctx));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(
      /^@budget:fake may not post in !ops:fake \(403 M_FORBIDDEN: .*\): invite it to the room/,
    );
    expect(hs.events).toHaveLength(0);
  });

  it('invited but not joined: joins, then posts', async () => {
    const hs = await homeserver({ joined: [], invited: [ROOM] });
    const receipt = await channel(hs).send(sampleEvent(), ctx);
    expect(receipt).toBe(`$ev1 in ${ROOM} (joined the room first)`);
    expect(hs.events).toHaveLength(1);
  });

  it('a homeserver that echoes the token in an error does not get it into ours', async () => {
    const hs = await homeserver();
    hs.sendFaults.push({ status: 400, body: { errcode: 'M_BAD_JSON', error: `bad request with ${TOKEN}` } });
    const err = await failure(channel(hs).send(sampleEvent(), ctx));
    expect(err.message).toContain('[token]');
    expect(err.message).not.toContain(TOKEN);
  });

  it('an unreachable homeserver is retryable and says which', async () => {
    const hs = await homeserver();
    await hs.stop();
    servers.length = 0;
    const err = await failure(channel(hs).send(sampleEvent(), ctx));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(`cannot reach the Matrix homeserver ${hs.url}`);
  });
});

describe('Matrix delivery with retries', () => {
  it('429 M_LIMIT_EXCEEDED: waits retry_after_ms, then posts once', async () => {
    const hs = await homeserver();
    hs.sendFaults.push({
      status: 429,
      body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests', retry_after_ms: 1234 },
    });
    const clock = fastClock();
    const r = await deliver([pending()], new Map([['matrix', channel(hs)]]), {
      deadline: Date.now() + 20_000,
      clock,
      late: () => false,
    });
    expect(r.left).toEqual([]);
    expect(r.sent.map((s) => s.receipt)).toEqual([`$ev1 in ${ROOM}`]);
    expect(clock.slept).toEqual([1234]);
    expect(hs.sendRequests()).toHaveLength(2);
    expect(hs.events).toHaveLength(1);
  });

  it('500 then success: posts once', async () => {
    const hs = await homeserver();
    hs.sendFaults.push({ status: 500, body: { errcode: 'M_UNKNOWN', error: 'Internal server error' } });
    const clock = fastClock();
    const r = await deliver([pending()], new Map([['matrix', channel(hs)]]), {
      deadline: Date.now() + 20_000,
      clock,
      late: () => false,
    });
    expect(r.left).toEqual([]);
    expect(clock.slept).toEqual([500]);
    expect(hs.events).toHaveLength(1);
  });

  it('a lost response is retried with the same transaction id, and the homeserver keeps one message', async () => {
    const hs = await homeserver();
    hs.sendFaults.push('drop-response');
    const r = await deliver([pending()], new Map([['matrix', channel(hs)]]), {
      deadline: Date.now() + 20_000,
      clock: fastClock(),
      late: () => false,
    });
    expect(r.left).toEqual([]);
    const sends = hs.sendRequests().map((q) => q.path);
    expect(sends).toHaveLength(2);
    expect(sends[0]).toBe(sends[1]);
    expect(sends[0]?.endsWith(`/${sampleEvent().id}`)).toBe(true);
    expect(hs.events).toHaveLength(1);
  });

  it('out of time: kept with the reason, and the next run (late) posts it with its original time', async () => {
    const hs = await homeserver();
    for (let i = 0; i < 3; i++)
      hs.sendFaults.push({ status: 502, body: { errcode: 'M_UNKNOWN', error: 'Bad gateway' } });
    let now = Date.now();
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const first = await deliver([pending()], new Map([['matrix', channel(hs)]]), {
      deadline: now + 1_000,
      clock,
      late: () => false,
    });
    expect(first.sent).toEqual([]);
    expect(first.left).toHaveLength(1);
    expect(first.left[0]?.lastError).toMatch(/failed \(502 M_UNKNOWN: Bad gateway\) \(2 attempts in this run\)/);
    expect(first.left[0]?.attempts).toBe(2);
    hs.sendFaults.length = 0;
    const second = await deliver(first.left, new Map([['matrix', channel(hs)]]), {
      deadline: Date.now() + 20_000,
      clock: fastClock(),
      late: () => true,
    });
    expect(second.left).toEqual([]);
    expect(hs.events).toHaveLength(1);
    expect(hs.events[0]?.content.body).toContain('Delivered late: this happened at 2026-11-20 15:00 (UTC).');
  });

  it('401 is not retried', async () => {
    const hs = await homeserver();
    const clock = fastClock();
    const r = await deliver(
      [pending(), pending(sampleEvent({ id: 'second' }))],
      new Map([['matrix', channel(hs, ROOM, 'bad')]]),
      {
        deadline: Date.now() + 20_000,
        clock,
        late: () => false,
      },
    );
    expect(clock.slept).toEqual([]);
    expect(r.left.map((p) => [p.event.id, p.attempts])).toEqual([
      [sampleEvent().id, 1],
      ['second', 0],
    ]);
    expect(hs.sendRequests()).toHaveLength(1);
  });

  it('loads matrix-js-sdk only when it sends', async () => {
    const hs = await homeserver();
    let loads = 0;
    const ch = new MatrixChannel(
      { homeserver: hs.url, room: ROOM, token: async () => ({ value: TOKEN, from: 'test' }) },
      () => {
        loads++;
        return loadMatrixSdk();
      },
    );
    expect(ch.accepts()).toBe(true);
    expect(loads).toBe(0);
    await ch.send(sampleEvent(), ctx);
    await ch.send(sampleEvent({ id: 'again' }), ctx);
    expect(loads).toBe(1);
    await ch.close();
  });
});

describe('Matrix channel without a token', () => {
  it("says where to put it, the service's credstore file included; nothing is sent", async () => {
    const hs = await homeserver();
    const ch = new MatrixChannel({ homeserver: hs.url, room: ROOM, token: async () => undefined });
    const err = await failure(ch.send(sampleEvent(), ctx));
    expect(err.message).toContain('no Matrix access token');
    expect(err.message).toContain('/etc/credstore/openclaw-budget-matrix-token');
    expect(hs.requests).toEqual([]);
    await ch.close();
  });
});
