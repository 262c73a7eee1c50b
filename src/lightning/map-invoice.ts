import { Invoice, InvoiceState, LightningError } from './types';

/**
 * LND's `lnrpc.Invoice` as @grpc/proto-loader hands it to us with
 * `{keepCase: true, longs: String, enums: String, defaults: true}`: snake_case names, 64-bit integers as
 * decimal strings, bytes as Buffer, enum values as their names. Only the fields the site reads are listed.
 */
export interface RawInvoice {
  memo: string;
  r_preimage?: Buffer;
  r_hash: Buffer;
  value: string;
  value_msat: string;
  creation_date: string;
  settle_date: string;
  payment_request: string;
  expiry: string;
  add_index: string;
  settle_index: string;
  amt_paid_sat: string;
  amt_paid_msat: string;
  state: string;
}

const STATES: readonly InvoiceState[] = ['OPEN', 'SETTLED', 'CANCELED', 'ACCEPTED'];

/** BOLT 11's default when an invoice carries no `x` field; LND itself always writes one. */
const BOLT11_DEFAULT_EXPIRY_SECONDS = 3600;

/**
 * Parses one of proto-loader's int64/uint64 strings. Throws rather than silently losing precision:
 * every value the site reads (sats, indexes, unix seconds) fits comfortably in a double.
 */
export function parseInt64(value: string | number | undefined, field: string): number {
  if (value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new LightningError(`LND returned an invalid ${field}: ${String(value)}`, 2);
  }
  return n;
}

function parseState(state: string): InvoiceState {
  const found = STATES.find((s) => s === state);
  if (!found) throw new LightningError(`LND returned an unknown invoice state: ${state}`, 2);
  return found;
}

/**
 * The one place that turns LND's raw invoice into the site's `Invoice`.
 * - `valueSat` is `value`, or floor(value_msat / 1000) when only msat is set.
 * - `amtPaidSat` is `amt_paid_sat`, or floor(amt_paid_msat / 1000) when only msat is set. The deprecated
 *   `amt_paid` field is never read: LND fills it with millisatoshis despite its name.
 * - `expiresAt` is creation_date + expiry (expiry 0 means BOLT 11's default of 3600 s).
 * - `settledAt` is set only for a SETTLED invoice with a settle date.
 * Throws LightningError when the hash is not 32 bytes or a number or state is unreadable.
 */
export function mapInvoice(raw: RawInvoice): Invoice {
  const hash = Buffer.isBuffer(raw.r_hash) ? raw.r_hash : Buffer.from(raw.r_hash ?? []);
  if (hash.length !== 32) {
    throw new LightningError(`LND returned an invoice whose r_hash is ${hash.length} bytes, not 32`, 2);
  }
  const state = parseState(raw.state);
  const valueSat = parseInt64(raw.value, 'value') || Math.floor(parseInt64(raw.value_msat, 'value_msat') / 1000);
  const amtPaidSat = parseInt64(raw.amt_paid_sat, 'amt_paid_sat') || Math.floor(parseInt64(raw.amt_paid_msat, 'amt_paid_msat') / 1000);
  const createdSeconds = parseInt64(raw.creation_date, 'creation_date');
  const expirySeconds = parseInt64(raw.expiry, 'expiry') || BOLT11_DEFAULT_EXPIRY_SECONDS;
  const settleSeconds = parseInt64(raw.settle_date, 'settle_date');
  return {
    paymentHash: hash.toString('hex'),
    paymentRequest: raw.payment_request ?? '',
    memo: raw.memo ?? '',
    valueSat,
    amtPaidSat,
    state,
    createdAt: new Date(createdSeconds * 1000),
    expiresAt: new Date((createdSeconds + expirySeconds) * 1000),
    settledAt: state === 'SETTLED' && settleSeconds > 0 ? new Date(settleSeconds * 1000) : null,
    addIndex: parseInt64(raw.add_index, 'add_index'),
    settleIndex: parseInt64(raw.settle_index, 'settle_index'),
    preimage:
      state === 'SETTLED' && Buffer.isBuffer(raw.r_preimage) && raw.r_preimage.length === 32 ? raw.r_preimage.toString('hex') : null,
  };
}
