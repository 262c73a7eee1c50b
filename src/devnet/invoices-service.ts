/** invoicesrpc.Invoices handlers: SubscribeSingleInvoice, CancelInvoice, LookupInvoiceV2. */
import { status } from '@grpc/grpc-js';
import { RpcError, unknownError } from './grpc-errors';
import { trackStream, type StreamHandler, type UnaryHandler } from './node-context';
import type { StoredInvoice } from './node-state';
import { bytes } from './rpc-values';
import { invoiceToRpc } from './rpc-views';

/** lntypes.MakeHash: exactly 32 bytes. */
function hashOf(raw: Buffer): string {
  if (raw.length !== 32) throw new Error(`invalid hash length of ${raw.length}, want 32`);
  return raw.toString('hex');
}

const isFinal = (inv: StoredInvoice) => inv.state === 'SETTLED' || inv.state === 'CANCELED';

/**
 * The current state first (if the invoice exists; otherwise wait for it), then every change;
 * the server ends the stream with OK once the invoice is SETTLED or CANCELED.
 */
const subscribeSingleInvoice: StreamHandler = (req, ctx, call) => {
  let hash: string;
  try {
    hash = hashOf(bytes(req.r_hash));
  } catch (err) {
    throw unknownError((err as Error).message);
  }
  const existing = ctx.registry.findByHash(hash);
  if (existing) {
    call.write(invoiceToRpc(existing));
    if (isFinal(existing)) return void call.end();
  }
  const unsubscribe = ctx.registry.onEvent((inv) => {
    if (inv.rHash !== hash) return;
    call.write(invoiceToRpc(inv));
    if (isFinal(inv)) {
      finish();
      call.end();
    }
  });
  const finish = trackStream(ctx, call, unsubscribe);
};

const cancelInvoice: UnaryHandler = (req, ctx) => {
  let hash: string;
  try {
    hash = hashOf(bytes(req.payment_hash));
  } catch (err) {
    throw unknownError((err as Error).message);
  }
  ctx.registry.cancel(hash);
  return {};
};

const lookupInvoiceV2: UnaryHandler = (req, ctx) => {
  let invoice: StoredInvoice | undefined;
  if (req.invoice_ref === 'payment_hash') {
    let hash: string;
    try {
      hash = hashOf(bytes(req.payment_hash));
    } catch (err) {
      throw new RpcError(status.INVALID_ARGUMENT, `unable to parse pay hash: ${(err as Error).message}`);
    }
    invoice = ctx.registry.findByHash(hash);
  } else if (req.invoice_ref === 'payment_addr') {
    invoice = ctx.registry.findByPaymentAddr(bytes(req.payment_addr).toString('hex'));
  } else if (req.invoice_ref !== 'set_id') {
    throw new RpcError(status.INVALID_ARGUMENT, 'invoice ref must be set');
  }
  if (!invoice) throw new RpcError(status.NOT_FOUND, 'unable to locate invoice');
  return invoiceToRpc(invoice);
};

export const invoicesUnary: Record<string, UnaryHandler> = {
  CancelInvoice: cancelInvoice,
  LookupInvoiceV2: lookupInvoiceV2,
};

export const invoicesStreams: Record<string, StreamHandler> = {
  SubscribeSingleInvoice: subscribeSingleInvoice,
};
