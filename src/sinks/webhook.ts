// Alerts as a JSON POST to any URL (Slack, Mattermost, Discord via a relay, ntfy, your own endpoint).
import { createHmac } from 'node:crypto';
import type { AlertEvent } from '../budget/alert-event.js';
import { type Secret, SecretError } from '../config/secrets.js';
import { describeNetworkError } from '../shared/network-error.js';
import { renderAlert } from './alert-message.js';
import { type Channel, DeliveryError, type SendContext } from './delivery.js';

export const SIGNATURE_HEADER = 'X-OpenClaw-Budget-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export interface WebhookTarget {
  url: string;
  /** Signing key, read on the first send; undefined: unsigned. */
  secret: () => Promise<Secret | undefined>;
  userAgent: string;
}

/** The body: the event, plus `text` (what Slack and Mattermost show) and `late`. */
export function webhookBody(event: AlertEvent, late: boolean): string {
  return JSON.stringify({ ...event, text: renderAlert(event, { late }).plain, late });
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The origin only: webhook URLs often carry a secret in their path (Slack, Discord). */
function shown(url: string): string {
  return `${new URL(url).origin}/…`;
}

/** Retry-After: seconds or an HTTP date. */
function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export class WebhookChannel implements Channel {
  readonly name = 'webhook';
  private secret: Promise<Secret | undefined> | undefined;

  constructor(private readonly target: WebhookTarget) {}

  accepts(): boolean {
    return true;
  }

  private async key(): Promise<Secret | undefined> {
    this.secret ??= this.target.secret();
    try {
      return await this.secret;
    } catch (err) {
      this.secret = undefined;
      if (err instanceof SecretError) throw new DeliveryError(err.message, false);
      throw err;
    }
  }

  async send(event: AlertEvent, ctx: SendContext): Promise<string> {
    const body = webhookBody(event, ctx.late);
    const key = await this.key();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': this.target.userAgent,
      [IDEMPOTENCY_HEADER]: event.id,
      ...(key ? { [SIGNATURE_HEADER]: signature(key.value, body) } : {}),
    };
    const where = shown(this.target.url);
    // fetch refuses a URL with user:password@ (and would print it whole): it becomes a Basic auth header.
    const url = new URL(this.target.url);
    if (url.username || url.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(ctx.timeoutMs),
        redirect: 'follow',
      });
    } catch (err) {
      throw new DeliveryError(
        `cannot reach the webhook ${where}: ${describeNetworkError(err, ctx.timeoutMs)}. Check alerts.webhook.url, that the receiver is running, and that this host can reach it (DNS, firewall, proxy)`,
        true,
      );
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return `${res.status} from ${where}`;
    const status = `${res.status} ${res.statusText}`.trim();
    if (res.status === 429 || res.status === 408) {
      throw new DeliveryError(
        `the webhook ${where} is rate-limiting (${status})`,
        true,
        retryAfterMs(res.headers.get('retry-after'), Date.now()),
      );
    }
    if (res.status >= 500) throw new DeliveryError(`the webhook ${where} failed (${status})`, true);
    const hint =
      res.status === 401 || res.status === 403
        ? ': check the URL and the signing secret'
        : res.status === 404
          ? ': check alerts.webhook.url'
          : '';
    throw new DeliveryError(`the webhook ${where} refused the alert (${status})${hint}`, false);
  }
}
