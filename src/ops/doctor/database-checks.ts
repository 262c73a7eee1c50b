/** The doctor's database side: reachable, migrated, and what is waiting in it (payments, withdrawals, webhooks). */
import type { Knex } from 'knex';
import { migrationSource } from '../../db/migrate';
import { fail, ok, warn, type CheckResult } from './check';

export async function checkDatabase(knex: Knex, where: string): Promise<CheckResult> {
  try {
    const { rows } = await knex.raw('SHOW server_version');
    return ok('database', `connected to ${where} (PostgreSQL ${rows[0].server_version})`);
  } catch (err) {
    const msg = (err as Error).message;
    const fix = /ECONNREFUSED/.test(msg)
      ? where.includes('embedded')
        ? 'the embedded PostgreSQL runs only while `npm start` does: start the site, or set DATABASE_URL to a running PostgreSQL'
        : 'start PostgreSQL or correct the host and port in DATABASE_URL'
      : /password authentication|role .* does not exist/.test(msg)
        ? 'correct the user and password in DATABASE_URL'
        : /database .* does not exist/.test(msg)
          ? 'create the database (createdb) or correct its name in DATABASE_URL'
          : 'check DATABASE_URL';
    return fail('database', `cannot connect to ${where}: ${msg}`, fix);
  }
}

export async function checkMigrations(knex: Knex): Promise<CheckResult> {
  const [done, pending] = (await knex.migrate.list({ migrationSource })) as [unknown[], unknown[]];
  if (pending.length === 0) return ok('migrations', `all ${done.length} applied`);
  const names = pending.map((p) => (typeof p === 'string' ? p : ((p as { file?: string; name?: string }).file ?? String(p))));
  return fail(
    'migrations',
    `${pending.length} not applied: ${names.join(', ')}`,
    'start the site once (`npm start` migrates before it serves; several processes take turns on a lock)',
  );
}

export async function checkPayments(knex: Knex): Promise<CheckResult> {
  const { rows } = await knex.raw(
    `SELECT count(*) FILTER (WHERE status = 'error')::int AS errors,
            count(*) FILTER (WHERE status = 'pending_payment')::int AS waiting,
            count(*) FILTER (WHERE status = 'pending_invoice' AND updated_at < now() - interval '10 minutes')::int AS stuck
     FROM payments`,
  );
  const { errors, waiting, stuck } = rows[0];
  if (errors > 0 || stuck > 0) {
    return warn(
      'pending payments',
      `${waiting} waiting for readers, ${errors} in error, ${stuck} without an invoice for over 10 minutes`,
      "see why on /admin (payments in error get a fresh invoice on the reader's next view once the node is fine)",
    );
  }
  return ok('pending payments', `${waiting} waiting for readers to pay, none in error`);
}

/** Withdrawals exist once issue 16's table does; before that the check says so. */
export async function checkWithdrawals(knex: Knex): Promise<CheckResult> {
  const { rows } = await knex.raw(`SELECT to_regclass('public.withdrawals') IS NOT NULL AS present`);
  if (!rows[0].present) return ok('withdrawals', 'no withdrawals table in this version');
  const r = await knex.raw(`SELECT count(*) FILTER (WHERE status = 'in_flight')::int AS in_flight,
                                   count(*) FILTER (WHERE status = 'in_flight' AND updated_at < now() - interval '1 hour')::int AS old
                            FROM withdrawals`);
  const { in_flight: inFlight, old } = r.rows[0];
  if (old > 0)
    return warn(
      'withdrawals',
      `${inFlight} in flight, ${old} for over an hour`,
      "check the node's payments (lncli listpayments); the site settles them when the node reports them final",
    );
  return ok('withdrawals', `${inFlight} in flight`);
}

export async function checkWebhooks(knex: Knex): Promise<CheckResult> {
  const { rows } = await knex.raw(
    `SELECT (SELECT count(*) FROM webhook_endpoints)::int AS endpoints,
            (SELECT coalesce(string_agg(id::text, ', '), '') FROM webhook_endpoints WHERE NOT enabled) AS disabled,
            (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND created_at < now() - interval '1 hour')::int AS backlog,
            (SELECT count(*) FROM webhook_deliveries WHERE status = 'failed')::int AS given_up`,
  );
  const { endpoints, disabled, backlog, given_up: givenUp } = rows[0];
  if (disabled)
    return warn(
      'webhook endpoints',
      `${endpoints} endpoints, disabled: ${disabled}; ${backlog} deliveries waiting over an hour, ${givenUp} given up`,
      `fix the receiver, then press Enable on /admin/webhooks/<id> (waiting deliveries resume; "Deliver again" resends given-up ones)`,
    );
  if (backlog > 0)
    return warn(
      'webhook endpoints',
      `${endpoints} endpoints; ${backlog} deliveries waiting over an hour`,
      'see the failing deliveries on /admin/webhooks',
    );
  if (endpoints === 0) return ok('webhook endpoints', 'none registered (add one on /admin/webhooks to hear of payments)');
  return ok('webhook endpoints', `${endpoints} endpoint${endpoints === 1 ? '' : 's'}, all enabled; ${givenUp} deliveries given up`);
}
