/**
 * One HTTP GET to a URL a user gave us (a Lightning Address's LNURL endpoints): the destination
 * checked by the address policy after DNS (and connected to as checked), no redirect followed, one
 * deadline on the whole exchange, the body read only up to a cap. Never throws: every outcome is a result.
 */
import http from 'node:http';
import https from 'node:https';
import { ForbiddenAddressError, guardedLookup, literalAddressRefusal, type AddressPolicy } from './address-guard';

export type GetResult =
  | { ok: true; status: number; body: string }
  | { ok: false; kind: 'forbidden' | 'redirect' | 'timeout' | 'too-large' | 'unreachable'; detail: string };

export interface GetOptions {
  policy: AddressPolicy;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
}

export function guardedGet(url: URL, options: GetOptions): Promise<GetResult> {
  return new Promise<GetResult>((resolve) => {
    let settled = false;
    const pending: { timer?: NodeJS.Timeout } = {};
    const finish = (r: GetResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(pending.timer);
      resolve(r);
    };
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return finish({ ok: false, kind: 'unreachable', detail: 'not http(s)' });
    const refusal = literalAddressRefusal(options.policy, url.hostname);
    if (refusal) return finish({ ok: false, kind: 'forbidden', detail: refusal });
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(
      url,
      {
        method: 'GET',
        headers: { 'user-agent': 'LightningReads/1', ...options.headers },
        lookup: guardedLookup(options.policy, url.hostname) as unknown as typeof import('node:dns').lookup,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.destroy();
          return finish({ ok: false, kind: 'redirect', detail: `answered ${status} (redirects are not followed)` });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > options.maxBytes) {
            res.destroy();
            return finish({ ok: false, kind: 'too-large', detail: `more than ${options.maxBytes} bytes` });
          }
          chunks.push(c);
        });
        res.on('end', () => finish({ ok: true, status, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => finish({ ok: false, kind: 'unreachable', detail: err.message }));
      },
    );
    pending.timer = setTimeout(() => {
      finish({ ok: false, kind: 'timeout', detail: `no answer within ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err) =>
      finish({ ok: false, kind: err instanceof ForbiddenAddressError ? 'forbidden' : 'unreachable', detail: err.message }),
    );
    req.end();
  });
}
