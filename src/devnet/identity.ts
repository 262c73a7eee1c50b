import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';

/** A fresh secp256k1 node identity key (hex), like LND's node key. */
export function createIdentityKey(): string {
  return Buffer.from(secp256k1.utils.randomPrivateKey()).toString('hex');
}

/** The 33-byte compressed public key, hex: LND's identity_pubkey. */
export function identityPubkey(privateKeyHex: string): string {
  return Buffer.from(secp256k1.getPublicKey(privateKeyHex, true)).toString('hex');
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
