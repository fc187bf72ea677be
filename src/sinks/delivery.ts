// One delivery pipeline for every alert channel: ordered per channel, retries of rate limits and server errors
// within the run's time budget, and what still failed handed back to be kept as pending for the next run.
import { z } from 'zod';
import { type AlertEvent, AlertEventSchema } from '../budget/alert-event.js';
import { errorMessage } from '../shared/errors.js';

export const ChannelNameSchema = z.enum(['matrix', 'webhook', 'hook']);
export type ChannelName = z.infer<typeof ChannelNameSchema>;

export const PendingDeliverySchema = z.object({
  channel: ChannelNameSchema,
  event: AlertEventSchema,
  /** Attempts so far, over all runs. */
  attempts: z.number(),
  lastError: z.string().optional(),
});
export type PendingDelivery = z.infer<typeof PendingDeliverySchema>;

/** A failed send. `retryable`: a rate limit, a server error or a lost connection; else it needs a fix. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface SendContext {
  /** Sent in a later run than the one that saw it. */
  late: boolean;
  /** Longest this one attempt may take. */
  timeoutMs: number;
}

export interface Channel {
  readonly name: ChannelName;
  accepts(event: AlertEvent): boolean;
  /** Resolves to a receipt for the log (an event id, a status); throws DeliveryError. */
  send(event: AlertEvent, ctx: SendContext): Promise<string>;
  /** Release what the sends opened (a client, timers). */
  close?(): Promise<void>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface DeliveryOptions {
  /** Clock time after which nothing more is attempted in this run. */
  deadline: number;
  clock: Clock;
  late(event: AlertEvent): boolean;
  /** Longest one attempt may take. */
  attemptTimeoutMs?: number;
  /** At most this many attempts per alert (default: as many as the deadline allows). */
  maxAttempts?: number;
}

export interface Sent {
  item: PendingDelivery;
  receipt: string;
}

export interface DeliveryResult {
  sent: Sent[];
  /** Not delivered, in order within each channel, with the reason in `lastError`. */
  left: PendingDelivery[];
}

const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

function backoffMs(attempt: number): number {
  return Math.min(8_000, 500 * 2 ** (attempt - 1));
}

function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  return new DeliveryError(errorMessage(err), false);
}

async function sendOne(channel: Channel, item: PendingDelivery, opts: DeliveryOptions): Promise<string | undefined> {
  const { clock, deadline } = opts;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      item.lastError ??= 'no time left in this run';
      return undefined;
    }
    try {
      return await channel.send(item.event, {
        late: opts.late(item.event),
        timeoutMs: Math.min(opts.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS, remaining),
      });
    } catch (err) {
      const e = asDeliveryError(err);
      item.attempts++;
      item.lastError = e.message;
      if (!e.retryable || attempt >= (opts.maxAttempts ?? Number.POSITIVE_INFINITY)) return undefined;
      const wait = e.retryAfterMs ?? backoffMs(attempt);
      if (clock.now() + wait >= deadline) {
        item.lastError = `${e.message} (${attempt} attempt${attempt === 1 ? '' : 's'} in this run)`;
        return undefined;
      }
      await clock.sleep(wait);
    }
  }
}

/** Channels run in parallel; within one, alerts go in order and the first failure holds back the rest. */
export async function deliver(
  items: readonly PendingDelivery[],
  channels: ReadonlyMap<ChannelName, Channel>,
  opts: DeliveryOptions,
): Promise<DeliveryResult> {
  const byChannel = new Map<ChannelName, PendingDelivery[]>();
  for (const item of items)
    byChannel.set(item.channel, [...(byChannel.get(item.channel) ?? []), structuredClone(item)]);
  const outcomes = await Promise.all(
    [...byChannel].map(async ([name, queue]) => {
      const channel = channels.get(name);
      const sent: Sent[] = [];
      const left: PendingDelivery[] = [];
      for (const item of queue) {
        if (!channel || left.length > 0) {
          left.push(item);
          continue;
        }
        const receipt = await sendOne(channel, item, opts);
        if (receipt === undefined) left.push(item);
        else sent.push({ item, receipt });
      }
      return { sent, left };
    }),
  );
  return { sent: outcomes.flatMap((o) => o.sent), left: outcomes.flatMap((o) => o.left) };
}
