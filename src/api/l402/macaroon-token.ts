/**
 * L402 tokens: real macaroons (the `macaroon` package, V2 binary) whose identifier commits to the
 * invoice's payment hash and a random token id, signed with a random root key per token that the
 * site keeps (l402_tokens). Caveats, UTF-8 `condition=value` as the spec lays them out:
 *   services=articles:0           the service and tier
 *   article_id=<id>               the one article this token reads
 *   articles_valid_until=<unix>   the end of its validity (Aperture's `<service>_valid_until`)
 * A client may add caveats that narrow it (a later `articles_valid_until` can only shorten, since
 * every caveat must hold) and Aperture-style clients add `preimage=<hex>`.
 */
import { randomBytes } from 'node:crypto';
import { importMacaroon, newMacaroon, type Macaroon } from 'macaroon';
import { decodeIdentifier, encodeIdentifier, type L402Identifier } from './identifier';

export const SERVICE = 'articles';
export const TOKEN_LOCATION = 'lightning-reads';

export interface MintedToken {
  /** Standard base64 of the binary macaroon, as it goes into the challenge. */
  token: string;
  tokenId: string;
  rootKey: Buffer;
}

export function mintToken(input: { paymentHash: string; articleId: number; validUntil: Date }): MintedToken {
  const tokenId = randomBytes(32);
  const rootKey = randomBytes(32);
  const identifier = encodeIdentifier({ paymentHash: Buffer.from(input.paymentHash, 'hex'), tokenId });
  const mac = newMacaroon({ identifier, location: TOKEN_LOCATION, rootKey, version: 2 });
  mac.addFirstPartyCaveat(`services=${SERVICE}:0`);
  mac.addFirstPartyCaveat(`article_id=${input.articleId}`);
  mac.addFirstPartyCaveat(`${SERVICE}_valid_until=${Math.floor(input.validUntil.getTime() / 1000)}`);
  return { token: exportToken(mac).toString('base64'), tokenId: tokenId.toString('hex'), rootKey };
}

function appendField(out: Buffer[], type: number, data?: Uint8Array): void {
  if (!data) {
    out.push(Buffer.from([type]));
    return;
  }
  const len: number[] = [];
  let n = data.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  out.push(Buffer.from([type, ...len]), Buffer.from(data));
}

/**
 * The macaroon in the V2 binary format (libmacaroons): version byte 2, then fields of
 * [type][uvarint length][bytes]: location 1, identifier 2, vid 4, end of section 0, signature 6.
 * Written here because the package's exportBinary doubles its buffer on every byte it appends
 * (about 60 ms and hundreds of MB for a token with three caveats, a RangeError with four).
 */
export function exportToken(mac: Macaroon): Buffer {
  const out: Buffer[] = [Buffer.from([2])];
  if (mac.location) appendField(out, 1, Buffer.from(mac.location, 'utf8'));
  appendField(out, 2, mac.identifier);
  appendField(out, 0);
  for (const c of mac.caveats) {
    if (c.location) appendField(out, 1, Buffer.from(c.location, 'utf8'));
    appendField(out, 2, c.identifier);
    if (c.vid) appendField(out, 4, c.vid);
    appendField(out, 0);
  }
  appendField(out, 0);
  appendField(out, 6, mac.signature);
  return Buffer.concat(out);
}

export interface ParsedToken {
  mac: Macaroon;
  id: L402Identifier;
}

/** The macaroon and its identifier from binary bytes; null for anything else. */
export function parseToken(bytes: Buffer): ParsedToken | null {
  if (bytes.length === 0 || bytes.length > 4096) return null;
  try {
    const mac = importMacaroon(bytes);
    const id = decodeIdentifier(mac.identifier);
    return id ? { mac, id } : null;
  } catch {
    return null;
  }
}

/** The `preimage=` caveat a client added (Aperture's Macaroon-header form), if any. */
export function preimageCaveat(mac: Macaroon): string | null {
  for (const c of mac.caveats) {
    const text = Buffer.from(c.identifier).toString('utf8');
    if (text.startsWith('preimage=')) return text.slice('preimage='.length).trim().toLowerCase();
  }
  return null;
}

export type TokenCheck = { ok: true } | { ok: false; reason: 'signature' | 'expired' | 'other_article' | 'caveat' };

/**
 * Checks the signature chain with `rootKey` and every caveat against the request: the article
 * asked for, the time now and the preimage presented.
 */
export function checkToken(mac: Macaroon, rootKey: Buffer, ctx: { articleId: number; now: Date; preimage: string }): TokenCheck {
  let failed: TokenCheck | null = null;
  const fail = (reason: 'expired' | 'other_article' | 'caveat', text: string) => {
    failed ??= { ok: false, reason };
    return text;
  };
  const nowSec = Math.floor(ctx.now.getTime() / 1000);
  const check = (condition: string): string | null => {
    const eq = condition.indexOf('=');
    const name = eq > 0 ? condition.slice(0, eq).trim() : condition;
    const value = eq > 0 ? condition.slice(eq + 1).trim() : '';
    switch (name) {
      case 'services':
        return value.split(',').some((s) => s.trim().split(':')[0] === SERVICE) ? null : fail('caveat', 'service not allowed');
      case 'article_id':
        return value === String(ctx.articleId) ? null : fail('other_article', 'token is for another article');
      case `${SERVICE}_valid_until`:
        return /^\d{1,12}$/.test(value) && Number(value) > nowSec ? null : fail('expired', 'token expired');
      case 'preimage':
        return value.toLowerCase() === ctx.preimage ? null : fail('caveat', 'preimage caveat does not match');
      default:
        return fail('caveat', `unknown caveat ${name}`);
    }
  };
  try {
    mac.verify(rootKey, check);
    return { ok: true };
  } catch {
    return failed ?? { ok: false, reason: 'signature' };
  }
}
