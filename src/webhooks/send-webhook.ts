/**
 * One HTTP POST of a webhook: a deadline on the whole exchange, no redirect followed (a 3xx is a
 * failure, as Standard Webhooks says), the response read only up to a cap, and the destination
 * checked by the address policy after DNS. Never throws: every outcome is a result.
 */
import type { AddressPolicy } from '../lib/address-guard';
import { guardedRequest } from '../lib/guarded-request';

export interface SendResult {
  /** null when no HTTP answer came (refused, timed out, forbidden address). */
  httpStatus: number | null;
  error: string | null;
  /** Seconds from Retry-After (seconds or an HTTP date), when the receiver sent one. */
  retryAfterSeconds: number | null;
  durationMs: number;
  /** The start of the response body, for the admin page. */
  excerpt: string;
}

export interface SendOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  policy: AddressPolicy;
  now: () => Date;
}

export type WebhookSender = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

export function createWebhookSender(options: SendOptions): WebhookSender {
  return async (url, headers, body) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
    const failed = (error: string): SendResult => ({
      httpStatus: null,
      error,
      retryAfterSeconds: null,
      excerpt: '',
      durationMs: elapsed(),
    });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return failed('the URL is not valid');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return failed('only http and https URLs are delivered to');
    const r = await guardedRequest(target, {
      method: 'POST',
      policy: options.policy,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxResponseBytes,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'LightningReads-Webhooks/1',
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      },
      body,
      // Enough read: the status is what counts; the rest of the body is not our business.
      partialBody: 'keep',
    });
    if (!r.ok) return failed(r.detail);
    const retryAfter = r.headers['retry-after'];
    return {
      httpStatus: r.status,
      error: null,
      retryAfterSeconds: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, options.now()),
      excerpt: r.body.slice(0, 500),
      durationMs: elapsed(),
    };
  };
}
