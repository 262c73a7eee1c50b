/**
 * Withdrawals for `npm run soak`: writers withdraw small amounts to invoices of the devnet wallets
 * while the site and the node are killed at random. At the end every invoice submitted is checked
 * against the database and against both nodes (tests/soak/withdrawal-audit.ts).
 */
import type * as grpc from '@grpc/grpc-js';
import { createLndClients, type LndClients } from '../../src/devnet/client';
import { nodePaths } from '../../src/devnet/node-store';
import type { SiteDirs } from '../helpers/site-process';

export type Wallet = 'alice' | 'bob';
export interface Submitted {
  wallet: Wallet;
  paymentHash: string;
  amountSat: number;
}

export type RpcReply = Record<string, unknown>;
export type Rpc = (node: Wallet | 'site', service: 'lightning' | 'router' | 'invoices', method: string, req: object) => Promise<RpcReply[]>;

/** gRPC to the devnet nodes over kept connections (they reconnect by themselves after a node restart). */
export function createRpc(dirs: SiteDirs): Rpc & { close(): void } {
  const clients = new Map<string, LndClients>();
  const port = { site: dirs.env.DEVNET_SITE_PORT, alice: dirs.env.DEVNET_ALICE_PORT, bob: dirs.env.DEVNET_BOB_PORT };
  const client = (node: Wallet | 'site') => {
    let c = clients.get(node);
    if (!c) {
      const p = nodePaths(dirs.devnetDir, node);
      c = createLndClients({ grpcHost: `127.0.0.1:${port[node]}`, tlsCertPath: p.tlsCert, macaroonPath: p.adminMacaroon });
      clients.set(node, c);
    }
    return c;
  };
  const rpc = (async (node, service, method, req) => {
    const target = client(node)[service] as unknown as Record<string, (...a: unknown[]) => unknown>;
    // waitForReady: after a node restart the kept channel reconnects first (a call never sent is not failed).
    const options = { deadline: Date.now() + 15_000, waitForReady: true };
    if (service === 'router') {
      // Server streams (TrackPaymentV2): every message until the end.
      return new Promise<RpcReply[]>((resolve, reject) => {
        const out: RpcReply[] = [];
        const call = target[method](req, options) as grpc.ClientReadableStream<RpcReply>;
        call.on('data', (m: RpcReply) => out.push(m));
        call.on('error', reject);
        call.on('end', () => resolve(out));
      });
    }
    return new Promise<RpcReply[]>((resolve, reject) =>
      target[method](req, options, (e: Error | null, v: RpcReply) => (e ? reject(e) : resolve([v]))),
    );
  }) as Rpc & { close(): void };
  rpc.close = () => {
    for (const c of clients.values()) c.close();
  };
  return rpc;
}

export function createWithdrawalDriver(dirs: SiteDirs, rpc: Rpc) {
  const submitted: Submitted[] = [];
  const csrf = new Map<string, string>();
  const refusals = new Map<string, number>();

  return {
    submitted,
    refusals,
    /**
     * Creates an invoice on `wallet` and posts it to /me/payouts/invoice as the logged-in writer:
     * With `cancelled`, the wallet cancels the invoice first, so the withdrawal must fail.
     * 'created' (303) or 'refused' (422, a message for the writer). Throws while the site or the node is down.
     */
    async withdraw(cookie: string, wallet: Wallet, amountSat: number, cancelled = false): Promise<'created' | 'refused'> {
      const [inv] = await rpc(wallet, 'lightning', 'AddInvoice', { value: String(amountSat), memo: 'soak withdrawal' });
      // A wallet that cancelled its invoice: the payment fails (incorrect payment details) and the balance comes back.
      if (cancelled) await rpc(wallet, 'invoices', 'CancelInvoice', { payment_hash: inv.r_hash });
      let token = csrf.get(cookie);
      if (!token) {
        const page = await fetch(`${dirs.baseUrl}/me/payouts`, { headers: { cookie } });
        token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
        if (!token) throw new Error('no payouts page');
        csrf.set(cookie, token);
      }
      // Counted before the POST: if the site dies during it, the withdrawal may exist or not; either is checked.
      submitted.push({ wallet, paymentHash: (inv.r_hash as Buffer).toString('hex'), amountSat });
      const res = await fetch(`${dirs.baseUrl}/me/payouts/invoice`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: dirs.baseUrl },
        body: new URLSearchParams({ invoice: inv.payment_request as string, _csrf: token }).toString(),
      });
      const text = await res.text();
      if (res.status === 303) return 'created';
      if (res.status === 422) {
        const message = /data-error="withdrawal">([^<]+)</.exec(text)?.[1]?.trim().replace(/\d+/g, 'N') ?? 'unknown';
        refusals.set(message, (refusals.get(message) ?? 0) + 1);
        return 'refused';
      }
      if (res.status === 403) csrf.delete(cookie);
      throw new Error(`withdrawal POST answered ${res.status}`);
    },
  };
}
