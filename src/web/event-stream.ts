/**
 * One Server-Sent Events response (the paywall's payment news, the wallet login's approval): the
 * stream's headers (never cached, never buffered by a proxy), a retry hint, a comment every 25 s so
 * proxies keep the connection, and one place that notices the browser leaving. src/web/graceful-close.ts
 * ends open streams at shutdown by their Content-Type.
 */
import type { Request, Response } from 'express';

const HEARTBEAT_MS = 25_000;

export interface EventStream {
  /** Sends one event (its data as JSON) unless the stream has closed. */
  send(event: string, data?: unknown): void;
  /** Runs `cleanup` once when the stream closes (at once if it already has). */
  onClose(cleanup: () => void): void;
  readonly closed: boolean;
}

export function openEventStream(req: Request, res: Response): EventStream {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  let closed = false;
  const cleanups: Array<() => void> = [];
  const heartbeat = setInterval(() => !closed && res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const cleanup of cleanups) cleanup();
  };
  req.on('close', close);
  res.on('close', close);
  return {
    send(event, data = {}) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(cleanup) {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
    get closed() {
      return closed;
    },
  };
}
