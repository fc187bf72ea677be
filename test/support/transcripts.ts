// Transcript lines for tests: a session header and assistant calls with usage, as OpenClaw writes them.
import { randomUUID } from 'node:crypto';

let seq = 0;

export function sessionHeader(at = Date.now()): string {
  return `${JSON.stringify({ type: 'session', version: 3, id: randomUUID(), timestamp: new Date(at).toISOString(), cwd: '/home/node' })}\n`;
}

export function callLine(
  at = Date.now(),
  model = 'claude-opus-4-5',
  opts: { costUsd?: number; provider?: string } = {},
): string {
  seq++;
  return `${JSON.stringify({
    type: 'message',
    id: `m${seq}`,
    timestamp: new Date(at).toISOString(),
    message: {
      role: 'assistant',
      provider: opts.provider ?? 'anthropic',
      model,
      usage: { input: 10 + seq, output: 100, cacheRead: 1000, cacheWrite: 50, cost: { total: opts.costUsd ?? 0.01 } },
      timestamp: at + seq,
    },
  })}\n`;
}

/** A user line of about `bytes` bytes: bulk that holds no call. */
export function fillerLine(bytes: number, at = Date.now()): string {
  const text = 'x'.repeat(Math.max(0, bytes - 120));
  return `${JSON.stringify({ type: 'message', id: `f${++seq}`, timestamp: new Date(at).toISOString(), message: { role: 'user', content: text } })}\n`;
}
