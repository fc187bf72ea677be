// Alerts as Matrix m.notice messages, through matrix-js-sdk (loaded on the first send).
import type { AlertEvent } from '../budget/alert-event.js';
import { credstoreFile, type Secret, SecretError } from '../config/secrets.js';
import { describeNetworkError } from '../shared/network-error.js';
import { renderAlert } from './alert-message.js';
import { type Channel, DeliveryError, type SendContext } from './delivery.js';
import { loadMatrixSdk, type MatrixSdk } from './matrix-sdk.js';

export interface MatrixTarget {
  homeserver: string;
  /** "!id:server" or "#alias:server". */
  room: string;
  /** Read on the first send; undefined when none is configured. */
  token: () => Promise<Secret | undefined>;
}

type Client = InstanceType<MatrixSdk['MatrixClient']>;
type Logger = NonNullable<ConstructorParameters<MatrixSdk['MatrixClient']>[0]['logger']>;

interface Session {
  sdk: MatrixSdk;
  client: Client;
  roomId: string;
}

// The SDK logs failures to the console itself; ours are reported once, with what to fix.
const noop = () => undefined;
const silent: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, getChild: () => silent };

interface HttpishError {
  httpStatus?: number;
  errcode?: string;
  data?: { error?: string; retry_after_ms?: number };
  name?: string;
  message?: string;
  getRetryAfterMs?: () => number | null;
}

function retryAfter(e: HttpishError): number | undefined {
  try {
    return e.getRetryAfterMs?.() ?? e.data?.retry_after_ms ?? undefined;
  } catch {
    return e.data?.retry_after_ms;
  }
}

/** The homeserver's answer in a few words: "403 M_FORBIDDEN: You are not in this room". */
function answer(e: HttpishError): string {
  const code = [e.httpStatus, e.errcode].filter((x) => x !== undefined).join(' ');
  const text = e.data?.error ?? '';
  return text ? `${code}: ${text}` : code;
}

export interface MatrixErrorContext {
  homeserver: string;
  room: string;
  tokenFrom: string;
  /** The bot, when known. */
  userId?: string;
  /** Resolving the alias rather than sending. */
  resolving?: boolean;
  /** The attempt's time limit, to say how long there was no answer. */
  timeoutMs?: number;
  /** What fetch itself threw: the SDK's ConnectionError keeps only "fetch failed", not why. */
  networkError?: unknown;
}

/** A homeserver failure as a DeliveryError that says whether to retry, and otherwise what to fix. */
export function matrixFailure(err: unknown, c: MatrixErrorContext): DeliveryError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as HttpishError;
  const status = e.httpStatus;
  if (status === undefined) {
    return new DeliveryError(
      `cannot reach the Matrix homeserver ${c.homeserver}: ${describeNetworkError(c.networkError ?? err, c.timeoutMs)}. Check that alerts.matrix.homeserver is its client-server URL (e.g. https://matrix.example.org), that the homeserver is running, and that this host can reach it (DNS, firewall, proxy)`,
      true,
    );
  }
  if (status === 429 || e.errcode === 'M_LIMIT_EXCEEDED') {
    const after = retryAfter(e);
    return new DeliveryError(
      `the Matrix homeserver ${c.homeserver} is rate-limiting the bot (${answer(e)})`,
      true,
      after ?? undefined,
    );
  }
  if (status >= 500) return new DeliveryError(`the Matrix homeserver ${c.homeserver} failed (${answer(e)})`, true);
  if (status === 401) {
    return new DeliveryError(
      `the Matrix homeserver ${c.homeserver} rejected the access token from ${c.tokenFrom} (${answer(e)}): it is wrong, expired or logged out; create a new access token for the bot and put it there`,
      false,
    );
  }
  if (c.resolving && status === 404) {
    return new DeliveryError(
      `the room alias ${c.room} does not exist on ${c.homeserver} (${answer(e)}): check alerts.matrix.room, or give the room id ("!…:server", in the room's settings under Advanced)`,
      false,
    );
  }
  if (status === 403) {
    return new DeliveryError(
      `${c.userId ?? 'the bot'} may not post in ${c.room} (${answer(e)}): invite it to the room (it joins by itself on the next send) and let members send messages`,
      false,
    );
  }
  return new DeliveryError(
    `the Matrix homeserver ${c.homeserver} refused the message to ${c.room} (${answer(e)})`,
    false,
  );
}

/** Matrix transaction ids are per access token: the event id makes a retried send land once. */
export function txnIdOf(event: AlertEvent): string {
  return event.id;
}

