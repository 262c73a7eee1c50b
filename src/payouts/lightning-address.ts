/**
 * Lightning Address (LUD-16) -> LNURL-pay (LUD-06): `user@domain` is fetched from
 * https://domain/.well-known/lnurlp/user, the amount is checked against minSendable/maxSendable,
 * the callback is asked for an invoice, and the invoice must be for exactly that amount with a
 * description hash equal to SHA-256 of the metadata string as served. Plain http:// is used only for
 * loopback hosts when `allowLoopbackHttp` (never in production). Every request goes through the
 * address guard (private, loopback and other non-public addresses refused after DNS in production,
 * the checked address connected to), follows no redirect, is capped in size and has a timeout. Any
 * problem is a message for the writer; nothing is paid.
 */
import { createHash } from 'node:crypto';
import type { AddressPolicy } from '../lib/address-guard';
import { guardedGet } from '../lib/guarded-request';
import { checkInvoice, type CheckedInvoice } from './invoice-check';

export type AddressResult = { ok: true; invoice: CheckedInvoice } | { ok: false; message: string };

export interface AddressOptions {
  allowLoopbackHttp: boolean;
  /** Where the site may connect (src/lib/address-guard.ts): private addresses refused in production. */
  policy: AddressPolicy;
  network: string;
  now: Date;
  timeoutMs?: number;
}

const MAX_BODY = 64 * 1024;

export function parseLightningAddress(input: string): { user: string; host: string } | null {
  const m = /^([a-z0-9\-_.]{1,64})@([a-z0-9\-.]{1,253}(?::\d{1,5})?)$/.exec(input.trim().toLowerCase());
  return m ? { user: m[1], host: m[2] } : null;
}

const isLoopback = (host: string) => /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost)(:\d+)?$/.test(host);

function allowedUrl(raw: unknown, opts: AddressOptions): URL | null {
  if (typeof raw !== 'string') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && opts.allowLoopbackHttp && isLoopback(url.host)) return url;
  return null;
}

async function getJson(
  url: URL,
  opts: AddressOptions,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; message: string }> {
  const got = await guardedGet(url, {
    policy: opts.policy,
    timeoutMs: opts.timeoutMs ?? 10_000,
    maxBytes: MAX_BODY,
    headers: { accept: 'application/json' },
  });
  if (!got.ok) {
    switch (got.kind) {
      case 'forbidden':
        return {
          ok: false,
          message: `${url.host} is on a private or local network; the site only pays Lightning Addresses on the public internet.`,
        };
      case 'redirect':
        return { ok: false, message: `${url.host} answered with a redirect, which is not followed.` };
      case 'too-large':
        return { ok: false, message: `${url.host} answered with far too much data.` };
      case 'timeout':
        return { ok: false, message: `${url.host} did not answer in time.` };
      default:
        return { ok: false, message: `${url.host} did not answer.` };
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(got.body);
  } catch {
    return { ok: false, message: `${url.host} did not answer with LNURL data.` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, message: `${url.host} did not answer with LNURL data.` };
  const b = body as Record<string, unknown>;
  // LUD-06: HTTP status codes carry no meaning; the body says ERROR.
  if (b.status === 'ERROR') return { ok: false, message: `${url.host} refused: ${String(b.reason ?? 'no reason given').slice(0, 200)}` };
  return { ok: true, body: b };
}

export async function invoiceFromLightningAddress(address: string, amountSat: number, opts: AddressOptions): Promise<AddressResult> {
  const parsed = parseLightningAddress(address);
  if (!parsed) return { ok: false, message: 'That is not a Lightning Address: it looks like name@example.com.' };
  const scheme = isLoopback(parsed.host) && opts.allowLoopbackHttp ? 'http' : 'https';
  const first = await getJson(new URL(`${scheme}://${parsed.host}/.well-known/lnurlp/${parsed.user}`), opts);
  if (!first.ok) return first;
  const p = first.body;
  const host = parsed.host;
  if (p.tag !== 'payRequest') return { ok: false, message: `${host} did not answer with a pay request.` };
  const callback = allowedUrl(p.callback, opts);
  if (!callback) return { ok: false, message: `${host} gave a callback that is not https.` };
  const min = Number(p.minSendable);
  const max = Number(p.maxSendable);
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 1 || min > max)
    return { ok: false, message: `${host} gave invalid amount limits.` };
  if (typeof p.metadata !== 'string') return { ok: false, message: `${host} gave no metadata.` };
  let metadata: unknown;
  try {
    metadata = JSON.parse(p.metadata);
  } catch {
    return { ok: false, message: `${host} gave metadata that is not JSON.` };
  }
  if (!Array.isArray(metadata) || !metadata.some((e) => Array.isArray(e) && e[0] === 'text/plain')) {
    return { ok: false, message: `${host} gave metadata without a text/plain entry.` };
  }
  const identifier = metadata.find((e) => Array.isArray(e) && (e[0] === 'text/identifier' || e[0] === 'text/email'));
  if (identifier && String(identifier[1]).toLowerCase() !== `${parsed.user}@${parsed.host}`) {
    return { ok: false, message: `${host} answered for another address (${String(identifier[1]).slice(0, 100)}).` };
  }
  const msat = amountSat * 1000;
  if (msat < min || msat > max) {
    return { ok: false, message: `${address} accepts from ${Math.ceil(min / 1000)} to ${Math.floor(max / 1000)} sats.` };
  }
  callback.searchParams.set('amount', String(msat));
  const second = await getJson(callback, opts);
  if (!second.ok) return second;
  if (typeof second.body.pr !== 'string') return { ok: false, message: `${host} did not send an invoice.` };
  const checked = checkInvoice(second.body.pr, { network: opts.network, now: opts.now });
  if (!checked.ok) return { ok: false, message: `The invoice from ${host} is not usable: ${checked.message}` };
  if (checked.invoice.amountSat !== amountSat)
    return { ok: false, message: `The invoice from ${host} is for ${checked.invoice.amountSat} sats, not the ${amountSat} asked for.` };
  const expectedHash = createHash('sha256').update(p.metadata, 'utf8').digest('hex');
  if (checked.invoice.descriptionHash !== expectedHash) {
    return { ok: false, message: `The invoice from ${host} does not match its pay request (description hash differs from the metadata).` };
  }
  return checked;
}
