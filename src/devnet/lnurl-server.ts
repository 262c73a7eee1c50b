/**
 * A Lightning Address for every devnet wallet: LNURL-pay (LUD-06, LUD-16) over plain HTTP on
 * 127.0.0.1, which the site accepts for loopback hosts outside production only.
 *   GET /.well-known/lnurlp/<node>           -> payRequest (callback, min/maxSendable in msat, metadata)
 *   GET /lnurlp/<node>/callback?amount=<msat> -> { pr, routes: [] }: an invoice of that node for exactly
 *       that amount whose description hash is SHA-256 of the metadata string as served.
 * Errors are LUD-06's {"status":"ERROR","reason":...}.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { addInvoice } from './add-invoice';
import type { DevnetNodeName } from './node-state';
import type { NetworkNode } from './payment-network';

export const LNURL_MIN_SENDABLE_MSAT = 1_000;
export const LNURL_MAX_SENDABLE_MSAT = 1_000_000_000;

export interface LnurlServer {
  port: number;
  addresses: Record<DevnetNodeName, string>;
  stop(): Promise<void>;
}

export async function startLnurlServer(nodes: ReadonlyMap<DevnetNodeName, NetworkNode>, port: number): Promise<LnurlServer> {
  let actualPort = port;
  const host = () => `127.0.0.1:${actualPort}`;
  const metadataOf = (name: string) =>
    JSON.stringify([
      ['text/plain', `Pay ${name} on the devnet`],
      ['text/identifier', `${name}@${host()}`],
    ]);

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', `http://${host()}`);
    const wellKnown = /^\/\.well-known\/lnurlp\/([a-z0-9\-_.]+)$/.exec(url.pathname);
    const callback = /^\/lnurlp\/([a-z0-9\-_.]+)\/callback$/.exec(url.pathname);
    const name = (wellKnown ?? callback)?.[1];
    const node = name ? nodes.get(name as DevnetNodeName) : undefined;
    if (req.method !== 'GET' || !node || !name) return send(404, { status: 'ERROR', reason: 'no such Lightning Address' });
    if (wellKnown) {
      return send(200, {
        tag: 'payRequest',
        callback: `http://${host()}/lnurlp/${name}/callback`,
        minSendable: LNURL_MIN_SENDABLE_MSAT,
        maxSendable: LNURL_MAX_SENDABLE_MSAT,
        metadata: metadataOf(name),
        commentAllowed: 0,
      });
    }
    const amount = url.searchParams.get('amount') ?? '';
    if (!/^\d{1,15}$/.test(amount) || Number(amount) < LNURL_MIN_SENDABLE_MSAT || Number(amount) > LNURL_MAX_SENDABLE_MSAT) {
      return send(200, { status: 'ERROR', reason: `amount must be from ${LNURL_MIN_SENDABLE_MSAT} to ${LNURL_MAX_SENDABLE_MSAT} msat` });
    }
    try {
      const invoice = addInvoice(
        { value_msat: amount, description_hash: createHash('sha256').update(metadataOf(name), 'utf8').digest(), expiry: '3600' },
        node.registry,
        node.state.identityKey,
      );
      return send(200, { pr: invoice.paymentRequest, routes: [] });
    } catch (err) {
      return send(200, { status: 'ERROR', reason: (err as Error).message });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  actualPort = (server.address() as { port: number }).port;
  const addresses = Object.fromEntries([...nodes.keys()].map((n) => [n, `${n}@${host()}`])) as Record<DevnetNodeName, string>;
  return {
    port: actualPort,
    addresses,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
