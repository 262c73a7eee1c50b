import type { Knex } from 'knex';

/**
 * Writers get paid (issue 16): an append-only ledger, running balances checked against it, and
 * withdrawals over Lightning.
 *
 * ledger_entries: one row per movement of sats, never updated or deleted (a trigger refuses it).
 *   user_id NULL is the site's own account (fees kept). Amounts are signed integer sats.
 * balances: the running figure per user, changed only in the transaction that writes the entries,
 *   never negative (CHECK). The books compare it with the entries' sum.
 * withdrawals: the state machine requested -> in_flight -> succeeded | failed (src/payouts/withdrawal-states.ts).
 *
 * Crediting is a trigger on payments: when a payment of ANY purpose becomes complete, in that same
 * transaction, the site's fee and the writer's share (and, with UPVOTE_SPLIT=earlier-upvoters, the
 * earlier upvoters' shares) are written, at most once per payment. Rounding: fee = ceil(amount * pct / 100),
 * so the site keeps at most one sat more than the exact percentage; shares of earlier upvoters are
 * floored and what the floors leave goes to the writer.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ledger_settings', (t) => {
    t.integer('id').primary();
    t.integer('platform_fee_percent').notNullable().defaultTo(10);
    t.text('upvote_split').notNullable().defaultTo('writer');
    t.integer('upvote_share_percent').notNullable().defaultTo(50);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE ledger_settings ADD CONSTRAINT ledger_settings_one_row CHECK (id = 1)');
  await knex.raw('ALTER TABLE ledger_settings ADD CONSTRAINT ledger_settings_fee_check CHECK (platform_fee_percent BETWEEN 0 AND 100)');
  await knex.raw('ALTER TABLE ledger_settings ADD CONSTRAINT ledger_settings_share_check CHECK (upvote_share_percent BETWEEN 0 AND 100)');
  await knex.raw(
    "ALTER TABLE ledger_settings ADD CONSTRAINT ledger_settings_split_check CHECK (upvote_split IN ('writer', 'earlier-upvoters'))",
  );
  await knex('ledger_settings').insert({ id: 1 });

  await knex.schema.createTable('withdrawals', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('RESTRICT');
    t.text('status').notNullable().defaultTo('requested');
    t.text('via').notNullable();
    t.text('lightning_address');
    t.text('payment_request').notNullable();
    t.text('payment_hash').notNullable().unique();
    t.bigInteger('amount_sat').notNullable();
    t.bigInteger('fee_reserve_sat').notNullable();
    t.bigInteger('fee_sat');
    t.text('preimage');
    t.text('failure_reason');
    t.boolean('automatic').notNullable().defaultTo(false);
    // Only the holder of this lease may call SendPaymentV2 for a requested withdrawal (src/payouts/payouts-service.ts).
    t.timestamp('send_lease_until', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
  await knex.raw(
    "ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_status_check CHECK (status IN ('requested', 'in_flight', 'succeeded', 'failed'))",
  );
  await knex.raw("ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_via_check CHECK (via IN ('bolt11', 'lightning_address'))");
  await knex.raw(
    'ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_amounts_check CHECK (amount_sat > 0 AND fee_reserve_sat >= 0 AND (fee_sat IS NULL OR fee_sat >= 0))',
  );
  await knex.raw('CREATE INDEX withdrawals_user_idx ON withdrawals (user_id, created_at DESC)');
  await knex.raw("CREATE INDEX withdrawals_open_idx ON withdrawals (id) WHERE status IN ('requested', 'in_flight')");

  await knex.schema.createTable('ledger_entries', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').references('id').inTable('users').onDelete('RESTRICT');
    t.text('kind').notNullable();
    t.bigInteger('amount_sat').notNullable();
    t.bigInteger('fee_sat').notNullable().defaultTo(0);
    t.bigInteger('payment_id').references('id').inTable('payments').onDelete('RESTRICT');
    t.bigInteger('withdrawal_id').references('id').inTable('withdrawals').onDelete('RESTRICT');
    t.bigInteger('article_id').references('id').inTable('articles').onDelete('SET NULL');
    t.text('purpose');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN
    ('site_fee', 'earning', 'upvote_share', 'withdrawal', 'withdrawal_refund', 'fee_reserve_refund'))`);
  await knex.raw("ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_site_fee_check CHECK ((kind = 'site_fee') = (user_id IS NULL))");
  // One credit per payment, user and kind; one refund of each kind per withdrawal: double credits
  // and double restores are impossible, not merely avoided.
  await knex.raw(
    'CREATE UNIQUE INDEX ledger_entries_payment_once ON ledger_entries (payment_id, COALESCE(user_id, 0), kind) WHERE payment_id IS NOT NULL',
  );
  await knex.raw(
    'CREATE UNIQUE INDEX ledger_entries_withdrawal_once ON ledger_entries (withdrawal_id, kind) WHERE withdrawal_id IS NOT NULL',
  );
  await knex.raw('CREATE INDEX ledger_entries_user_idx ON ledger_entries (user_id, id DESC)');
  await knex.raw(`
    CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'ledger entries are append-only (% refused)', TG_OP;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER ledger_entries_no_change BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()`);

  await knex.schema.createTable('balances', (t) => {
    t.bigInteger('user_id').primary().references('id').inTable('users').onDelete('RESTRICT');
    t.bigInteger('balance_sat').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE balances ADD CONSTRAINT balances_not_negative CHECK (balance_sat >= 0)');

  await knex.schema.createTable('payout_settings', (t) => {
    t.bigInteger('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.text('lightning_address');
    t.bigInteger('auto_withdraw_threshold_sat');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('payout_controls', (t) => {
    t.integer('id').primary();
    t.boolean('paused').notNullable().defaultTo(false);
    t.text('reason').notNullable().defaultTo('');
    t.bigInteger('changed_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE payout_controls ADD CONSTRAINT payout_controls_one_row CHECK (id = 1)');
  await knex('payout_controls').insert({ id: 1 });

  await knex.raw(CREDIT_FUNCTION);
  await knex.raw(`
    CREATE TRIGGER payments_credit_ledger AFTER UPDATE OF status ON payments
    FOR EACH ROW WHEN (NEW.status = 'complete' AND OLD.status IS DISTINCT FROM 'complete')
    EXECUTE FUNCTION ledger_credit_payment()`);
  await knex.raw(`
    CREATE TRIGGER payments_credit_ledger_insert AFTER INSERT ON payments
    FOR EACH ROW WHEN (NEW.status = 'complete')
    EXECUTE FUNCTION ledger_credit_payment()`);
  // Payments completed before the ledger existed are credited now, in id order, so the books balance
  // from the first day (with the default settings: 10 % fee, upvotes to the writer).
  await knex.raw(`
    DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT * FROM payments WHERE status = 'complete' ORDER BY id LOOP
        PERFORM ledger_credit_payment_row(r.id);
      END LOOP;
    END $$`);
}

/**
 * ledger_credit_payment_row(payment id) writes a complete payment's entries and moves the balances,
 * once: a payment that already has entries is left alone (so error -> complete again, should the state
 * machine ever allow it, credits nothing twice).
 */
