import type { Knex } from 'knex';

/**
 * Webhooks: endpoints an admin registers, an outbox of events written in the same transaction as
 * the change they report, one delivery per event and endpoint (the unique index makes "once per
 * endpoint" a fact of the database), and every attempt made for a delivery.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.raw(`
    CREATE TABLE webhook_endpoints (
      id serial PRIMARY KEY,
      url text NOT NULL,
      description text NOT NULL DEFAULT '',
      events text[] NOT NULL,
      secret text NOT NULL,
      previous_secret text,
      previous_secret_until timestamptz,
      enabled boolean NOT NULL DEFAULT true,
      disabled_reason text,
      disabled_at timestamptz,
      failing_since timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.schema.raw(`
    CREATE TABLE webhook_events (
      id bigserial PRIMARY KEY,
      msg_id text NOT NULL UNIQUE,
      type text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.schema.raw(`
    CREATE TABLE webhook_deliveries (
      id bigserial PRIMARY KEY,
      event_id bigint NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
      endpoint_id integer NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      last_http_status integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event_id, endpoint_id)
    )`);
  await knex.schema.raw(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
  await knex.schema.raw(`CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC)`);
  await knex.schema.raw(`
    CREATE TABLE webhook_attempts (
      id bigserial PRIMARY KEY,
      delivery_id bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      attempted_at timestamptz NOT NULL,
      http_status integer,
      error text,
      duration_ms integer NOT NULL,
      response_excerpt text
    )`);
  await knex.schema.raw(`CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id DESC)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.raw('DROP TABLE IF EXISTS webhook_attempts');
  await knex.schema.raw('DROP TABLE IF EXISTS webhook_deliveries');
  await knex.schema.raw('DROP TABLE IF EXISTS webhook_events');
  await knex.schema.raw('DROP TABLE IF EXISTS webhook_endpoints');
}
