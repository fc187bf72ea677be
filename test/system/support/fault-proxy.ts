// A reverse proxy in front of a real homeserver that answers chosen message sends with 429 or 500, or forwards
// them and then loses the answer: the client sees a failure although the homeserver stored the message.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault = { status: number; body: Record<string, unknown> } | 'drop-response';

export class FaultProxy {
  readonly faults: ProxyFault[] = [];
  /** Paths of the message sends that reached the proxy, in order. */
  readonly sends: string[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly upstream: string) {}

  async start(): Promise<this> {
    const up = new URL(this.upstream);
    this.server = createServer((req, res) => {
      const isSend = req.method === 'PUT' && /\/rooms\/[^/]+\/send\//.test(req.url ?? '');
      if (isSend) this.sends.push(req.url ?? '');
      const fault = isSend ? this.faults.shift() : undefined;
      if (fault && fault !== 'drop-response') {
        req.resume();
        res.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify(fault.body));
        return;
      }
      const fwd = request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          if (fault === 'drop-response') {
            upRes.resume();
            upRes.on('end', () => res.socket?.destroy());
            return;
          }
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      fwd.on('error', () => res.socket?.destroy());
      req.pipe(fwd);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
