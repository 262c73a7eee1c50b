/**
 * The webhook delivery worker. Every process may run one: a due delivery is claimed with
 * FOR UPDATE SKIP LOCKED and leased (its next attempt moved past the send's deadline) in one
 * statement, so across processes each event goes to each endpoint once at a time; a process that
 * dies mid-send leaves the lease to run out and another worker tries again with the same
 * webhook-id. Time comes from `now`, so tests walk the retry schedule without waiting.
 */
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger';
import { webhookHeaders } from './signing';
import type { SendResult, WebhookSender } from './send-webhook';
import { DISABLE_AFTER_FAILING_MS, nextDelaySeconds } from './retry-schedule';

export interface WebhookWorkerDeps {
  knex: Knex;
  send: WebhookSender;
  now: () => Date;
  logger: Logger;
  /** Deliveries claimed per round. */
  batchSize?: number;
  /** How long a claimed delivery is left alone; must exceed the sender's timeout. */
  leaseSeconds?: number;
}

export interface WebhookWorker {
  /** Sends every delivery due now (in rounds of batchSize); resolves with how many were attempted. */
  runOnce(): Promise<number>;
  /** Runs every `pollMs` and whenever `wake` is called (the outbox's NOTIFY), until stop. */
  start(pollMs?: number): void;
  wake(): void;
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  attempts: number;
  msg_id: string;
  body: string;
  endpoint_id: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  failing_since: Date | null;
}

export function createWebhookWorker(deps: WebhookWorkerDeps): WebhookWorker {
  const { knex, now, logger } = deps;
  const batchSize = deps.batchSize ?? 10;
  const leaseSeconds = deps.leaseSeconds ?? 120;

  async function claim(): Promise<Claimed[]> {
    const at = now();
    const result = await knex.raw(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'pending' AND e.enabled AND d.next_attempt_at <= ?
         ORDER BY d.next_attempt_at, d.id LIMIT ?
         FOR UPDATE OF d SKIP LOCKED
       ), leased AS (
         UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = ?::timestamptz + make_interval(secs => ?), updated_at = now()
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.attempts, d.event_id, d.endpoint_id
       )
       SELECT l.id, l.attempts, ev.msg_id, ev.body, e.id AS endpoint_id, e.url, e.secret, e.previous_secret, e.previous_secret_until, e.failing_since
       FROM leased l JOIN webhook_events ev ON ev.id = l.event_id JOIN webhook_endpoints e ON e.id = l.endpoint_id`,
      [at, batchSize, at, leaseSeconds],
    );
    return result.rows as Claimed[];
  }

  async function record(d: Claimed, r: SendResult, attemptedAt: Date): Promise<void> {
    const ok = r.httpStatus !== null && r.httpStatus >= 200 && r.httpStatus < 300;
    const finishedAt = now();
    await knex.transaction(async (trx) => {
      await trx('webhook_attempts').insert({
        delivery_id: d.id,
        attempt: d.attempts,
        attempted_at: attemptedAt,
        http_status: r.httpStatus,
        error: r.error,
        duration_ms: r.durationMs,
        response_excerpt: r.excerpt || null,
      });
      const base = {
        last_http_status: r.httpStatus,
        last_error: ok ? null : (r.error ?? `HTTP ${r.httpStatus}`),
        updated_at: trx.fn.now(),
      };
      // Compare-and-set on the attempt number: a worker whose lease ran out cannot overwrite a newer attempt.
      const mine = trx('webhook_deliveries').where({ id: d.id, attempts: d.attempts, status: 'pending' });
      if (ok) {
        await mine.update({ ...base, status: 'succeeded' });
        await trx('webhook_endpoints').where({ id: d.endpoint_id }).update({ failing_since: null });
        return;
      }
      const delay = nextDelaySeconds(d.attempts, r.retryAfterSeconds);
      if (delay === null) await mine.update({ ...base, status: 'failed' });
      else await mine.update({ ...base, next_attempt_at: new Date(finishedAt.getTime() + delay * 1000) });
      const failingSince = d.failing_since ?? attemptedAt;
      let disable: string | null = null;
      if (r.httpStatus === 410) disable = 'The endpoint answered 410 Gone.';
      else if (finishedAt.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS) disable = 'Every delivery failed for a day.';
      await trx('webhook_endpoints')
        .where({ id: d.endpoint_id })
        .update(
          disable
            ? { failing_since: failingSince, enabled: false, disabled_reason: disable, disabled_at: finishedAt }
            : { failing_since: failingSince },
        );
      if (disable) logger.warn('webhook endpoint disabled', { endpointId: d.endpoint_id, reason: disable });
    });
  }

  async function deliver(d: Claimed): Promise<void> {
    const attemptedAt = now();
    const secrets = [d.secret];
    if (d.previous_secret && d.previous_secret_until && d.previous_secret_until > attemptedAt) secrets.push(d.previous_secret);
    const headers = webhookHeaders(secrets, d.msg_id, Math.floor(attemptedAt.getTime() / 1000), d.body);
    const result = await deps.send(d.url, headers, d.body);
    logger.info('webhook attempt', {
      deliveryId: d.id,
      endpointId: d.endpoint_id,
      attempt: d.attempts,
      httpStatus: result.httpStatus,
      error: result.error,
      ms: result.durationMs,
    });
    await record(d, result, attemptedAt);
  }

  async function runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await claim();
      if (batch.length === 0) return total;
      total += batch.length;
      await Promise.all(batch.map(deliver));
    }
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  let pollEvery = 1000;

  function tick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    running = runOnce()
      .then(() => undefined)
      .catch((err) => logger.warn('webhook delivery round failed', { error: err }))
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          tick();
        } else timer = setTimeout(tick, pollEvery);
      });
  }

  return {
    runOnce,
    start(pollMs = 1000) {
      pollEvery = pollMs;
      stopped = false;
      tick();
    },
    wake: () => tick(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
