/**
 * The events the site tells webhook endpoints about. Names follow Standard Webhooks
 * (dot-delimited, [a-z_] parts); bodies are `{ type, timestamp, data }` with stable field names.
 */
export const WEBHOOK_EVENT_TYPES = [
  'payment.completed',
  'article.published',
  'article.hidden',
  'article.restored',
  'withdrawal.succeeded',
  'withdrawal.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by the admin's "send a test event" button, to that one endpoint. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const isWebhookEventType = (v: unknown): v is WebhookEventType =>
  typeof v === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(v);
