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
  /**
   * One streamed invoice could not be read (a value out of range, a state the site does not know).
   * It is skipped and the stream goes on; without this handler the stream ends with the error.
   */
  onUnreadable?(error: Error): void;
}

export interface Subscription {
  cancel(): void;
}

export interface LightningNode {
  getInfo(): Promise<NodeInfo>;
  createInvoice(input: CreateInvoiceInput): Promise<CreatedInvoice>;
  /** Throws InvoiceNotFoundError when the node does not know the hash. */
  lookupInvoice(paymentHash: string): Promise<Invoice>;
  /**
   * The add_index of the node's newest invoice (0 when it has none): ListInvoices, newest first.
   * The watcher checks its stored stream position against it. Optional for test doubles.
   */
  latestAddIndex?(): Promise<number>;
  /** LND's SubscribeInvoices: replays from the given indexes, then streams OPEN and SETTLED events. */
  subscribeInvoices(from: { addIndex: number; settleIndex: number }, handlers: InvoiceSubscriptionHandlers): Subscription;
  close(): void;
}

/** The node could not be reached or did not answer in time (gRPC UNAVAILABLE / DEADLINE_EXCEEDED). */
export class LightningUnavailableError extends Error {
  override readonly name = 'LightningUnavailableError';
}

/**
 * The node answered, but "not now": LND's ordinary answers while it cannot serve the site. They are
 * LightningUnavailableError (readers get "payments are unavailable", the circuit breaker counts
 * them), with what the operator needs to fix it: which refusal, and for which call.
 */
export type NodeRefusal = 'locked' | 'starting' | 'macaroon-refused' | 'permission-denied' | 'overloaded' | 'internal-error';

export class NodeNotReadyError extends LightningUnavailableError {
  constructor(
    readonly reason: NodeRefusal,
    /** LND's own text, e.g. "wallet locked, unlock it to enable full RPC access". */
    readonly nodeText: string,
    /** The RPC that was refused (e.g. "GetInfo"), when known. */
    readonly method: string | null,
  ) {
    super(`${NODE_REFUSAL_TEXT[reason]}${method ? ` (${method})` : ''}: ${nodeText}`);
  }
}

export const NODE_REFUSAL_TEXT: Readonly<Record<NodeRefusal, string>> = {
  locked: 'Lightning node locked: its wallet must be unlocked',
  starting: 'Lightning node still starting up',
  'macaroon-refused': 'Lightning node refused our macaroon (wrong node, wrong root key or not a macaroon)',
  'permission-denied': 'Lightning node: our macaroon lacks the permission for this call',
  overloaded: 'Lightning node overloaded (resource exhausted)',
  'internal-error': 'Lightning node internal error',
};

/** The node does not know this invoice (LND: NOT_FOUND "unable to locate invoice"). */
export class InvoiceNotFoundError extends Error {
  override readonly name = 'InvoiceNotFoundError';
}

/** Any other error the node returned; `code` is the gRPC status code. */
export class LightningError extends Error {
  override readonly name = 'LightningError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** Whether `err` is anything the node said or did (never a bug of ours): pages answer 503 for these, never 500. */
export function isLightningError(err: unknown): err is LightningUnavailableError | InvoiceNotFoundError | LightningError {
  return err instanceof LightningUnavailableError || err instanceof InvoiceNotFoundError || err instanceof LightningError;
}
