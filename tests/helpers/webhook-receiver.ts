/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1 that records each request and
 * answers as the test tells it (a status, headers, a body, or holding the response until released).
 * It can be stopped and started again on the same port, to play a receiver that is down.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | { hold: Promise<void>; status: number };

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** What the next requests get; the default is 200 "ok". */
  answer: (req: Received) => Answer;
  /** Resolves once `count` requests have arrived in all. */
  waitFor(count: number): Promise<Received[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * Verifies a received webhook with the independent `standardwebhooks` implementation; returns the
 * parsed body. `at` is the receiver's clock (the sender's injected clock in tests that move time).
 */
export function verifyWith(secret: string, r: Received, at: () => Date = () => new Date()): unknown {
  const realNow = Date.now;
  const t = at().getTime();
  Date.now = () => t;
  try {
    return new Webhook(secret).verify(r.body, r.headers);
  } finally {
    Date.now = realNow;
  }
}

export async function startReceiver(port = 0): Promise<Receiver> {
  let server: http.Server | null = null;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const receiver: Receiver = {
    url: '',
    port,
    received: [],
    answer: () => ({ status: 200, body: 'ok' }),
    waitFor(count) {
      if (receiver.received.length >= count) return Promise.resolve(receiver.received);
      return new Promise((resolve) => waiters.push({ count, resolve: () => resolve(receiver.received) }));
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      const s = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const r: Received = {
            path: req.url ?? '',
            headers: req.headers as Record<string, string>,
            body: Buffer.concat(chunks).toString('utf8'),
          };
          receiver.received.push(r);
          for (const w of [...waiters]) {
            if (receiver.received.length >= w.count) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve();
            }
          }
          const a = receiver.answer(r);
          const send = () => {
            if (res.destroyed) return;
            res.writeHead(a.status, 'headers' in a ? a.headers : {});
            res.end('body' in a ? (a.body ?? '') : '');
          };
          if ('hold' in a) void a.hold.then(send);
          else send();
        });
      });
      await new Promise<void>((resolve) => s.listen(receiver.port, '127.0.0.1', () => resolve()));
      receiver.port = (s.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
      server = s;
    },
  };
  await receiver.start();
  return receiver;
}
