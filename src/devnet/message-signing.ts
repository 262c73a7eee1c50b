/**
 * LND's SignMessage / VerifyMessage algorithm (rpcserver.go, keychain SignMessageCompact):
 * digest = SHA256(SHA256("Lightning Signed Message:" ‖ msg)) (one SHA-256 with single_hash),
 * a 65-byte compact recoverable signature [27 + 4 + recid][R][S] made with RFC 6979 nonces and
 * low S, written as z-base-32 (104 characters). Verification recovers the public key.
 */
import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';
import { zbase32Decode, zbase32Encode } from './zbase32';

export const SIGNED_MESSAGE_PREFIX = 'Lightning Signed Message:';
/** btcec's compactSigMagicOffset (27) plus compactSigCompPubKey (4). */
const COMPRESSED_HEADER = 27 + 4;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

export function messageDigest(msg: Uint8Array, singleHash = false): Buffer {
  const once = sha256(Buffer.concat([Buffer.from(SIGNED_MESSAGE_PREFIX, 'ascii'), msg]));
  return singleHash ? once : sha256(once);
}

/** The 65 compact signature bytes over `msg` with the hex private key. */
export function signCompact(privateKeyHex: string, msg: Uint8Array, singleHash = false): Buffer {
  const sig = secp256k1.sign(messageDigest(msg, singleHash), privateKeyHex, { lowS: true });
  return Buffer.concat([Buffer.from([COMPRESSED_HEADER + (sig.recovery ?? 0)]), Buffer.from(sig.toCompactRawBytes())]);
}

export function signMessage(privateKeyHex: string, msg: Uint8Array, singleHash = false): string {
  return zbase32Encode(signCompact(privateKeyHex, msg, singleHash));
}

/**
 * btcec's RecoverCompact over the double-hash digest: the signer's compressed public key (hex), or
 * null when the bytes are not a recoverable signature (wrong length, header, r or s out of range).
 */
export function recoverCompact(sig: Uint8Array, msg: Uint8Array): string | null {
  if (sig.length !== 65) return null;
  const header = sig[0] - 27;
  if (header < 0 || header > 7) return null;
  try {
    const point = secp256k1.Signature.fromCompact(sig.subarray(1))
      .addRecoveryBit(header & 3)
      .recoverPublicKey(messageDigest(msg));
    return point.toHex(true);
  } catch {
    return null;
  }
}

/** Decodes the z-base-32 text (throws ZBase32Error) and recovers the key, as VerifyMessage does. */
export function recoverFromZbase32(signature: string, msg: Uint8Array): string | null {
  return recoverCompact(zbase32Decode(signature), msg);
}
