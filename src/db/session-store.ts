import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Pool } from 'pg';

/**
 * Sessions live in Postgres (the "session" table comes from our migration, not created at run time).
 * Touch is off: with `rolling: false` the browser's cookie keeps the expiry of the last save, so
 * pushing the row's expiry forward on every request (an UPDATE and a WAL flush per page view)
 * would only keep rows alive that no cookie can reach any more.
 */
export function createSessionStore(pool: Pool): session.Store {
  const PgStore = connectPgSimple(session);
  return new PgStore({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60, disableTouch: true });
}
