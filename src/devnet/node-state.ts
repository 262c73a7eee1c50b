/**
 * The persisted state of one devnet node: what LND keeps in its wallet, channel and invoice
 * databases, reduced to what the devnet needs. Amounts are msat/sat decimal strings (BigInt in
 * code) because invoice amounts can exceed 2^53 msat.
 */
export type DevnetNodeName = 'site' | 'alice' | 'bob';
export const NODE_NAMES: readonly DevnetNodeName[] = ['site', 'alice', 'bob'];

export type InvoiceState = 'OPEN' | 'SETTLED' | 'CANCELED' | 'ACCEPTED';

export interface StoredHopHint {
  node_id: string;
  chan_id: string;
  fee_base_msat: number;
  fee_proportional_millionths: number;
  cltv_expiry_delta: number;
}

export interface StoredInvoiceHtlc {
  chanId: string;
  htlcIndex: string;
  amtMsat: string;
  acceptHeight: number;
  acceptTime: number;
  resolveTime: number;
  expiryHeight: number;
  state: 'ACCEPTED' | 'SETTLED' | 'CANCELED';
  mppTotalAmtMsat: string;
}

export interface StoredInvoice {
  memo: string;
  rPreimage: string;
  rHash: string;
  valueMsat: string;
  creationTimeMs: number;
  settleDate: number;
  paymentRequest: string;
  descriptionHash: string;
  expiry: number;
  fallbackAddr: string;
  cltvExpiry: number;
  routeHints: StoredHopHint[][];
  private: boolean;
  addIndex: number;
  settleIndex: number;
  amtPaidMsat: string;
  state: InvoiceState;
  htlcs: StoredInvoiceHtlc[];
  paymentAddr: string;
}

export interface StoredHop {
  chanId: string;
  pubKey: string;
  amtToForwardMsat: string;
  feeMsat: string;
  expiry: number;
}

export type PaymentStatus = 'IN_FLIGHT' | 'SUCCEEDED' | 'FAILED';

export interface StoredPayment {
  paymentHash: string;
  paymentPreimage: string;
  valueMsat: string;
  feeMsat: string;
  creationTimeNs: string;
  resolveTimeNs: string;
  paymentRequest: string;
  status: PaymentStatus;
  failureReason: string;
  paymentIndex: number;
  paymentAddr: string;
  route: StoredHop[];
  totalTimeLock: number;
  /** SendPaymentV2's fee limit, kept so a payment resumed after a restart keeps it (absent in older states: no limit). */
  feeLimitMsat?: string;
}

export interface ChannelState {
  chanId: string;
  peer: DevnetNodeName;
  capacitySat: string;
  localMsat: string;
  remoteMsat: string;
}

export interface NodeState {
  version: 1;
  name: DevnetNodeName;
  identityKey: string;
  macaroonRootKey: string;
  blockHeight: number;
  blockHash: string;
  walletBalanceSat: string;
  channels: ChannelState[];
  invoices: StoredInvoice[];
  lastSettleIndex: number;
  /** The last add_index handed out (add indexes are never reused, even after an invoice is deleted); absent in old state files. */
  lastAddIndex?: number;
  lastHtlcIndex: number;
  payments: StoredPayment[];
}
