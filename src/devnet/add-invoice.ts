/**
 * AddInvoice with LND's validation order and error texts (rpcserver.go AddInvoice,
 * invoicesrpc/addinvoice.go): amounts, preimage, memo, description hash, expiry, CLTV delta and
 * route hints are checked, then the invoice is created with a random preimage (unless given),
 * a random payment address, and a BOLT 11 request signed with the node key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { encodeInvoice, type HopHintInput } from './bolt11-codec';
import { unknownError } from './grpc-errors';
import type { InvoiceRegistry } from './invoice-registry';
import type { StoredInvoice } from './node-state';
import { unmarshallAmtMsat } from './unmarshall-amount';
import { bytes, int64, list, num, str, type RpcMessage } from './rpc-values';

const MAX_MEMO_SIZE = 1024;
const MAX_BOLT11_FIELD_BYTES = 639;
const MAX_EXPIRY = 365 * 24 * 60 * 60;
const DEFAULT_EXPIRY = 86_400;
const DEFAULT_CLTV = 80;
const MIN_CLTV = 18;
const MAX_ROUTE_HINTS = 20;
const MAX_INVOICE_MSAT = 100_000n * 100_000_000n * 1000n;
const MAX_PAYMENT_REQUEST_LENGTH = 7089;

function routeHints(req: RpcMessage): HopHintInput[][] {
  return list(req.route_hints).map((hint) =>
    list(hint.hop_hints).map((h) => ({
      node_id: str(h.node_id),
      chan_id: int64(h.chan_id).toString(),
      fee_base_msat: num(h.fee_base_msat),
      fee_proportional_millionths: num(h.fee_proportional_millionths),
      cltv_expiry_delta: num(h.cltv_expiry_delta),
    })),
  );
}

export function addInvoice(req: RpcMessage, registry: InvoiceRegistry, nodeKeyHex: string): StoredInvoice {
  const valueMsat = unmarshallAmtMsat(req.value, req.value_msat);
  const givenPreimage = bytes(req.r_preimage);
  if (givenPreimage.length !== 0 && givenPreimage.length !== 32) {
    throw unknownError(`invalid preimage length of ${givenPreimage.length}, want 32`);
  }
  const memo = str(req.memo);
  const memoBytes = Buffer.byteLength(memo, 'utf8');
  if (memoBytes > MAX_MEMO_SIZE) throw unknownError(`memo too large: ${memoBytes} bytes (maxsize=${MAX_MEMO_SIZE})`);
  const descriptionHash = bytes(req.description_hash);
  if (descriptionHash.length !== 0 && descriptionHash.length !== 32) {
    throw unknownError(`description hash is ${descriptionHash.length} bytes, must be 32`);
  }
  if (valueMsat > MAX_INVOICE_MSAT) throw unknownError(`invoice amount ${valueMsat} mSAT is too large, max is 100000 BTC`);
  if (req.is_amp === true) throw unknownError('AMP invoices are not supported by the devnet');
  if (req.is_blinded === true) throw unknownError('blinded invoices are not supported by the devnet');
  const expiry = num(req.expiry) === 0 ? DEFAULT_EXPIRY : num(req.expiry);
  if (expiry < 0) throw unknownError(`expiry of ${expiry} seconds is negative`);
  if (expiry > MAX_EXPIRY) throw unknownError(`expiry of ${expiry} seconds greater than max expiry of 3.1536e+07 seconds`);
  const cltvRequested = num(req.cltv_expiry);
  if (cltvRequested > 65535) throw unknownError(`CLTV delta of ${cltvRequested} is too large, max accepted is: 65535`);
  if (cltvRequested !== 0 && cltvRequested < MIN_CLTV) {
    throw unknownError(`CLTV delta of ${cltvRequested} must be greater than minimum of ${MIN_CLTV}`);
  }
  const hints = routeHints(req);
  if (hints.length > MAX_ROUTE_HINTS) {
    throw unknownError(`number of routing hints must not exceed maximum of ${MAX_ROUTE_HINTS}`);
  }

  const preimage = givenPreimage.length === 32 ? givenPreimage : randomBytes(32);
  const rHash = createHash('sha256').update(preimage).digest('hex');
  if (registry.findByHash(rHash)) throw unknownError('invoice with payment hash already exists');
  if (descriptionHash.length === 0 && memoBytes > MAX_BOLT11_FIELD_BYTES) {
    // zpay32 fails while writing the `d` field: its 10-bit length counts 5-bit groups.
    throw unknownError(`data length too big to fit within 10 bits: ${Math.ceil((memoBytes * 8) / 5)}`);
  }

  const creationTimeMs = registry.now();
  const paymentAddr = randomBytes(32).toString('hex');
  const cltvExpiry = cltvRequested === 0 ? DEFAULT_CLTV : cltvRequested;
  const fallbackAddr = str(req.fallback_addr);
  let paymentRequest: string;
  try {
    paymentRequest = encodeInvoice({
      privateKeyHex: nodeKeyHex,
      amountMsat: valueMsat,
      timestamp: Math.floor(creationTimeMs / 1000),
      paymentHash: rHash,
      memo,
      descriptionHash: descriptionHash.toString('hex'),
      cltvExpiry,
      expiry,
      fallbackAddr,
      routeHints: hints,
      paymentAddr,
    });
  } catch (err) {
    const message = (err as Error).message;
    if (fallbackAddr && /network type/i.test(message)) throw unknownError('fallback address is not for regtest');
    if (fallbackAddr && /fallback/i.test(message)) throw unknownError(`invalid fallback address: ${message}`);
    throw unknownError(message);
  }
  if (paymentRequest.length > MAX_PAYMENT_REQUEST_LENGTH) throw unknownError('invoice is too large');

  return registry.add({
    memo,
    rPreimage: preimage.toString('hex'),
    rHash,
    valueMsat: valueMsat.toString(),
    creationTimeMs,
    settleDate: 0,
    paymentRequest,
    descriptionHash: descriptionHash.toString('hex'),
    expiry,
    fallbackAddr,
    cltvExpiry,
    routeHints: hints,
    private: hints.length > 0,
    settleIndex: 0,
    amtPaidMsat: '0',
    state: 'OPEN',
    htlcs: [],
    paymentAddr,
  });
}
