/**
 * ListInvoices paging as LND's invoice store does it: forward from index_offset (exclusive), or
 * backwards from it when `reversed` (0 meaning "from the newest"), at most num_max_invoices
 * (0 means 100), results always in ascending add_index order.
 */
import { unknownError } from './grpc-errors';
import type { StoredInvoice } from './node-state';
import { int64, type RpcMessage } from './rpc-values';
import { invoiceToRpc } from './rpc-views';

const DEFAULT_MAX = 100;

export function listInvoices(req: RpcMessage, all: readonly StoredInvoice[]): Record<string, unknown> {
  const offset = Number(int64(req.index_offset));
  const max = Number(int64(req.num_max_invoices)) || DEFAULT_MAX;
  const start = Number(int64(req.creation_date_start));
  const end = Number(int64(req.creation_date_end));
  if (start !== 0 && end !== 0 && start >= end) {
    throw unknownError(`start date(${start}) must be before end date(${end})`);
  }
  const matches = (inv: StoredInvoice) => {
    const created = Math.floor(inv.creationTimeMs / 1000);
    if (req.pending_only === true && inv.state !== 'OPEN' && inv.state !== 'ACCEPTED') return false;
    if (start !== 0 && created < start) return false;
    if (end !== 0 && created > end) return false;
    return true;
  };
  let page: StoredInvoice[];
  if (req.reversed === true) {
    const before = all.filter((inv) => (offset === 0 || inv.addIndex < offset) && matches(inv));
    page = before.slice(Math.max(0, before.length - max));
  } else {
    page = all.filter((inv) => inv.addIndex > offset && matches(inv)).slice(0, max);
  }
  return {
    invoices: page.map(invoiceToRpc),
    first_index_offset: String(page.length ? page[0].addIndex : 0),
    last_index_offset: String(page.length ? page[page.length - 1].addIndex : 0),
  };
}
