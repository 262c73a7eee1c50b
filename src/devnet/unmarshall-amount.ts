import { unknownError } from './grpc-errors';
import { int64 } from './rpc-values';

/**
 * LND's UnmarshallAmt: an amount given either in sat or in msat (never both, never negative),
 * as msat. AddInvoice (value/value_msat) and SendPaymentV2 (amt/amt_msat) share it, as in LND.
 */
export function unmarshallAmtMsat(satField: unknown, msatField: unknown): bigint {
  const sat = int64(satField);
  const msat = int64(msatField);
  if (sat !== 0n && msat !== 0n) throw unknownError('sat and msat arguments are mutually exclusive');
  if (sat < 0n || msat < 0n) throw unknownError('amount cannot be negative');
  return sat !== 0n ? sat * 1000n : msat;
}
