/**
 * Minting and checking LND-style macaroons: V2 binary, location "lnd", identifier 0x03 +
 * MacaroonId{nonce, storageId "0", ops}, signed with the node's root key. Verification follows
 * LND's interceptor: exactly one `macaroon` metadata value, hex-decoded, signature checked
 * against the root key, then the RPC's permission looked up in the identifier's ops.
 */
import { randomBytes } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { importMacaroon, newMacaroon } from 'macaroon';
import { goHexDecode } from './go-hex';
import { unknownError } from './grpc-errors';
import { decodeMacaroonId, encodeMacaroonId, type MacaroonOp } from './macaroon-id';
import { RPC_PERMISSIONS } from './permissions';

const ROOT_KEY_ID = Buffer.from('0');

export function mintMacaroon(rootKey: Buffer, ops: MacaroonOp[]): Buffer {
  const identifier = encodeMacaroonId({ nonce: randomBytes(16), storageId: ROOT_KEY_ID, ops });
  const mac = newMacaroon({ identifier, location: 'lnd', rootKey, version: 2 });
  return Buffer.from(mac.exportBinary());
}

/** Throws an RpcError (code 2, LND's text) unless the metadata carries a macaroon allowing `path`. */
export function checkMacaroon(metadata: Metadata, rootKey: Buffer, path: string): void {
  const values = metadata.get('macaroon');
  if (values.length !== 1) throw unknownError(`expected 1 macaroon, got ${values.length}`);
  const value = values[0];
  const text = typeof value === 'string' ? value : value.toString('utf8');
  let bytes: Buffer;
  try {
    bytes = goHexDecode(text);
  } catch (err) {
    throw unknownError((err as Error).message);
  }
  const ops = verifiedOps(bytes, rootKey);
  const required = RPC_PERMISSIONS[path];
  if (!required || !allows(ops, required)) throw unknownError('permission denied');
}

export const allows = (ops: MacaroonOp[], p: { entity: string; action: string }): boolean =>
  ops.some((op) => op.entity === p.entity && op.actions.includes(p.action));

/** The operations a binary macaroon grants, once its signature checks out against `rootKey`. */
export function verifiedOps(bytes: Buffer, rootKey: Buffer): MacaroonOp[] {
  let mac;
  try {
    mac = importMacaroon(bytes);
  } catch (err) {
    throw unknownError(`cannot unmarshal macaroon: ${(err as Error).message}`);
  }
  try {
    const id = decodeMacaroonId(mac.identifier);
    if (!id.storageId.equals(ROOT_KEY_ID)) throw new Error(`root key with id ${id.storageId.toString()} doesn't exist`);
    // The admin macaroon has no caveats; any first-party caveat is one the devnet does not know.
    mac.verify(rootKey, (cond) => `caveat "${cond}" not satisfied`);
    return id.ops;
  } catch (err) {
    throw unknownError(`verification failed: ${(err as Error).message}`);
  }
}
