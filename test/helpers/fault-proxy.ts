import { EventEmitter, once } from 'node:events';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  FaultPlan,
  type Fault,
  type FaultKind,
  type FaultRule,
  type ProxyRequest,
  type RandomFaults,
} from '../fixtures/fault-plan.js';
import { decodeBody } from './decode-body.js';

export {
  DEFAULT_MIX,
  type Fault,
  type FaultKind,
  type FaultRule,
  type ProxyRequest,
  type RandomFaults,
} from '../fixtures/fault-plan.js';

export type ProxyMode = 'forward' | 'refuse' | 'reset' | 'black-hole';

/**
 * Counters: requests, forwarded, upstream-error (server gone: client socket reset), reset-connection
 * (connections reset on accept in `reset` mode), one per fault kind.
 */
export type ProxyCounts = Record<
  'requests' | 'forwarded' | 'upstream-error' | 'reset-connection' | FaultKind,
  number
>;

/**
 * A loopback HTTP proxy between the SDK and a real `weft serve` that injects faults: on a schedule
 * (`schedule()`, one fault per request in order), by rule (`addRule()`, e.g. 413 above a size), or at
 * random with a seed (`randomFaults()`); otherwise it forwards. `setMode()` refuses connections,
 * resets them on accept, or black-holes every request. When the upstream is stopped the proxy gets
 * ECONNREFUSED and resets the client's socket, as a dead server would.
 * Emits `request` after deciding each request's fate.
 */
