/**
 * Withdrawals for `npm run soak`: between paid views the writer of the demo articles (admin) withdraws
 * small amounts to invoices of the devnet wallets, while the site and the node are killed at random.
 * At the end every invoice submitted is compared with the database: a withdrawal that succeeded was
 * paid exactly once (the wallet's invoice SETTLED for its amount, one HTLC), one that failed or was never
 * created was not paid at all, nothing is left open, and the books balance.
 */
import { createLndClients } from '../../src/devnet/client';
import { nodePaths } from '../../src/devnet/node-store';
import { createKnex } from '../../src/db/knex';
import { createLedgerRepo, type Books } from '../../src/payouts/ledger-repo';
import type { SiteDirs } from '../helpers/site-process';

type Wallet = 'alice' | 'bob';
interface Submitted {
  wallet: Wallet;
  paymentHash: string;
  amountSat: number;
}

export interface WithdrawalReport {
  submitted: number;
  succeeded: number;
  failed: number;
  refused: number;
  stillOpen: number;
  paidButNotSucceeded: number;
  succeededButNotPaid: number;
  paidTwice: number;
  books: Books;
}

function walletConn(dirs: SiteDirs, wallet: Wallet) {
  const p = nodePaths(dirs.devnetDir, wallet);
  return {
    grpcHost: `127.0.0.1:${dirs.env[wallet === 'alice' ? 'DEVNET_ALICE_PORT' : 'DEVNET_BOB_PORT']}`,
    tlsCertPath: p.tlsCert,
    macaroonPath: p.adminMacaroon,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rpc(dirs: SiteDirs, wallet: Wallet, method: string, req: object): Promise<Record<string, any>> {
  const clients = createLndClients(walletConn(dirs, wallet));
  try {
    return await new Promise((resolve, reject) =>
      (
        clients.lightning as unknown as Record<
          string,
          (r: object, o: object, cb: (e: Error | null, v: Record<string, unknown>) => void) => void
        >
      )[method](req, { deadline: Date.now() + 10_000 }, (e, v) => (e ? reject(e) : resolve(v))),
    );
  } finally {
    clients.close();
  }
}

export function createWithdrawalDriver(dirs: SiteDirs) {
  const submitted: Submitted[] = [];
  let refused = 0;

  return {
    /** Creates an invoice on `wallet` and posts it to /me/payouts/invoice as the logged-in writer. Throws when the site is down. */
    async withdraw(cookie: string, wallet: Wallet, amountSat: number): Promise<void> {
      const inv = await rpc(dirs, wallet, 'AddInvoice', { value: String(amountSat), memo: 'soak withdrawal' });
      const page = await fetch(`${dirs.baseUrl}/me/payouts`, { headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
      if (!csrf) throw new Error('no payouts page');
      // Counted before the POST: if the site dies during it, the withdrawal may exist or not; either is checked.
      submitted.push({ wallet, paymentHash: (inv.r_hash as Buffer).toString('hex'), amountSat });
      const res = await fetch(`${dirs.baseUrl}/me/payouts/invoice`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: dirs.baseUrl },
        body: new URLSearchParams({ invoice: inv.payment_request as string, _csrf: csrf }).toString(),
      });
      if (res.status !== 303) refused += 1;
    },

    /** Waits (bounded) for every withdrawal to finish, then checks each submitted invoice against the wallets. */
    async verify(databaseUrl: string, waitMs: number): Promise<WithdrawalReport> {
      const knex = createKnex(databaseUrl, { max: 2 });
      try {
        const until = Date.now() + waitMs;
        let open = 0;
        for (;;) {
          open = Number((await knex('withdrawals').whereIn('status', ['requested', 'in_flight']).count('* as n').first())?.n);
          if (open === 0 || Date.now() > until) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        const rows = new Map(
          (await knex('withdrawals').select('payment_hash', 'status', 'amount_sat')).map((r) => [r.payment_hash as string, r]),
        );
        const report = {
          submitted: submitted.length,
          succeeded: 0,
          failed: 0,
          refused,
          stillOpen: open,
          paidButNotSucceeded: 0,
          succeededButNotPaid: 0,
          paidTwice: 0,
        };
        for (const s of submitted) {
          const inv = await rpc(dirs, s.wallet, 'LookupInvoice', { r_hash: Buffer.from(s.paymentHash, 'hex') });
          const paid = inv.state === 'SETTLED';
          if (paid && (Number(inv.amt_paid_sat) !== s.amountSat || (inv.htlcs as unknown[]).length !== 1)) report.paidTwice += 1;
          const row = rows.get(s.paymentHash);
          if (row?.status === 'succeeded') report.succeeded += 1;
          if (row?.status === 'failed') report.failed += 1;
          if (paid && row?.status !== 'succeeded') report.paidButNotSucceeded += 1;
          if (!paid && row?.status === 'succeeded') report.succeededButNotPaid += 1;
        }
        return { ...report, books: await createLedgerRepo(knex).books() };
      } finally {
        await knex.destroy();
      }
    },
  };
}
