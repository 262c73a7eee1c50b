/**
 * Reads the credential an L402 client presents. Accepted forms (L402 protocol-specification and
 * what Aperture accepts):
 *   Authorization: L402 <base64 token>[,<token>...]:<hex preimage>   (the spec)
 *   Authorization: LSAT <base64 token>:<hex preimage>                 (the older name)
 *   Authorization: L402 token="<base64>", preimage="<hex>"            (key=value; also macaroon=)
 *   Macaroon: <hex> / Grpc-Metadata-Macaroon: <hex>                   (Aperture; preimage as a caveat)
 * Bearer tokens are the site's personal API tokens (src/api/personal-tokens/).
 */
import type { IncomingHttpHeaders } from 'node:http';

export type Presented =
  | { kind: 'none' }
  | { kind: 'l402'; tokens: Buffer[]; preimage: string | null; scheme: 'L402' | 'LSAT' | 'Macaroon' }
  | { kind: 'bearer'; secret: string }
  /** Something was presented but it is not any form we read. */
  | { kind: 'malformed' };

const HEX64 = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function base64Tokens(list: string): Buffer[] | null {
  const parts = list
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 4 || !parts.every((p) => BASE64.test(p) && p.length <= 8192)) return null;
  return parts.map((p) => Buffer.from(p, 'base64'));
}

function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

function fromAuthorization(value: string): Presented {
  const m = /^\s*(L402|LSAT|Bearer)\s+(.+?)\s*$/i.exec(value);
  if (!m) return { kind: 'malformed' };
  const scheme = m[1].toUpperCase();
  const rest = m[2];
  if (scheme === 'BEARER') return /^[A-Za-z0-9_-]{10,200}$/.test(rest) ? { kind: 'bearer', secret: rest } : { kind: 'malformed' };
  const named = scheme === 'LSAT' ? 'LSAT' : 'L402';
  // The spec's form first: a base64 token may itself read like `word=` (only letters and digits,
  // then its padding), so the key=value form is only for what is not <tokens>:<preimage>.
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    const preimage = rest.slice(colon + 1).trim();
    const tokens = base64Tokens(rest.slice(0, colon));
    if (tokens && HEX64.test(preimage)) return { kind: 'l402', tokens, preimage: preimage.toLowerCase(), scheme: named };
  }
  if (/^(token|macaroon|preimage)\s*=/i.test(rest)) {
    const kv = keyValues(rest);
    const token = kv.token ?? kv.macaroon;
    const tokens = token ? base64Tokens(token) : null;
    if (!tokens || !kv.preimage || !HEX64.test(kv.preimage)) return { kind: 'malformed' };
    return { kind: 'l402', tokens, preimage: kv.preimage.toLowerCase(), scheme: named };
  }
  return { kind: 'malformed' };
}

export function readCredential(headers: IncomingHttpHeaders): Presented {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.trim() !== '') return fromAuthorization(auth);
  const mac = headers['grpc-metadata-macaroon'] ?? headers.macaroon;
  const hex = Array.isArray(mac) ? mac[0] : mac;
  if (typeof hex === 'string' && hex.trim() !== '') {
    const v = hex.trim();
    if (!/^[0-9a-fA-F]+$/.test(v) || v.length % 2 !== 0 || v.length > 16384) return { kind: 'malformed' };
    return { kind: 'l402', tokens: [Buffer.from(v, 'hex')], preimage: null, scheme: 'Macaroon' };
  }
  return { kind: 'none' };
}

/** The two challenges of a 402: the spec's form first, then the LSAT form older clients parse. */
export function challengeHeaders(token: string, invoice: string): string[] {
  return [`L402 version="0", token="${token}", invoice="${invoice}"`, `LSAT macaroon="${token}", invoice="${invoice}"`];
}
