/**
 * One dedicated PostgreSQL connection that LISTENs on the channels the process cares about (payment
 * news between workers, article changes for the page cache). If the connection drops it reconnects
 * with backoff; whoever registered `onState` hears every drop and every return, since notifications
 * sent meanwhile are lost and anything built on them must be rebuilt.
 */
import pg from 'pg';
import type { Logger } from '../lib/logger';
import { createReconnectTimer } from '../lib/reconnect-timer';

export interface PgListener {
  /** Handles the payloads of `channel`; register before `start`. */
  on(channel: string, handler: (payload: string) => void): void;
  /** Called with true each time the LISTEN connection is up, false each time it is lost. */
  onState(handler: (up: boolean) => void): void;
  listening(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function createPgListener(options: { connectionString: string; logger: Logger; reconnectMs?: number }): PgListener {
  const { logger } = options;
  const handlers = new Map<string, Array<(payload: string) => void>>();
  const stateHandlers: Array<(up: boolean) => void> = [];
  let client: pg.Client | null = null;
  let stopped = true;
  const retry = createReconnectTimer({ initialMs: options.reconnectMs ?? 500, maxMs: 10_000, reconnect: () => void connect() });
  const announce = (up: boolean) => {
    for (const h of stateHandlers) h(up);
  };

  function lost(reason: unknown) {
    client = null;
    announce(false);
    if (stopped) return;
    const delay = retry.schedule();
    if (delay !== null) logger.warn('LISTEN connection lost; reconnecting', { inMs: delay, error: reason });
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const c = new pg.Client({ connectionString: options.connectionString });
    c.on('error', (err) => {
      void c.end().catch(() => undefined);
      if (client === c) lost(err);
    });
    c.on('end', () => {
      if (client === c) lost(null);
    });
    c.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    try {
      await c.connect();
      for (const channel of handlers.keys()) await c.query(`LISTEN ${channel}`);
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      retry.succeeded();
      logger.info('listening for database notifications', { channels: [...handlers.keys()] });
      announce(true);
    } catch (err) {
      void c.end().catch(() => undefined);
      if (stopped) return;
      const delay = retry.schedule();
      if (delay !== null) logger.warn('LISTEN connection failed; retrying', { inMs: delay, error: err });
    }
  }

  return {
    on(channel, handler) {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
      handlers.set(channel, [...(handlers.get(channel) ?? []), handler]);
    },
    onState(handler) {
      stateHandlers.push(handler);
    },
    listening: () => client !== null,
    async start() {
      if (!stopped) return;
      stopped = false;
      await connect();
    },
    async stop() {
      stopped = true;
      retry.cancel();
      const c = client;
      client = null;
      if (c) announce(false);
      await c?.end().catch(() => undefined);
    },
  };
}
