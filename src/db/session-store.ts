import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Pool } from 'pg';

/** Sessions live in Postgres (the "session" table comes from our migration, not created at run time). */
export function createSessionStore(pool: Pool): session.Store {
  const PgStore = connectPgSimple(session);
  return new PgStore({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 });
}
