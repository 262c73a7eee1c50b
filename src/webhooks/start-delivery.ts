/** The process's webhook delivery: sender (with the address policy), worker, and its wake-up by NOTIFY. */
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger';
import type { PgListener } from '../db/pg-listener';
import { createWebhookSender } from './send-webhook';
import { createWebhookWorker, type WebhookWorker } from './delivery-worker';
import { WEBHOOK_NOTIFY_CHANNEL } from './outbox';

export interface WebhookSettings {
  /** Deadline of one delivery, in ms (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Refuse private, loopback and link-local destinations (on in production). */
  guardAddresses: boolean;
  /** Hosts or addresses allowed despite the guard (WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: string[];
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { timeoutMs: 15_000, guardAddresses: false, allowedHosts: [] };
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** Builds the worker and has `listener` wake it; call before listener.start(), then worker.start(). */
export function createWebhookDelivery(deps: {
  knex: Knex;
  logger: Logger;
  settings: WebhookSettings;
  listener?: PgListener;
  now?: () => Date;
}): WebhookWorker {
  const now = deps.now ?? (() => new Date());
  const send = createWebhookSender({
    timeoutMs: deps.settings.timeoutMs,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    policy: {
      guard: deps.settings.guardAddresses,
      allow: deps.settings.allowedHosts.map((h) => h.toLowerCase()),
      allowSetting: 'WEBHOOK_ALLOWED_HOSTS',
    },
    now,
  });
  const worker = createWebhookWorker({
    knex: deps.knex,
    send,
    now,
    logger: deps.logger,
    leaseSeconds: Math.ceil(deps.settings.timeoutMs / 1000) + 10,
  });
  deps.listener?.on(WEBHOOK_NOTIFY_CHANNEL, () => worker.wake());
  return worker;
}