/** An m.notice (bots' messages: clients do not notify as loudly, other bots do not answer) with HTML. */
function noticeContent(sdk: MatrixSdk, event: AlertEvent, late: boolean) {
  const msg = renderAlert(event, { late });
  return {
    msgtype: sdk.MsgType.Notice,
    body: msg.plain,
    format: 'org.matrix.custom.html',
    formatted_body: msg.html,
  } as const;
}

export class MatrixChannel implements Channel {
  readonly name = 'matrix';
  private session: Promise<Session> | undefined;
  private tokenFrom = 'the configuration';
  private timeoutMs: number | undefined;
  private networkError: unknown;
  private token: string | undefined;

  constructor(
    private readonly target: MatrixTarget,
    private readonly loadSdk: () => Promise<MatrixSdk> = loadMatrixSdk,
  ) {}

  accepts(): boolean {
    return true;
  }

  private redact(err: DeliveryError): DeliveryError {
    if (!this.token || !err.message.includes(this.token)) return err;
    return new DeliveryError(err.message.split(this.token).join('[token]'), err.retryable, err.retryAfterMs);
  }

  private fail(err: unknown, extra: Partial<MatrixErrorContext> = {}): DeliveryError {
    const ctx = {
      homeserver: this.target.homeserver,
      room: this.target.room,
      tokenFrom: this.tokenFrom,
      ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }),
      ...(this.networkError === undefined ? {} : { networkError: this.networkError }),
      ...extra,
    };
    return this.redact(err instanceof DeliveryError ? err : matrixFailure(err, ctx));
  }

  private async open(timeoutMs: number): Promise<Session> {
    let token: Secret | undefined;
    try {
      token = await this.target.token();
    } catch (err) {
      if (err instanceof SecretError) throw new DeliveryError(err.message, false);
      throw err;
    }
    if (!token) {
      throw new DeliveryError(
        `no Matrix access token: put it in a file named by alerts.matrix.accessTokenFile, in $OPENCLAW_BUDGET_MATRIX_TOKEN, or in ${credstoreFile('matrix-token')} (the service loads it as the systemd credential matrix-token)`,
        false,
      );
    }
    this.token = token.value;
    this.tokenFrom = token.from;
    const sdk = await this.loadSdk();
    // Not createClient(): its scheduler retries sends for up to 30 s on its own; ours keeps to the run's budget.
    // Not localTimeoutMs either: its timer is never cleared and would hold the process open that long.
    const fetchFn: typeof fetch = (url, init) => {
      this.networkError = undefined;
      return fetch(url, {
        ...init,
        signal: AbortSignal.any([...(init?.signal ? [init.signal] : []), AbortSignal.timeout(timeoutMs)]),
      }).catch((err: unknown) => {
        this.networkError = err;
        throw err;
      });
    };
    const client = new sdk.MatrixClient({
      baseUrl: this.target.homeserver,
      accessToken: token.value,
      logger: silent,
      fetchFn,
    });
    let roomId = this.target.room;
    if (roomId.startsWith('#')) {
      try {
        roomId = (await client.getRoomIdForAlias(roomId)).room_id;
      } catch (err) {
        throw this.fail(err, { resolving: true });
      }
    }
    return { sdk, client, roomId };
  }

  private async connect(timeoutMs: number): Promise<Session> {
    this.session ??= this.open(timeoutMs);
    try {
      return await this.session;
    } catch (err) {
      this.session = undefined; // the next attempt starts over (a homeserver that was down may be back)
      throw err;
    }
  }

  /** Post the event; resolves to "<event id> in <room id>". */
  async send(event: AlertEvent, ctx: SendContext): Promise<string> {
    this.timeoutMs = ctx.timeoutMs;
    const s = await this.connect(ctx.timeoutMs);
    const post = async () => {
      const res = await s.client.sendEvent(
        s.roomId,
        s.sdk.EventType.RoomMessage,
        noticeContent(s.sdk, event, ctx.late),
        txnIdOf(event),
      );
      return `${res.event_id} in ${s.roomId}`;
    };
    let refused: unknown;
    try {
      return await post();
    } catch (err) {
      if ((err as HttpishError).httpStatus !== 403) throw this.fail(err);
      refused = err;
    }
    // Not in the room: an invited bot (or one allowed into a public room) joins, then posts.
    try {
      await s.client.joinRoom(s.roomId);
    } catch (err) {
      const status = (err as HttpishError).httpStatus;
      if (status !== 403 && status !== 404) throw this.fail(err);
      const userId = await s.client.whoami().then(
        (w) => w.user_id,
        () => undefined,
      );
      throw this.fail(refused, userId === undefined ? {} : { userId });
    }
    try {
      return `${await post()} (joined the room first)`;
    } catch (err) {
      throw this.fail(err);
    }
  }

  async close(): Promise<void> {
    const s = await this.session?.catch(() => undefined);
    s?.client.stopClient();
  }
}
