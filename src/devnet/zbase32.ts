/**
 * z-base-32 (the encoding LND uses for SignMessage signatures, via github.com/tv42/zbase32): bits
 * are read most significant first in groups of five, no padding; a trailing partial group is
 * zero-filled on the right. Decoding yields floor(chars * 5 / 8) bytes.
 */
export const ZBASE32_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

export class ZBase32Error extends Error {
  override readonly name = 'ZBase32Error';
}

export function zbase32Encode(bytes: Uint8Array): string {
  let value = 0;
  let bits = 0;
  let out = '';
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ZBASE32_ALPHABET[(value >> bits) & 31];
    }
  }
  if (bits > 0) out += ZBASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Throws ZBase32Error with tv42/zbase32's text for a character outside the alphabet. */
export function zbase32Decode(text: string): Buffer {
  const out: number[] = [];
  let value = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = ZBASE32_ALPHABET.indexOf(text[i]);
    if (digit < 0) throw new ZBase32Error(`illegal z-base-32 data at input byte ${i}`);
    value = ((value << 5) | digit) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}
