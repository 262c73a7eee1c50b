/**
 * Standard Webhooks signing: `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`,
 * the key being the base64 part of a `whsec_` secret. During a rotation both secrets sign, and the
 * header carries both signatures separated by a space; a receiver accepts if any one matches.
 */
import crypto from 'node:crypto';

const PREFIX = 'whsec_';

/** A new secret: 32 random bytes (the spec asks for 24 to 64), base64 with the whsec_ prefix. */
export function generateWebhookSecret(): string {
  return PREFIX + crypto.randomBytes(32).toString('base64');
}

export function isWebhookSecret(s: string): boolean {
  return s.startsWith(PREFIX) && Buffer.from(s.slice(PREFIX.length), 'base64').length >= 24;
}

export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  const mac = crypto.createHmac('sha256', key).update(`${msgId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one attempt, signed with every secret given. */
export function webhookHeaders(secrets: string[], msgId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signWebhook(s, msgId, timestampSeconds, body)).join(' '),
  };
}
