/**
 * /account/library: everything the reader paid for (articles and upvotes) with the proof of each
 * payment, and /account/library.csv, the same as a file. Preimages not yet kept are asked of the
 * node first (a few per visit); when the node is away the page still shows, without them.
 */
import type { RequestHandler } from 'express';
import { currentUser } from '../guards';
import type { User } from '../users-repo';
import { LightningUnavailableError, type LightningNode } from '../../lightning/types';
import type { Logger } from '../../lib/logger';
import type { LibraryRepo, Receipt } from './library-repo';
import { receiptsCsv } from './receipts-csv';

const LOOKUPS_PER_VISIT = 25;

export interface LibraryPages {
  show: RequestHandler;
  csv: RequestHandler;
}

export function createLibraryPages(deps: { library: LibraryRepo; node: LightningNode; logger: Logger }): LibraryPages {
  async function receiptsWithProofs(userId: number): Promise<{ receipts: Receipt[]; nodeAway: boolean }> {
    const receipts = await deps.library.receipts(userId);
    let nodeAway = false;
    for (const r of receipts.filter((x) => x.preimage === null).slice(0, LOOKUPS_PER_VISIT)) {
      try {
        const invoice = await deps.node.lookupInvoice(r.paymentHash);
        if (invoice.preimage && (await deps.library.savePreimage(r.paymentHash, invoice.preimage))) r.preimage = invoice.preimage;
      } catch (err) {
        if (err instanceof LightningUnavailableError) {
          nodeAway = true;
          break;
        }
        deps.logger.warn('could not read a preimage from the node', { paymentHash: r.paymentHash, error: err });
      }
    }
    return { receipts, nodeAway: nodeAway || receipts.some((r) => r.preimage === null) };
  }

  const show: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const { receipts, nodeAway } = await receiptsWithProofs(user.id);
    const total = receipts.reduce((s, r) => s + r.amountSat, 0);
    res.render('account/library', { title: 'Your library and receipts', receipts, total, nodeAway });
  };

  const csv: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const { receipts } = await receiptsWithProofs(user.id);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="receipts.csv"',
      'Cache-Control': 'no-store',
    });
    res.send(receiptsCsv(receipts));
  };

  return { show, csv };
}
