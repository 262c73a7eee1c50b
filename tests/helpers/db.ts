/**
 * Each test file gets its own real database, cloned from a template that is migrated and seeded
 * once per run (an advisory lock keeps parallel Jest workers from building it twice).
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { createKnex } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { createPasswordHasher } from '../../src/accounts/passwords';
import { testBcryptCost } from './test-bcrypt-cost';
import { seedDemoData } from '../../seeds/demo';

const TEMPLATE = 'paywall_test_template';

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (globalSetup starts PostgreSQL)');
  return url;
}

function urlFor(db: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${db}`;
  return u.toString();
}

async function ensureTemplate(admin: pg.Client): Promise<void> {
  await admin.query('SELECT pg_advisory_lock(7301)');
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
    if (found.rowCount) return;
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
    const knex = createKnex(urlFor(TEMPLATE));
    try {
      await migrateLatest(knex);
      await seedDemoData(knex, createPasswordHasher(testBcryptCost()).hash);
    } finally {
      await knex.destroy();
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(7301)');
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  knex: Knex;
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  const name = `test_${crypto.randomBytes(6).toString('hex')}`;
  try {
    await ensureTemplate(admin);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const knex = createKnex(url, { max: 20 });
  return {
    name,
    url,
    knex,
    async destroy() {
      await knex.destroy();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
