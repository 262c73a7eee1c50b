/**
 * One HTTP POST of a webhook: a deadline on the whole exchange, no redirect followed (a 3xx is a
 * failure, as Standard Webhooks says), the response read only up to a cap, and the destination
 * checked by the address policy after DNS. Never throws: every outcome is a result.
 */
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, literalAddressRefusal, type AddressPolicy } from '../lib/address-guard';

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
  return (url, headers, body) =>
    new Promise<SendResult>((resolve) => {
      const started = process.hrtime.bigint();
      const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
      let settled = false;
      const pending: { timer?: NodeJS.Timeout } = {};
      const finish = (r: Omit<SendResult, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(pending.timer);
        resolve({ ...r, durationMs: elapsed() });
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return finish({ httpStatus: null, error: 'the URL is not valid', retryAfterSeconds: null, excerpt: '' });
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        return finish({ httpStatus: null, error: 'only http and https URLs are delivered to', retryAfterSeconds: null, excerpt: '' });
      }
      const refusal = literalAddressRefusal(options.policy, target.hostname);
      if (refusal) return finish({ httpStatus: null, error: refusal, retryAfterSeconds: null, excerpt: '' });
      const lib = target.protocol === 'https:' ? https : http;
      const req = lib.request(
        target,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'LightningReads-Webhooks/1',
            'content-length': Buffer.byteLength(body),
            ...headers,
          },
          lookup: guardedLookup(options.policy, target.hostname) as unknown as typeof import('node:dns').lookup,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const done = () =>
            finish({
              httpStatus: res.statusCode ?? null,
              error: null,
              retryAfterSeconds: parseRetryAfter(res.headers['retry-after'], options.now()),
              excerpt: Buffer.concat(chunks).toString('utf8').slice(0, 500),
            });
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= options.maxResponseBytes) chunks.push(c);
            else {
              // Enough read: the status is what counts; the rest is not our business.
              done();
              res.destroy();
            }
          });
          res.on('end', done);
          res.on('error', done);
        },
      );
      pending.timer = setTimeout(() => {
        finish({ httpStatus: null, error: `no answer within ${options.timeoutMs} ms`, retryAfterSeconds: null, excerpt: '' });
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (err) => finish({ httpStatus: null, error: err.message, retryAfterSeconds: null, excerpt: '' }));
      req.end(body);
    });
}
