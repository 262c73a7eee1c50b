/**
 * The site's view of a Lightning node. Only src/lightning/ knows about gRPC and protobuf shapes;
 * everything else works with these plain types. Amounts are integer satoshis.
 */
export type InvoiceState = 'OPEN' | 'SETTLED' | 'CANCELED' | 'ACCEPTED';

export interface Invoice {
  /** SHA-256 of the preimage, lower-case hex (64 chars). */
  paymentHash: string;
  /** BOLT 11 payment request. */
  paymentRequest: string;
  memo: string;
  valueSat: number;
  /** What the node actually received, in sats (floor of msat). */
  amtPaidSat: number;
  state: InvoiceState;
  createdAt: Date;
  expiresAt: Date;
  settledAt: Date | null;
  addIndex: number;
  /** 0 unless settled. */
  settleIndex: number;
  /** The proof of payment (hex), for a settled invoice; absent where a node or a fake gives none. */
  preimage?: string | null;
}

export interface CreatedInvoice {
  paymentHash: string;
  paymentRequest: string;
  addIndex: number;
  expiresAt: Date;
}

export interface NodeInfo {
  identityPubkey: string;
  alias: string;
  version: string;
  /** 'mainnet' | 'testnet' | 'regtest' | ... */
  network: string;
  syncedToChain: boolean;
  blockHeight: number;
}

export interface CreateInvoiceInput {
  valueSat: number;
  memo: string;
  /** Seconds; the node's default (86,400 on LND) when omitted. */
  expirySeconds?: number;
}

export interface InvoiceSubscriptionHandlers {
  onInvoice(invoice: Invoice): void;
  /** The stream ended (cleanly or not); the caller decides whether to resubscribe. */
  onEnd(error: Error | null): void;
}

export interface Subscription {
  cancel(): void;
}

export interface LightningNode {
  getInfo(): Promise<NodeInfo>;
  createInvoice(input: CreateInvoiceInput): Promise<CreatedInvoice>;
  /** Throws InvoiceNotFoundError when the node does not know the hash. */
  lookupInvoice(paymentHash: string): Promise<Invoice>;
  /** LND's SubscribeInvoices: replays from the given indexes, then streams OPEN and SETTLED events. */
  subscribeInvoices(from: { addIndex: number; settleIndex: number }, handlers: InvoiceSubscriptionHandlers): Subscription;
  close(): void;
}

/** The node could not be reached or did not answer in time (gRPC UNAVAILABLE / DEADLINE_EXCEEDED). */
export class LightningUnavailableError extends Error {
  override readonly name = 'LightningUnavailableError';
}

/** The node does not know this invoice (LND: NOT_FOUND "unable to locate invoice"). */
export class InvoiceNotFoundError extends Error {
  override readonly name = 'InvoiceNotFoundError';
}

/** Any other error the node returned; `code` is the gRPC status code. */
export class LightningError extends Error {
  override readonly name = 'LightningError';
  constructor(message: string, readonly code: number) {
    super(message);
  }
}
