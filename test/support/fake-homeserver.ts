// A tiny in-process Matrix homeserver (node:http) for delivery tests: the few client-server API endpoints the
// Matrix channel uses, transaction-id dedupe as the spec requires, and scripted faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { status: number; body: Record<string, unknown>; headers?: Record<string, string> }
  | 'drop-response';

export interface StoredEvent {
  eventId: string;
  roomId: string;
  txnId: string;
  content: Record<string, unknown>;
}

export interface FakeHomeserverOptions {
  token: string;
  userId?: string;
  /** Rooms the bot is in. */
  joined?: string[];
  /** Rooms the bot is invited to (it may join). */
  invited?: string[];
  aliases?: Record<string, string>;
}

export class FakeHomeserver {
  readonly events: StoredEvent[] = [];
  readonly requests: { method: string; path: string }[] = [];
  /** Faults answered to the next sends, in order, instead of the normal reply. */
  readonly sendFaults: Fault[] = [];
  private readonly txns = new Map<string, string>();
  private readonly joined: Set<string>;
  private readonly invited: Set<string>;
  private server: Server | undefined;
  url = '';

  constructor(private readonly opts: FakeHomeserverOptions) {
    this.joined = new Set(opts.joined ?? []);
    this.invited = new Set(opts.invited ?? []);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => this.handle(req, res, body));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  sendRequests(): { method: string; path: string }[] {
    return this.requests.filter((r) => r.path.includes('/send/'));
  }

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    this.requests.push({ method: req.method ?? '', path });
    if (req.headers.authorization !== `Bearer ${this.opts.token}`) {
      this.reply(res, 401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' });
      return;
    }
    const p = '/_matrix/client/v3';
    let m: RegExpMatchArray | null;
    if (req.method === 'GET' && path === `${p}/account/whoami`) {
      this.reply(res, 200, { user_id: this.opts.userId ?? '@bot:fake' });
    } else if (req.method === 'GET' && path === `${p}/joined_rooms`) {
      this.reply(res, 200, { joined_rooms: [...this.joined] });
    } else if (req.method === 'GET' && (m = path.match(/^\/_matrix\/client\/v3\/directory\/room\/(.+)$/))) {
      const roomId = this.opts.aliases?.[m[1] as string];
      if (roomId) this.reply(res, 200, { room_id: roomId, servers: ['fake'] });
      else this.reply(res, 404, { errcode: 'M_NOT_FOUND', error: `Room alias ${m[1]} not found` });
    } else if (req.method === 'POST' && (m = path.match(/^\/_matrix\/client\/v3\/join\/(.+)$/))) {
      const room = m[1] as string;
      if (this.joined.has(room) || this.invited.has(room)) {
        this.joined.add(room);
        this.reply(res, 200, { room_id: room });
      } else {
        this.reply(res, 403, { errcode: 'M_FORBIDDEN', error: 'You are not invited to this room.' });
      }
    } else if (
      req.method === 'PUT' &&
      (m = path.match(/^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/(.+)$/))
    ) {
      this.send(res, m[1] as string, m[2] as string, raw);
    } else {
      this.reply(res, 404, { errcode: 'M_UNRECOGNIZED', error: `not in the fake: ${req.method} ${path}` });
    }
  }

  private send(res: ServerResponse, roomId: string, txnId: string, raw: string): void {
    const fault = this.sendFaults.shift();
    if (fault && fault !== 'drop-response') {
      this.reply(res, fault.status, fault.body, fault.headers);
      return;
    }
    if (!this.joined.has(roomId)) {
      this.reply(res, 403, {
        errcode: 'M_FORBIDDEN',
        error: `User ${this.opts.userId ?? '@bot:fake'} not in room ${roomId}`,
      });
      return;
    }
    let eventId = this.txns.get(txnId);
    if (!eventId) {
      eventId = `$ev${this.events.length + 1}`;
      this.txns.set(txnId, eventId);
      this.events.push({ eventId, roomId, txnId, content: JSON.parse(raw) as Record<string, unknown> });
    }
    // The event is stored, but the answer never arrives: the client must retry with the same txnId.
    if (fault === 'drop-response') res.socket?.destroy();
    else this.reply(res, 200, { event_id: eventId });
  }
}
