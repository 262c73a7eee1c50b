/**
 * LNURL encoding (LUD-01): the URL's UTF-8 bytes in bech32 with the human-readable part "lnurl",
 * written upper-case (QR codes encode upper-case more compactly); decoding takes either case.
 * LUD-17's `keyauth://` form is the same URL with its scheme replaced.
 */
import { bech32 } from 'bech32';

/** bech32's default limit is 90 characters; LNURLs are longer. LUD-01's own example uses 2000. */
const MAX_LNURL_LENGTH = 2000;

export function encodeLnurl(url: string): string {
  return bech32.encode('lnurl', bech32.toWords(Buffer.from(url, 'utf8')), MAX_LNURL_LENGTH).toUpperCase();
}

/** Throws on anything that is not a bech32 LNURL. */
export function decodeLnurl(lnurl: string): string {
  const { prefix, words } = bech32.decode(lnurl, MAX_LNURL_LENGTH);
  if (prefix !== 'lnurl') throw new Error(`not an LNURL (prefix "${prefix}")`);
  return Buffer.from(bech32.fromWords(words)).toString('utf8');
}

/** LUD-17: `keyauth://host/path?...` for an https URL (http for a .onion or a local test site). */
export function keyauthUrl(url: string): string {
  return url.replace(/^https?:\/\//, 'keyauth://');
}

/**
 * What a wallet scans or pastes, to the URL it calls: `lightning:` prefix dropped, bech32 decoded,
 * LUD-17 `keyauth://` turned back into https (http for .onion and loopback hosts).
 */
export function lnurlToUrl(input: string): string {
  const text = input.trim().replace(/^lightning:/i, '');
  if (/^keyauth:\/\//i.test(text)) {
    const rest = text.replace(/^keyauth:\/\//i, '');
    const host = rest.split(/[/?#]/)[0].replace(/:\d+$/, '');
    const plain = host.endsWith('.onion') || host === 'localhost' || /^127\./.test(host);
    return `${plain ? 'http' : 'https'}://${rest}`;
  }
  if (/^https?:\/\//i.test(text)) return text;
  return decodeLnurl(text);
}
