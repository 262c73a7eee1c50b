/** An upgrade of a multi-process site: processes starting together migrate one at a time, none fails. */
import pg from 'pg';
import { createKnex } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { migrations } from '../../migrations';

test('three processes migrating a fresh database at once: one runs every migration, the others find none left', async () => {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  const name = `migrate_together_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.pathname = `/${name}`;
  const knexes = [0, 1, 2].map(() => createKnex(url.toString(), { max: 2 }));
  try {
    const ran = await Promise.all(knexes.map((k) => migrateLatest(k)));
    expect(ran.map((r) => r.length).sort((a, b) => a - b)).toEqual([0, 0, migrations.length]);
    expect((await knexes[0]('knex_migrations').count('* as n').first())?.n).toBe(migrations.length);
  } finally {
    await Promise.all(knexes.map((k) => k.destroy()));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
