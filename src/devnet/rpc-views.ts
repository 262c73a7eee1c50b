/**
 * Stored records to the protobuf shapes LND sends (lnrpc.Invoice, lnrpc.Payment, lnrpc.PayReq).
 * The one place that knows the wire field names of responses.
 */
import { INVOICE_FEATURE_BITS, featureMap, type DecodedPayReq } from './bolt11-codec';
import type { StoredInvoice, StoredPayment } from './node-state';

const hexBuf = (hex: string) => Buffer.from(hex, 'hex');
const msatToSat = (msat: string) => (BigInt(msat) / 1000n).toString();

export function invoiceToRpc(inv: StoredInvoice): Record<string, unknown> {
  return {
    memo: inv.memo,
    r_preimage: hexBuf(inv.rPreimage),
    r_hash: hexBuf(inv.rHash),
    value: msatToSat(inv.valueMsat),
    value_msat: inv.valueMsat,
    settled: inv.state === 'SETTLED',
    creation_date: String(Math.floor(inv.creationTimeMs / 1000)),
    settle_date: String(inv.settleDate),
    payment_request: inv.paymentRequest,
    description_hash: hexBuf(inv.descriptionHash),
    expiry: String(inv.expiry),
    fallback_addr: inv.fallbackAddr,
    cltv_expiry: String(inv.cltvExpiry),
    route_hints: inv.routeHints.map((hops) => ({ hop_hints: hops })),
    private: inv.private,
    add_index: String(inv.addIndex),
    settle_index: String(inv.settleIndex),
    // LND fills the deprecated amt_paid with the msat amount.
    amt_paid: inv.amtPaidMsat,
    amt_paid_sat: msatToSat(inv.amtPaidMsat),
    amt_paid_msat: inv.amtPaidMsat,
    state: inv.state,
    htlcs: inv.htlcs.map((h) => ({
      chan_id: h.chanId,
      htlc_index: h.htlcIndex,
      amt_msat: h.amtMsat,
      accept_height: h.acceptHeight,
      accept_time: String(h.acceptTime),
      resolve_time: String(h.resolveTime),
      expiry_height: h.expiryHeight,
      state: h.state,
      custom_records: {},
      mpp_total_amt_msat: h.mppTotalAmtMsat,
      custom_channel_data: Buffer.alloc(0),
    })),
    features: featureMap(INVOICE_FEATURE_BITS),
    is_keysend: false,
    payment_addr: hexBuf(inv.paymentAddr),
    is_amp: false,
    amp_invoice_state: {},
    is_blinded: false,
  };
}

export function paymentToRpc(p: StoredPayment): Record<string, unknown> {
  const valueSat = msatToSat(p.valueMsat);
  const settledOrFailed = p.status !== 'IN_FLIGHT';
  // The attempt's route fee (what its hops keep), also on a failed attempt; the payment's fee_msat
  // counts only settled attempts.
  const routeFeeMsat = p.route.reduce((sum, h) => sum + BigInt(h.feeMsat), 0n).toString();
  const totalAmtMsat = (BigInt(p.valueMsat) + BigInt(routeFeeMsat)).toString();
  const htlcs =
    p.route.length === 0
      ? []
      : [
          {
            attempt_id: String(p.paymentIndex),
            status: p.status === 'IN_FLIGHT' ? 'IN_FLIGHT' : p.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
            route: {
              total_time_lock: p.totalTimeLock,
              total_fees: msatToSat(routeFeeMsat),
              total_amt: msatToSat(totalAmtMsat),
              hops: p.route.map((h, i) => ({
                chan_id: h.chanId,
                chan_capacity: '1000000',
                amt_to_forward: msatToSat(h.amtToForwardMsat),
                fee: msatToSat(h.feeMsat),
                expiry: h.expiry,
                amt_to_forward_msat: h.amtToForwardMsat,
                fee_msat: h.feeMsat,
                pub_key: h.pubKey,
                tlv_payload: true,
                mpp_record:
                  i === p.route.length - 1 && p.paymentAddr ? { payment_addr: hexBuf(p.paymentAddr), total_amt_msat: p.valueMsat } : null,
                custom_records: {},
              })),
              total_fees_msat: routeFeeMsat,
              total_amt_msat: totalAmtMsat,
            },
            attempt_time_ns: p.creationTimeNs,
            resolve_time_ns: settledOrFailed ? p.resolveTimeNs : '0',
            failure: null,
            preimage: p.status === 'SUCCEEDED' ? hexBuf(p.paymentPreimage) : Buffer.alloc(0),
          },
        ];
  return {
    payment_hash: p.paymentHash,
    value: valueSat,
    creation_date: String(BigInt(p.creationTimeNs) / 1_000_000_000n),
    fee: msatToSat(p.feeMsat),
    payment_preimage: p.status === 'SUCCEEDED' ? p.paymentPreimage : '0'.repeat(64),
    value_sat: valueSat,
    value_msat: p.valueMsat,
    payment_request: p.paymentRequest,
    status: p.status,
    fee_sat: msatToSat(p.feeMsat),
    fee_msat: p.feeMsat,
    creation_time_ns: p.creationTimeNs,
    htlcs,
    payment_index: String(p.paymentIndex),
    failure_reason: p.failureReason || 'FAILURE_REASON_NONE',
    first_hop_custom_records: {},
  };
}

export function payReqToRpc(d: DecodedPayReq): Record<string, unknown> {
  return {
    destination: d.destination,
    payment_hash: d.paymentHash,
    num_satoshis: (d.amountMsat / 1000n).toString(),
    timestamp: String(d.timestamp),
    expiry: String(d.expiry),
    description: d.description,
    description_hash: d.descriptionHash,
    fallback_addr: d.fallbackAddr,
    cltv_expiry: String(d.cltvExpiry),
    route_hints: d.routeHints.map((hops) => ({ hop_hints: hops })),
    payment_addr: d.paymentAddr ? hexBuf(d.paymentAddr) : Buffer.alloc(32),
    num_msat: d.amountMsat.toString(),
    features: featureMap(d.featureBits),
    blinded_paths: [],
  };
}
