import { isDatabaseUnavailable } from '../../src/db/db-errors';

test('connection failures of pg, knex and PostgreSQL itself count as "database unavailable"', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  expect(isDatabaseUnavailable(refused)).toBe(true);
  expect(isDatabaseUnavailable(new AggregateError([refused], ''))).toBe(true);
  expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isDatabaseUnavailable(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'))).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(
    true,
  );
  expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
  expect(isDatabaseUnavailable(new Error('wrapped', { cause: refused }))).toBe(true);
});

test('bugs stay bugs: constraint and syntax errors are not "unavailable"', () => {
  expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
  expect(isDatabaseUnavailable(Object.assign(new Error('syntax error at or near'), { code: '42601' }))).toBe(false);
  expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  expect(isDatabaseUnavailable(null)).toBe(false);
});
