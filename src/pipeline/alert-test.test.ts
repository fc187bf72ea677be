// `alert test` answers at once: one attempt per channel with a short timeout, and a failure says which server, what
// failed and what to check.
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/schema.js';
import { describeNetworkError } from '../shared/network-error.js';
import { ALERT_TEST_TIMEOUT_MS, alertTestDelivery, runAlertTest } from './alert-test.js';

/** A port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('alert test', () => {
  it('delivers with one attempt and a few seconds at most, whatever alerts.timeoutSeconds says', () => {
    const o = alertTestDelivery(1_000_000);
    expect(o.maxAttempts).toBe(1);
    expect(o.attemptTimeoutMs).toBeLessThanOrEqual(ALERT_TEST_TIMEOUT_MS);
    expect(o.deadline - 1_000_000).toBeLessThanOrEqual(ALERT_TEST_TIMEOUT_MS);
    expect(ALERT_TEST_TIMEOUT_MS).toBeLessThan(5_000);
  });

  it('against a closed port: one attempt per channel, naming the server, the refusal and what to check', async () => {
    const port = await closedPort();
    const config = ConfigSchema.parse({
      alerts: {
        timeoutSeconds: 60,
        matrix: { homeserver: `http://127.0.0.1:${port}`, room: '!r:example.org' },
        webhook: { url: `http://127.0.0.1:${port}/hook` },
      },
    });
    const results = await runAlertTest(config, { OPENCLAW_BUDGET_MATRIX_TOKEN: 'tok' }, undefined, () => undefined);
    const byChannel = Object.fromEntries(results.map((r) => [r.channel, r]));
    expect(byChannel.matrix).toMatchObject({ ok: false, attempts: 1 });
    expect(byChannel.webhook).toMatchObject({ ok: false, attempts: 1 });
    expect(byChannel.matrix?.detail).toBe(
      `cannot reach the Matrix homeserver http://127.0.0.1:${port}: connection refused: nothing listens on that host and port (ECONNREFUSED 127.0.0.1:${port}). ` +
        'Check that alerts.matrix.homeserver is its client-server URL (e.g. https://matrix.example.org), that the homeserver is running, and that this host can reach it (DNS, firewall, proxy)',
    );
    expect(byChannel.webhook?.detail).toMatch(
      /^cannot reach the webhook http:\/\/127\.0\.0\.1:\d+\/…: connection refused: .*\. Check alerts\.webhook\.url/,
    );
    for (const r of results) expect(r.detail).not.toMatch(/fetch failed|next run|tok\b/);
  });

  it('a server that accepts but never answers is reported as no answer within the timeout', async () => {
    const server: Server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const err = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    server.close();
    expect(describeNetworkError(err, 200)).toBe('no answer within 0.2 s');
  });
});
