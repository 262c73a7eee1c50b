/**
 * BIP-32 private key derivation, enough for a wallet's LNURL-auth keys (LUD-05): the master key
 * from a seed, then child keys by index (an index of 2^31 or more is a hardened child).
 */
import { createHmac } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';

export const HARDENED = 0x8000_0000;
const N = secp256k1.CURVE.n;

export interface ExtendedPrivateKey {
  key: Buffer;
  chainCode: Buffer;
}

const hmac512 = (key: Buffer | string, data: Buffer) => createHmac('sha512', key).update(data).digest();
const toBigInt = (b: Buffer) => BigInt(`0x${b.toString('hex')}`);
const to32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');

export function masterKey(seed: Buffer): ExtendedPrivateKey {
  const i = hmac512('Bitcoin seed', seed);
  return { key: i.subarray(0, 32), chainCode: i.subarray(32) };
}

export function childKey(parent: ExtendedPrivateKey, index: number): ExtendedPrivateKey {
  if (!Number.isInteger(index) || index < 0 || index > 0xffff_ffff) throw new Error(`invalid child index ${index}`);
  const ser32 = Buffer.alloc(4);
  ser32.writeUInt32BE(index);
  const data =
    index >= HARDENED
      ? Buffer.concat([Buffer.alloc(1), parent.key, ser32])
      : Buffer.concat([Buffer.from(secp256k1.getPublicKey(parent.key, true)), ser32]);
  const i = hmac512(parent.chainCode, data);
  const il = toBigInt(i.subarray(0, 32));
  const k = (il + toBigInt(parent.key)) % N;
  // Probability below 2^-127; BIP-32 says to skip to the next index, we refuse instead.
  if (il >= N || k === 0n) throw new Error(`index ${index} gives an invalid key`);
  return { key: to32(k), chainCode: i.subarray(32) };
}

export function derivePath(seed: Buffer, path: readonly number[]): ExtendedPrivateKey {
  return path.reduce(childKey, masterKey(seed));
}
