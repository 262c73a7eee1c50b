/**
 * For the knex CLI (e.g. `npx knex migrate:status --knexfile dist/knexfile.js`). The site itself
 * migrates at start (src/server.ts) with the same explicit migration list.
 */
import type { Knex } from 'knex';
import { migrationSource } from './src/db/migrate';

const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  migrations: { migrationSource },
};

export default config;
