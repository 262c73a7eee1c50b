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

/** Any fixed number: the advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK = 7_302_018;

/**
 * Brings the schema up to date; returns the names of the migrations it ran. Several processes
 * starting at once (an upgrade of a multi-process site) queue on an advisory lock held by a
 * transaction of their own, instead of meeting knex's lock table and failing: the first migrates,
 * the others then find nothing left to do. Needs a pool of at least two connections.
 */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    const [, ran] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
    return ran;
  });
}
