/**
 * The webhook outbox. A change worth telling calls enqueueWebhookEvent with ITS OWN transaction, so
 * the event exists exactly when the change committed: a process that dies after the commit leaves
 * the event for the delivery worker (any process's), one that dies before leaves neither.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { TEST_EVENT_TYPE, type WebhookEventType } from './event-types';

/** NOTIFY channel that wakes delivery workers at commit (they also poll, so a lost notice only delays). */
export const WEBHOOK_NOTIFY_CHANNEL = 'paywall_webhooks';

export type WebhookData = Record<string, unknown>;

/** A Standard Webhooks message id: no dots, unique, the same on every attempt of the event. */
export const newMessageId = (): string => `msg_${crypto.randomBytes(16).toString('hex')}`;

/**
 * Records `type` with `data` for every enabled endpoint that wants it, inside `trx`. One statement;
 * when no endpoint wants the event nothing is written. Returns the number of deliveries queued.
 */
export async function enqueueWebhookEvent(trx: Knex.Transaction | Knex, type: WebhookEventType, data: WebhookData): Promise<number> {
  return insertEvent(trx, type, data, null);
}

/** The admin's test event, for one endpoint whatever events it subscribed to. */
export async function enqueueTestEvent(knex: Knex, endpointId: number): Promise<number> {
  return insertEvent(knex, TEST_EVENT_TYPE, { endpointId, message: 'This is a test event sent from the admin page.' }, endpointId);
}

async function insertEvent(trx: Knex.Transaction | Knex, type: string, data: WebhookData, onlyEndpoint: number | null): Promise<number> {
  const payload = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
  const result = await trx.raw(
    `WITH targets AS (
       SELECT id FROM webhook_endpoints
       WHERE enabled AND (CASE WHEN ?::int IS NULL THEN ? = ANY(events) ELSE id = ?::int END)
     ), ev AS (
       INSERT INTO webhook_events (msg_id, type, body)
       SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM targets)
       RETURNING id
     ), queued AS (
       INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at)
       SELECT ev.id, targets.id, now() FROM ev CROSS JOIN targets
       RETURNING id
     )
     SELECT count(*)::int AS n, CASE WHEN count(*) > 0 THEN pg_notify(?, '') END AS notified FROM queued`,
    [onlyEndpoint, type, onlyEndpoint, newMessageId(), type, payload, WEBHOOK_NOTIFY_CHANNEL],
  );
  return Number(result.rows[0].n);
}