export class FaultProxy extends EventEmitter {
  url = '';
  readonly counts: ProxyCounts = {
    requests: 0,
    forwarded: 0,
    'upstream-error': 0,
    'reset-connection': 0,
    status: 0,
    'retry-after': 0,
    'too-large': 0,
    reset: 0,
    'reset-after-forward': 0,
    stall: 0,
    'black-hole': 0,
  };
  /** Arrival time, path and fault of each request (in `reset` mode: of each connection reset). */
  readonly arrivals: { at: number; path: string; fault: FaultKind | 'reset-connection' | undefined }[] = [];
  /** Requests being stalled or forwarded right now (black holes not counted). */
  pending = 0;
  /** Statuses answered by this proxy or relayed from the server, by code. */
  readonly statuses = new Map<number, number>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });
  private readonly plan = new FaultPlan();
  private mode: ProxyMode = 'forward';
  private port = 0;

  constructor(private upstream: string) {
    super();
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => {
      if (this.mode === 'reset') {
        this.counts['reset-connection']++;
        this.arrivals.push({ at: Date.now(), path: '', fault: 'reset-connection' });
        socket.destroy();
        this.emit('request');
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  setUpstream(url: string): void {
    this.upstream = url;
  }

  /**
   * `refuse`: stop listening, so connections are refused (ECONNREFUSED, as for a stopped server);
   * `reset`: accept connections and reset them at once (a load balancer without backends); both drop
   * the open connections. `black-hole`: accept requests and never answer. `forward`: back to normal.
   */
  async setMode(mode: ProxyMode): Promise<void> {
    const server = this.server;
    const was = this.mode;
    this.mode = mode;
    if (!server || mode === was) return;
    if (mode === 'refuse' || mode === 'reset') this.dropConnections();
    if (mode === 'refuse') await new Promise((resolve) => server.close(resolve));
    if (was === 'refuse') {
      server.listen(this.port, '127.0.0.1');
      await once(server, 'listening');
    }
  }

  /** The next requests get these faults, in order (`undefined`: forward that one). */
  schedule(...faults: (Fault | undefined)[]): void {
    this.plan.schedule(faults);
  }

  addRule(rule: FaultRule): void {
    this.plan.addRule(rule);
  }

  randomFaults(options: RandomFaults | undefined): void {
    this.plan.setRandom(options);
  }

  /** Resolves when `pred()` holds, re-checked after every request; rejects after the deadline. */
  async waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (pred()) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!pred()) return;
        clearTimeout(timer);
        this.off('request', check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('request', check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.on('request', check);
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.dropConnections();
    this.agent.destroy();
    if (this.server?.listening) await new Promise((resolve) => this.server!.close(resolve));
    this.server = undefined;
  }

  private dropConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counts.requests++;
    const arrival = { at: Date.now(), path: req.url ?? '/', fault: undefined as FaultKind | undefined };
    this.arrivals.push(arrival);
    if (this.mode === 'black-hole') {
      arrival.fault = 'black-hole';
      return this.done('black-hole');
    }
    if (this.plan.peek()?.kind === 'reset') {
      arrival.fault = 'reset';
      this.plan.takeScheduled();
      req.socket.destroy();
      return this.done('reset');
    }
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return; // the client went away
    }
    const wire = Buffer.concat(chunks);
    let text: string | undefined;
    const info: ProxyRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      wire,
      text: () => (text ??= decodeBody(req.headers['content-encoding'], wire).toString('utf8')),
    };
    const fault = this.plan.pick(info);
    arrival.fault = fault?.kind;
    if (!fault) return this.forward(info, res, 'relay');
    switch (fault.kind) {
      case 'status':
        this.answer(res, fault.status, {}, fault.message ?? `fault-proxy: injected ${fault.status}`);
        break;
      case 'retry-after': {
        const value =
          fault.form === 'seconds'
            ? String(fault.seconds)
            : new Date(Date.now() + fault.seconds * 1000).toUTCString();
        this.answer(res, fault.status ?? 429, { 'retry-after': value }, 'fault-proxy: slow down');
        break;
      }
      case 'too-large':
        this.answer(res, 413, {}, 'fault-proxy: request body too large');
        break;
      case 'reset':
        req.socket.destroy();
        break;
      case 'reset-after-forward':
        await this.forward(info, res, 'reset');
        break;
      case 'stall': {
        this.pending++;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.pending--;
          void this.forward(info, res, 'relay');
        }, fault.ms);
        this.timers.add(timer);
        break;
      }
      case 'black-hole':
        break;
    }
    this.done(fault.kind);
  }

  private done(kind: FaultKind): void {
    this.counts[kind]++;
    this.emit('request');
  }

  private answer(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    message: string,
  ): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: message }));
  }

  /** Forwards to the upstream; `relay` passes its answer back, `reset` destroys the client socket instead. */
  private forward(req: ProxyRequest, res: ServerResponse, then: 'relay' | 'reset'): Promise<void> {
    const target = new URL(req.path, this.upstream);
    const headers = { ...req.headers, host: target.host, 'content-length': String(req.wire.length) };
    delete headers.connection;
    delete headers['transfer-encoding'];
    this.pending++;
    return new Promise<void>((done) => {
      let settled = false;
      const resolve = (): void => {
        if (settled) return;
        settled = true;
        this.pending--;
        this.emit('request');
        done();
      };
      const up = httpRequest(target, { method: req.method, headers, agent: this.agent }, (upRes) => {
        const body: Buffer[] = [];
        upRes.on('data', (c: Buffer) => body.push(c));
        upRes.on('error', () => {
          res.socket?.destroy();
          resolve();
        });
        upRes.on('end', () => {
          this.counts.forwarded++;
          const status = upRes.statusCode ?? 502;
          if (then === 'reset' || res.socket?.destroyed !== false) {
            res.socket?.destroy();
          } else {
            this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
            const out = { ...upRes.headers };
            delete out.connection;
            delete out['keep-alive'];
            res.writeHead(status, out);
            res.end(Buffer.concat(body));
          }
          resolve();
        });
      });
      up.on('error', () => {
        // The server is gone (ECONNREFUSED, reset): the client sees its connection reset, as if it were.
        this.counts['upstream-error']++;
        res.socket?.destroy();
        resolve();
      });
      up.end(req.wire);
    });
  }
}
