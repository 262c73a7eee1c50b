/**
 * Hex decoding with Go's encoding/hex error texts, because LND passes them through verbatim
 * (macaroon metadata, LookupInvoice r_hash_str).
 */
function goQuoteRune(code: number): string {
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  // Go's %#U prints the character only when strconv.IsPrint says it is printable.
  const printable = (code >= 0x20 && code < 0x7f) || (code > 0xa0 && code !== 0xad);
  return printable ? `U+${hex} '${String.fromCharCode(code)}'` : `U+${hex}`;
}

const isHexByte = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

export class GoHexError extends Error {}

/** Decodes like Go's hex.DecodeString: an invalid byte is reported before an odd length. */
export function goHexDecode(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    if (!isHexByte(b)) throw new GoHexError(`encoding/hex: invalid byte: ${goQuoteRune(b)}`);
  }
  if (bytes.length % 2 === 1) throw new GoHexError('encoding/hex: odd length hex string');
  return Buffer.from(text, 'hex');
}
