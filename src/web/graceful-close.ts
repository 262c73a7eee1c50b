/**
 * Graceful close of an HTTP server: stop accepting, end open event streams (they never finish by
 * themselves; pages reconnect to another process or after the restart), let in-flight requests
 * finish, then drop what is left once `graceMs` has passed.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface GracefulCloser {
  /** Resolves once the server is closed; in-flight requests had up to `graceMs` to finish. */
  close(graceMs: number): Promise<void>;
}

export function trackRequests(server: Server): GracefulCloser {
  const active = new Set<ServerResponse>();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    res.on('close', () => active.delete(res));
  });
  const isStream = (res: ServerResponse) => String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');

  return {
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const res of active) if (isStream(res)) res.end();
      const until = Date.now() + graceMs;
      while ([...active].some((r) => !isStream(r)) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      // Finished responses leave keep-alive sockets behind; anything still open is past its grace.
      server.closeAllConnections();
      await closed;
    },
  };
}
