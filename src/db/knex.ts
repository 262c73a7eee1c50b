import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// Postgres bigint (int8) and numeric arrive as strings by default; our amounts and ids are far
// below 2^53, so parse int8 to numbers once here instead of converting in every repository.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value out of safe integer range: ${v}`);
  return n;
});

export function createKnex(connectionString: string, pool: { min?: number; max?: number } = {}): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString },
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
  });
}
