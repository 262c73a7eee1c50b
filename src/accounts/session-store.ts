import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Pool } from 'pg';
import { toUser, type UserRow } from './users-repo';
import { attachPreloadedUser } from './preloaded-user';

type SessionData = session.SessionData & { passport?: { user?: unknown } };
type GetCallback = (err: unknown, session?: session.SessionData | null) => void;

// The session row and its user in one round trip. The id is cast only when it looks like one, so
// a malformed session never turns into an SQL error; the join then probes users by primary key.
const GET_WITH_USER = `
  SELECT s.sess, u.id, u.username, u.role, u.created_at
  FROM "session" s
  LEFT JOIN users u ON u.id = CASE WHEN (s.sess #>> '{passport,user}') ~ '^[0-9]{1,15}$' THEN (s.sess #>> '{passport,user}')::bigint END
  WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`;

/**
 * Sessions live in Postgres (the "session" table comes from our migration, not created at run time).
 * Touch is off (and absent, see below): with `rolling: false` the browser's cookie keeps the expiry of the last save, so
 * pushing the row's expiry forward on every request (an UPDATE and a WAL flush per page view)
 * would only keep rows alive that no cookie can reach any more.
 * `get` also loads the session's user (see auth/preloaded-user.ts), so passport needs no query.
 */
/** A session store whose close() stops its pruning timer (call it before ending the pool). */
export type SessionStore = session.Store & { close(): void | Promise<void> };

export function createSessionStore(pool: Pool): SessionStore {
  const PgStore = connectPgSimple(session);
  class PgStoreWithUser extends PgStore {
    override get(sid: string, callback: GetCallback): void {
      // Named, so each connection parses and plans it once (a prepared statement), not per page.
      pool.query({ name: 'paywall-session-with-user', text: GET_WITH_USER, values: [sid, Math.floor(Date.now() / 1000)] }).then(
        (res) => {
          const row = res.rows[0] as (Partial<UserRow> & { sess: SessionData | string }) | undefined;
          if (!row) return callback(null, null);
          let sess: SessionData;
          try {
            sess = typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess;
          } catch {
            return this.destroy(sid, (err) => callback(err, null));
          }
          if (sess.passport) attachPreloadedUser(sess.passport, row.id == null ? null : toUser(row as UserRow));
          callback(null, sess);
        },
        (err: unknown) => callback(err),
      );
    }
  }
  const store = new PgStoreWithUser({
    pool,
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    disableTouch: true,
  });
  // With touch disabled, connect-pg-simple's touch only calls back. But express-session, seeing a
  // store with a touch method, holds back the last byte of every page until that callback and
  // sends the page in two writes (after copying it into a Buffer). Without the method it sends
  // the page in one write.
  Object.defineProperty(store, 'touch', { value: undefined, enumerable: false });
  return store;
}
