/**
 * The L402 macaroon identifier (L402 macaroon-spec; Aperture l402/identifier.go): 66 bytes,
 * big-endian: version uint16 (0) | payment_hash (32) | token_id (32).
 */
export const IDENTIFIER_LENGTH = 66;

export interface L402Identifier {
  version: 0;
  paymentHash: Buffer;
  tokenId: Buffer;
}

export function encodeIdentifier(id: { paymentHash: Buffer; tokenId: Buffer }): Buffer {
  if (id.paymentHash.length !== 32 || id.tokenId.length !== 32) throw new Error('payment hash and token id are 32 bytes each');
  const out = Buffer.alloc(IDENTIFIER_LENGTH);
  out.writeUInt16BE(0, 0);
  id.paymentHash.copy(out, 2);
  id.tokenId.copy(out, 34);
  return out;
}

/** null for anything that is not a version-0 identifier of exactly 66 bytes. */
export function decodeIdentifier(raw: Uint8Array): L402Identifier | null {
  const buf = Buffer.from(raw);
  if (buf.length !== IDENTIFIER_LENGTH || buf.readUInt16BE(0) !== 0) return null;
  return { version: 0, paymentHash: Buffer.from(buf.subarray(2, 34)), tokenId: Buffer.from(buf.subarray(34, 66)) };
}
