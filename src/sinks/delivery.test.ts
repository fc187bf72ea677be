import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../test/support/alert-events.js';
import type { AlertEvent } from '../budget/alert-event.js';
import {
  type Channel,
  type ChannelName,
  type Clock,
  DeliveryError,
  deliver,
  type PendingDelivery,
} from './delivery.js';

/** A channel answering from a script: an error to throw, or undefined to succeed. */
function scripted(name: ChannelName, script: (DeliveryError | undefined)[]): Channel & { sent: string[] } {
  const sent: string[] = [];
  return {
    name,
    sent,
    accepts: () => true,
    async send(ev: AlertEvent) {
      const e = script.shift();
      if (e) throw e;
      sent.push(ev.id);
      return `ok ${ev.id}`;
    },
  };
}

function virtualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

const item = (channel: ChannelName, id: string): PendingDelivery => ({
  channel,
  event: sampleEvent({ id }),
  attempts: 0,
});
const retry = (ms?: number) => new DeliveryError('busy', true, ms);
const fatal = () => new DeliveryError('bad token', false);

describe('deliver', () => {
  it('retries retryable errors with the server-given wait, else exponential backoff', async () => {
    const ch = scripted('matrix', [retry(1500), retry(), retry(), undefined]);
    const clock = virtualClock();
    const r = await deliver([item('matrix', 'a')], new Map([['matrix', ch]]), {
      deadline: 60_000,
      clock,
      late: () => false,
    });
    expect(clock.slept).toEqual([1500, 1000, 2000]);
    expect(r.sent.map((s) => [s.receipt, s.item.attempts])).toEqual([['ok a', 3]]);
    expect(r.left).toEqual([]);
  });

  it('stops at the deadline and keeps the item with the reason and the attempts', async () => {
    const ch = scripted(
      'matrix',
      Array.from({ length: 50 }, () => retry()),
    );
    const clock = virtualClock();
    const r = await deliver([item('matrix', 'a')], new Map([['matrix', ch]]), {
      deadline: 5_000,
      clock,
      late: () => false,
    });
    expect(clock.now()).toBeLessThan(5_000);
    expect(r.left).toHaveLength(1);
    expect(r.left[0]?.attempts).toBe(4);
    expect(r.left[0]?.lastError).toBe('busy (4 attempts in this run)');
  });

  it('a wait longer than the time left is not waited', async () => {
    const ch = scripted('matrix', [retry(120_000)]);
    const clock = virtualClock();
    const r = await deliver([item('matrix', 'a')], new Map([['matrix', ch]]), {
      deadline: 30_000,
      clock,
      late: () => false,
    });
    expect(clock.slept).toEqual([]);
    expect(r.left).toHaveLength(1);
  });

  it('keeps order within a channel: after a failure the rest wait, untried; other channels go on', async () => {
    const matrix = scripted('matrix', [undefined, fatal()]);
    const webhook = scripted('webhook', []);
    const items = [
      item('matrix', 'a'),
      item('webhook', 'a'),
      item('matrix', 'b'),
      item('matrix', 'c'),
      item('webhook', 'b'),
    ];
    const r = await deliver(
      items,
      new Map<ChannelName, Channel>([
        ['matrix', matrix],
        ['webhook', webhook],
      ]),
      { deadline: 60_000, clock: virtualClock(), late: () => false },
    );
    expect(matrix.sent).toEqual(['a']);
    expect(webhook.sent).toEqual(['a', 'b']);
    expect(r.left.map((p) => [p.channel, p.event.id, p.attempts, p.lastError])).toEqual([
      ['matrix', 'b', 1, 'bad token'],
      ['matrix', 'c', 0, undefined],
    ]);
  });

  it('an unexpected exception counts as a failure that needs a fix, not a crash', async () => {
    const ch: Channel = {
      name: 'hook',
      accepts: () => true,
      send: async () => Promise.reject(new Error('spawn EACCES')),
    };
    const r = await deliver([item('hook', 'a')], new Map([['hook', ch]]), {
      deadline: 60_000,
      clock: virtualClock(),
      late: () => false,
    });
    expect(r.left[0]?.lastError).toBe('spawn EACCES');
  });

  it('tells the channel whether the alert is late, and does not change the items it was given', async () => {
    const seen: boolean[] = [];
    const ch: Channel = { name: 'matrix', accepts: () => true, send: async (_ev, ctx) => (seen.push(ctx.late), 'ok') };
    const items = [item('matrix', 'old'), item('matrix', 'new')];
    const before = structuredClone(items);
    await deliver(items, new Map([['matrix', ch]]), {
      deadline: 60_000,
      clock: virtualClock(),
      late: (ev) => ev.id === 'old',
    });
    expect(seen).toEqual([true, false]);
    expect(items).toEqual(before);
  });
});
