/**
 * lnrpc.Lightning SignMessage and VerifyMessage as LND answers them (rpcserver.go): the texts of
 * its errors, `valid` only for keys in the node's channel graph (here: the devnet's own nodes),
 * and a bad but decodable signature answered with valid=false and no pubkey rather than an error.
 */
import { unknownError } from './grpc-errors';
import { recoverFromZbase32, signMessage } from './message-signing';
import type { UnaryHandler } from './node-context';
import { bytes, str } from './rpc-values';
import { ZBase32Error } from './zbase32';

const signMessageRpc: UnaryHandler = (req, ctx) => {
  const msg = bytes(req.msg);
  if (msg.length === 0) throw unknownError('need a message to sign');
  return { signature: signMessage(ctx.state.identityKey, msg, req.single_hash === true) };
};

const verifyMessageRpc: UnaryHandler = (req, ctx) => {
  const msg = bytes(req.msg);
  if (msg.length === 0) throw unknownError('need a message to verify');
  let pubkey: string | null;
  try {
    pubkey = recoverFromZbase32(str(req.signature), msg);
  } catch (err) {
    if (err instanceof ZBase32Error) throw unknownError(`failed to decode signature: ${err.message}`);
    throw err;
  }
  if (pubkey === null) return { valid: false, pubkey: '' };
  return { valid: ctx.network.nodeByPubkey(pubkey) !== undefined, pubkey };
};

export const messageUnary: Record<string, UnaryHandler> = {
  SignMessage: signMessageRpc,
  VerifyMessage: verifyMessageRpc,
};
