/** `node dist/seeds/run.js`: applies migrations and the demo seed to DATABASE_URL. */
import { createKnex } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import { createPasswordHasher } from '../src/accounts/passwords';
import { seedDemoData } from './demo';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const knex = createKnex(url);
  try {
    await migrateLatest(knex);
    const hasher = createPasswordHasher(12);
    const result = await seedDemoData(knex, hasher.hash);
    process.stdout.write(`seeded ${result.users} users and ${result.articles} articles\n`);
  } finally {
    await knex.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
