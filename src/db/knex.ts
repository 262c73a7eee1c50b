import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../lib/logger';

// Postgres bigint (int8) and numeric arrive as strings by default; our amounts and ids are far
// below 2^53, so parse int8 to numbers once here instead of converting in every repository.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value out of safe integer range: ${v}`);
  return n;
});

export interface KnexOptions {
  min?: number;
  max?: number;
  /** Where knex's own warnings go (it prints to the console otherwise). */
  logger?: Logger;
}

export function createKnex(connectionString: string, options: KnexOptions = {}): Knex {
  const { logger } = options;
  return knexFactory({
    client: 'pg',
    connection: { connectionString },
    pool: { min: options.min ?? 0, max: options.max ?? 10 },
    log: logger
      ? {
          warn: (message: unknown) => logger.warn('knex', { message: String(message) }),
          error: (message: unknown) => logger.error('knex', { message: String(message) }),
          deprecate: (message: unknown) => logger.warn('knex deprecation', { message: String(message) }),
          debug: (message: unknown) => logger.debug('knex', { message: String(message) }),
        }
      : undefined,
  });
}
