import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../test/support/alert-events.js';
import { fastClock } from '../../test/support/fast-clock.js';
import { DeliveryError, deliver } from './delivery.js';
import { WebhookChannel } from './webhook.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; headers?: Record<string, string> } | 'drop';

let server: Server | undefined;

async function endpoint(answers: Answer[] = []) {
  const received: Received[] = [];
  const seenKeys = new Set<string>();
  const accepted: Received[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const r = { headers: req.headers, body };
      received.push(r);
      const a = answers.shift();
      // Like a careful receiver: one action per Idempotency-Key.
      const key = String(req.headers['idempotency-key']);
      if ((a === undefined || a === 'drop') && !seenKeys.has(key)) {
        seenKeys.add(key);
        accepted.push(r);
      }
      if (a === 'drop') return void res.socket?.destroy();
      res.writeHead(a?.status ?? 204, a?.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/SECRETPATH`,
    received,
    accepted,
  };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const channel = (url: string, secret?: string) =>
  new WebhookChannel({
    url,
    userAgent: 'openclaw-budget/test',
    secret: async () => (secret ? { value: secret, from: 'test' } : undefined),
  });

describe('webhook channel', () => {
  it('POSTs the event as JSON with text, an idempotency key and an HMAC-SHA256 signature of the body', async () => {
    const ep = await endpoint();
    await channel(ep.url, 'k3y').send(sampleEvent(), { late: false, timeoutMs: 5000 });
    const [r] = ep.received;
    expect(r?.headers['content-type']).toBe('application/json');
    expect(r?.headers['idempotency-key']).toBe(sampleEvent().id);
    const expected = `sha256=${createHmac('sha256', 'k3y')
      .update(r?.body ?? '')
      .digest('hex')}`;
    expect(r?.headers['x-openclaw-budget-signature']).toBe(expected);
    const body = JSON.parse(r?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'exceeded', spendUsd: 6.25, budgetUsd: 5, scope: 'home', late: false });
    expect(body.text).toContain('OpenClaw budget EXCEEDED: $6.25 of $5.00 (125.0%)');
  });

  it('without a secret there is no signature header', async () => {
    const ep = await endpoint();
    await channel(ep.url).send(sampleEvent(), { late: false, timeoutMs: 5000 });
    expect(ep.received[0]?.headers['x-openclaw-budget-signature']).toBeUndefined();
  });

  it('retries 429 after Retry-After, 5xx, and a lost response with the same idempotency key', async () => {
    const ep = await endpoint([{ status: 429, headers: { 'retry-after': '2' } }, { status: 503 }, 'drop']);
    const clock = fastClock();
    const r = await deliver(
      [{ channel: 'webhook', event: sampleEvent(), attempts: 0 }],
      new Map([['webhook', channel(ep.url)]]),
      {
        deadline: Date.now() + 30_000,
        clock,
        late: () => false,
      },
    );
    expect(r.left).toEqual([]);
    expect(clock.slept).toEqual([2000, 1000, 2000]);
    expect(new Set(ep.received.map((x) => x.headers['idempotency-key']))).toEqual(new Set([sampleEvent().id]));
    expect(ep.received).toHaveLength(4);
    expect(ep.accepted).toHaveLength(1);
  });

  it('4xx is not retried, and the URL path (often a secret) is not shown', async () => {
    const ep = await endpoint([{ status: 403 }]);
    const err = await channel(ep.url)
      .send(sampleEvent(), { late: false, timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(false);
    expect((err as DeliveryError).message).toMatch(
      /^the webhook http:\/\/127\.0\.0\.1:\d+\/… refused the alert \(403 Forbidden\): check the URL and the signing secret$/,
    );
    expect((err as DeliveryError).message).not.toContain('SECRETPATH');
  });
});
