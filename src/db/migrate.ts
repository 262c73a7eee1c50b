import type { Knex } from 'knex';
import { migrations } from '../../migrations';

/** A knex migration source over the explicit list in migrations/index.ts. */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};

/**
 * The key of the PostgreSQL advisory lock that migrations run under (any fixed bigint; this one
 * spells "paywall migrate" loosely). Every process of the site on one database uses it.
 */
export const MIGRATION_LOCK_KEY = 7_061_776_105_001;

/**
 * Brings the schema up to date; returns the names of the migrations it ran. Any number of
 * processes may call this at once on one database: they take a session-level advisory lock in
 * turn, so the first runs the migrations and the others wait, then find nothing left to do (knex's
 * own lock table cannot help with the very first run: creating that table is what races).
 * The lock lives on one connection held for the duration, so the pool needs at least two.
 */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const client = knex.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    await knex.raw('SELECT pg_advisory_lock(?)', [MIGRATION_LOCK_KEY]).connection(connection);
    try {
      const [, ran] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
      return ran;
    } finally {
      await knex.raw('SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK_KEY]).connection(connection);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}