const CREDIT_FUNCTION = `
CREATE FUNCTION ledger_credit_payment_row(pid bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  p payments%ROWTYPE;
  s ledger_settings%ROWTYPE;
  author bigint;
  amount bigint;
  fee bigint;
  net bigint;
  pool bigint := 0;
  given_total numeric;
  shared bigint := 0;
  r record;
  share bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_entries WHERE payment_id = pid) THEN RETURN; END IF;
  SELECT * INTO p FROM payments WHERE id = pid;
  IF p.status IS DISTINCT FROM 'complete' THEN RETURN; END IF;
  SELECT * INTO s FROM ledger_settings WHERE id = 1;
  SELECT author_id INTO author FROM articles WHERE id = p.article_id;
  amount := COALESCE(p.amount_paid_sat, p.amount_sat);
  -- The site's fee, rounded up: ceil(amount * pct / 100) in integers.
  fee := (amount * COALESCE(s.platform_fee_percent, 10) + 99) / 100;
  net := amount - fee;
  IF author IS NULL THEN
    -- The writer's account is gone: the site keeps it all.
    fee := amount;
    net := 0;
  END IF;
  INSERT INTO ledger_entries (user_id, kind, amount_sat, payment_id, article_id, purpose)
  VALUES (NULL, 'site_fee', fee, pid, p.article_id, p.purpose);
  IF net > 0 AND p.purpose = 'upvote' AND COALESCE(s.upvote_split, 'writer') = 'earlier-upvoters' THEN
    -- Earlier upvoters: readers (not this one) whose upvotes of this article were credited before.
    SELECT sum(COALESCE(q.amount_paid_sat, q.amount_sat)) INTO given_total
    FROM payments q
    WHERE q.article_id = p.article_id AND q.purpose = 'upvote' AND q.status = 'complete' AND q.id <> pid
      AND q.user_id <> p.user_id AND q.user_id IS DISTINCT FROM author
      AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.payment_id = q.id);
    IF given_total IS NOT NULL AND given_total > 0 THEN
      pool := net * COALESCE(s.upvote_share_percent, 50) / 100;
      FOR r IN
        SELECT q.user_id, sum(COALESCE(q.amount_paid_sat, q.amount_sat)) AS given
        FROM payments q
        WHERE q.article_id = p.article_id AND q.purpose = 'upvote' AND q.status = 'complete' AND q.id <> pid
          AND q.user_id <> p.user_id AND q.user_id IS DISTINCT FROM author
          AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.payment_id = q.id)
        GROUP BY q.user_id ORDER BY q.user_id
      LOOP
        share := floor(pool * r.given / given_total);
        IF share > 0 THEN
          INSERT INTO ledger_entries (user_id, kind, amount_sat, payment_id, article_id, purpose)
          VALUES (r.user_id, 'upvote_share', share, pid, p.article_id, p.purpose);
          shared := shared + share;
        END IF;
      END LOOP;
    END IF;
  END IF;
  IF author IS NOT NULL THEN
    INSERT INTO ledger_entries (user_id, kind, amount_sat, fee_sat, payment_id, article_id, purpose)
    VALUES (author, 'earning', net - shared, fee, pid, p.article_id, p.purpose);
  END IF;
  -- One statement, rows in user order: concurrent credits lock balances in the same order.
  INSERT INTO balances (user_id, balance_sat)
  SELECT user_id, sum(amount_sat) FROM ledger_entries
  WHERE payment_id = pid AND user_id IS NOT NULL GROUP BY user_id ORDER BY user_id
  ON CONFLICT (user_id) DO UPDATE SET balance_sat = balances.balance_sat + EXCLUDED.balance_sat, updated_at = now();
END $$;

CREATE FUNCTION ledger_credit_payment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_credit_payment_row(NEW.id);
  RETURN NULL;
END $$;
`;

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS payments_credit_ledger_insert ON payments');
  await knex.raw('DROP TRIGGER IF EXISTS payments_credit_ledger ON payments');
  await knex.raw('DROP FUNCTION IF EXISTS ledger_credit_payment()');
  await knex.raw('DROP FUNCTION IF EXISTS ledger_credit_payment_row(bigint)');
  for (const t of ['payout_controls', 'payout_settings', 'balances', 'ledger_entries', 'withdrawals', 'ledger_settings']) {
    await knex.schema.dropTableIfExists(t);
  }
  await knex.raw('DROP FUNCTION IF EXISTS ledger_entries_append_only()');
}
