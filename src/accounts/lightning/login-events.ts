/**
 * "The wallet approved this LNURL-auth challenge", told to the page waiting on it. The callback
 * may land in another worker than the page's event stream, so the news goes through PostgreSQL
 * NOTIFY when there is a LISTEN connection; in this process it is delivered at once. A page that
 * misses it still learns it: the stream looks at the database when it opens.
 */
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { PgListener } from '../../db/pg-listener';
import type { Logger } from '../../lib/logger';

export const LNURL_VERIFIED_CHANNEL = 'lnurl_auth_verified';

export interface LoginEvents {
  verified(challengeId: number): void;
  onVerified(challengeId: number, listener: () => void): () => void;
}

export function createLoginEvents(deps: { knex: Knex; logger: Logger; listener?: PgListener }): LoginEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  deps.listener?.on(LNURL_VERIFIED_CHANNEL, (payload) => {
    if (/^\d{1,15}$/.test(payload)) emitter.emit(`c:${payload}`);
  });
  return {
    verified(challengeId) {
      emitter.emit(`c:${challengeId}`);
      if (!deps.listener) return;
      deps.knex.raw('SELECT pg_notify(?, ?)', [LNURL_VERIFIED_CHANNEL, String(challengeId)]).catch((err: unknown) => {
        deps.logger.warn('login events: NOTIFY failed; pages in other workers learn it when they reconnect', { challengeId, error: err });
      });
    },
    onVerified(challengeId, listener) {
      const name = `c:${challengeId}`;
      emitter.on(name, listener);
      return () => emitter.off(name, listener);
    },
  };
}
