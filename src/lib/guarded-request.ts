/**
 * One HTTP request to a URL a user gave us (a Lightning Address's LNURL endpoints, a webhook
 * endpoint): the destination checked by the address policy after DNS (and connected to as
 * checked), no redirect followed, one deadline on the whole exchange, the body read only up to a
 * cap. Never throws: every outcome is a result.
 */
import http from 'node:http';
import https from 'node:https';
import { ForbiddenAddressError, guardedLookup, literalAddressRefusal, type AddressPolicy } from './address-guard';

export type RequestResult =
  | { ok: true; status: number; headers: http.IncomingHttpHeaders; body: string }
  | { ok: false; kind: 'forbidden' | 'redirect' | 'timeout' | 'too-large' | 'unreachable'; detail: string };

export interface RequestOptions {
  method: 'GET' | 'POST';
  policy: AddressPolicy;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
  body?: string;
  /** A 3xx answer is a failure (kind `redirect`) instead of an answer. */
  refuseRedirects?: boolean;
  /**
   * A body cut short (over `maxBytes`, or the stream failing once the status came): `fail` makes it
   * a failure (`too-large`, `unreachable`); `keep` answers with the status and what was read.
   */
  partialBody: 'fail' | 'keep';
}

export function guardedRequest(url: URL, options: RequestOptions): Promise<RequestResult> {
  return new Promise<RequestResult>((resolve) => {
    let settled = false;
    const pending: { timer?: NodeJS.Timeout } = {};
    const finish = (r: RequestResult) => {
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
        method: options.method,
        headers: options.headers,
        lookup: guardedLookup(options.policy, url.hostname) as unknown as typeof import('node:dns').lookup,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (options.refuseRedirects && status >= 300 && status < 400) {
          res.destroy();
          return finish({ ok: false, kind: 'redirect', detail: `answered ${status} (redirects are not followed)` });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = () => finish({ ok: true, status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= options.maxBytes) return void chunks.push(c);
          res.destroy();
          if (options.partialBody === 'keep') answer();
          else finish({ ok: false, kind: 'too-large', detail: `more than ${options.maxBytes} bytes` });
        });
        res.on('end', answer);
        res.on('error', (err) =>
          options.partialBody === 'keep' ? answer() : finish({ ok: false, kind: 'unreachable', detail: err.message }),
        );
      },
    );
    pending.timer = setTimeout(() => {
      finish({ ok: false, kind: 'timeout', detail: `no answer within ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err) =>
      finish({ ok: false, kind: err instanceof ForbiddenAddressError ? 'forbidden' : 'unreachable', detail: err.message }),
    );
    req.end(options.body);
  });
}

export type GetResult = { ok: true; status: number; body: string } | Extract<RequestResult, { ok: false }>;

export interface GetOptions {
  policy: AddressPolicy;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
}

/** A GET whose body must arrive whole: redirects and bodies over the cap are failures. */
export async function guardedGet(url: URL, options: GetOptions): Promise<GetResult> {
  const r = await guardedRequest(url, {
    method: 'GET',
    policy: options.policy,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    headers: { 'user-agent': 'LightningReads/1', ...options.headers },
    refuseRedirects: true,
    partialBody: 'fail',
  });
  return r.ok ? { ok: true, status: r.status, body: r.body } : r;
}
