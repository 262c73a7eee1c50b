/**
 * Webhook endpoints and their deliveries, as the admin pages read and change them. The secret is
 * returned only by create and rotate (the page shows it once); lists never carry it.
 */
import type { Knex } from 'knex';
import { generateWebhookSecret } from './signing';
import { enqueueTestEvent, WEBHOOK_NOTIFY_CHANNEL } from './outbox';

export interface WebhookEndpoint {
  id: number;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  rotatingUntil: Date | null;
  createdAt: Date;
  pending: number;
  failed: number;
}

export interface DeliveryRow {
  id: number;
  msgId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  lastAttemptAt: Date | null;
  lastHttpStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
}

export interface WebhookEndpointsRepo {
  list(): Promise<WebhookEndpoint[]>;
  find(id: number): Promise<WebhookEndpoint | null>;
  create(input: { url: string; description: string; events: string[] }): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  /** A new secret; the old one keeps signing beside it for `overlapHours`. Null if no such endpoint. */
  rotateSecret(id: number, overlapHours?: number): Promise<string | null>;
  setEnabled(id: number, enabled: boolean): Promise<boolean>;
  remove(id: number): Promise<boolean>;
  deliveries(endpointId: number, limit?: number): Promise<DeliveryRow[]>;
  /** Queues the delivery for one more attempt now (whatever its state). */
  redeliver(endpointId: number, deliveryId: number): Promise<boolean>;
  sendTest(endpointId: number): Promise<boolean>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toEndpoint = (r: Record<string, any>): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events,
  enabled: r.enabled,
  disabledReason: r.disabled_reason,
  disabledAt: r.disabled_at,
  failingSince: r.failing_since,
  rotatingUntil: r.previous_secret && r.previous_secret_until > new Date() ? r.previous_secret_until : null,
  createdAt: r.created_at,
  pending: Number(r.pending ?? 0),
  failed: Number(r.failed ?? 0),
});

export function createWebhookEndpointsRepo(knex: Knex): WebhookEndpointsRepo {
  const withCounts = () =>
    knex('webhook_endpoints as e').select(
      'e.*',
      knex.raw(`(SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS pending`),
      knex.raw(`(SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'failed') AS failed`),
    );

  const repo: WebhookEndpointsRepo = {
    async list() {
      return (await withCounts().orderBy('e.id')).map(toEndpoint);
    },
    async find(id) {
      const row = await withCounts().where('e.id', id).first();
      return row ? toEndpoint(row) : null;
    },
    async create({ url, description, events }) {
      const secret = generateWebhookSecret();
      const [row] = await knex('webhook_endpoints').insert({ url, description, events, secret }).returning('id');
      const endpoint = await repo.find(Number(row.id));
      if (!endpoint) throw new Error('webhook endpoint vanished right after insert');
      return { endpoint, secret };
    },
    async rotateSecret(id, overlapHours = 24) {
      const secret = generateWebhookSecret();
      const n = await knex('webhook_endpoints')
        .where({ id })
        .update({
          previous_secret: knex.ref('secret'),
          previous_secret_until: knex.raw(`now() + make_interval(hours => ?)`, [overlapHours]),
          secret,
        });
      return n === 1 ? secret : null;
    },
    async setEnabled(id, enabled) {
      const patch = enabled
        ? { enabled, disabled_reason: null, disabled_at: null, failing_since: null }
        : { enabled, disabled_reason: 'Disabled by an admin.', disabled_at: knex.fn.now() };
      const n = await knex('webhook_endpoints').where({ id }).update(patch);
      if (enabled && n === 1) await knex.raw('SELECT pg_notify(?, ?)', [WEBHOOK_NOTIFY_CHANNEL, '']);
      return n === 1;
    },
    async remove(id) {
      return (await knex('webhook_endpoints').where({ id }).del()) === 1;
    },
    async deliveries(endpointId, limit = 50) {
      const rows = await knex.raw(
        `SELECT d.id, ev.msg_id, ev.type, d.status, d.attempts, d.next_attempt_at, d.created_at, d.last_http_status, d.last_error,
                a.attempted_at, a.duration_ms
         FROM webhook_deliveries d
         JOIN webhook_events ev ON ev.id = d.event_id
         LEFT JOIN LATERAL (SELECT attempted_at, duration_ms FROM webhook_attempts WHERE delivery_id = d.id ORDER BY id DESC LIMIT 1) a ON true
         WHERE d.endpoint_id = ?
         ORDER BY d.id DESC LIMIT ?`,
        [endpointId, limit],
      );
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return rows.rows.map((r: Record<string, any>) => ({
        id: Number(r.id),
        msgId: r.msg_id,
        eventType: r.type,
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
        createdAt: r.created_at,
        lastAttemptAt: r.attempted_at,
        lastHttpStatus: r.last_http_status,
        lastError: r.last_error,
        lastDurationMs: r.duration_ms,
      }));
    },
    async redeliver(endpointId, deliveryId) {
      const n = await knex('webhook_deliveries')
        .where({ id: deliveryId, endpoint_id: endpointId })
        .update({ status: 'pending', next_attempt_at: knex.fn.now(), updated_at: knex.fn.now() });
      if (n === 1) await knex.raw('SELECT pg_notify(?, ?)', [WEBHOOK_NOTIFY_CHANNEL, '']);
      return n === 1;
    },
    async sendTest(endpointId) {
      return (await enqueueTestEvent(knex, endpointId)) > 0;
    },
  };
  return repo;
}
