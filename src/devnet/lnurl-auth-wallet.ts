/**
 * A wallet's side of LNURL-auth (LUD-04) with LUD-05 per-site linking keys: hashingKey is the
 * private key at m/138'/0; HMAC-SHA256(hashingKey, domain) gives four big-endian uint32s l1..l4;
 * the linking key is m/138'/l1/l2/l3/l4. The wallet signs k1 itself (no extra hashing), DER, and
 * calls the URL back with `sig` and `key`.
 */
import { createHmac } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';
import { derivePath, HARDENED } from './bip32';
import { lnurlToUrl } from '../lib/lnurl';

/** LUD-05's four path indexes for a domain, from the hashing private key. */
export function linkingPathSuffix(hashingKey: Buffer, domain: string): number[] {
  const h = createHmac('sha256', hashingKey).update(domain, 'utf8').digest();
  return [0, 4, 8, 12].map((o) => h.readUInt32BE(o));
}

export function hashingKey(seed: Buffer): Buffer {
  return derivePath(seed, [138 + HARDENED, 0]).key;
}

export function linkingPrivateKey(seed: Buffer, domain: string): Buffer {
  return derivePath(seed, [138 + HARDENED, ...linkingPathSuffix(hashingKey(seed), domain)]).key;
}

export interface SignedAuth {
  /** The URL to call: the LNURL's URL plus sig and key. */
  callbackUrl: string;
  domain: string;
  linkingKey: string;
}

/**
 * Reads an LNURL-auth request (bech32 LNURL, `lightning:` link, keyauth:// or plain URL), checks
 * it is one (tag=login, 32-byte hex k1), and signs it with the seed's linking key for its domain.
 */
export function signLnurlAuth(seed: Buffer, lnurl: string): SignedAuth {
  const url = new URL(lnurlToUrl(lnurl));
  if (url.searchParams.get('tag') !== 'login') throw new Error('not an LNURL-auth request (tag is not "login")');
  const k1 = url.searchParams.get('k1') ?? '';
  if (!/^[0-9a-fA-F]{64}$/.test(k1)) throw new Error('not an LNURL-auth request (k1 is not 32 bytes of hex)');
  const domain = url.hostname;
  const priv = linkingPrivateKey(seed, domain);
  const sig = secp256k1.sign(Buffer.from(k1, 'hex'), priv, { lowS: true }).toDERHex();
  const linkingKey = Buffer.from(secp256k1.getPublicKey(priv, true)).toString('hex');
  url.searchParams.set('sig', sig);
  url.searchParams.set('key', linkingKey);
  return { callbackUrl: url.toString(), domain, linkingKey };
}
