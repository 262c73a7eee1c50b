/**
 * The doctor's node side, through the same settings `npm start` uses: reachable, TLS, the macaroon's
 * permissions for each RPC the site calls, synced to the chain, and inbound capacity.
 */
import crypto from 'node:crypto';
import { InvoiceNotFoundError, LightningError, LightningUnavailableError, NodeNotReadyError, type NodeInfo } from '../../lightning/types';
import type { NodeOverviewClient } from '../../lightning/node-overview-client';
import type { LightningNode } from '../../lightning/types';
import { inboundOf } from '../node-monitor';
import { fail, ok, skip, warn, type CheckResult } from './check';

/** The RPCs the site calls, what for, and whether the site can do without. */
export const NEEDED_RPCS: ReadonlyArray<{ method: string; use: string; required: boolean }> = [
  { method: '/lnrpc.Lightning/GetInfo', use: 'start-up and /readyz', required: true },
  { method: '/lnrpc.Lightning/AddInvoice', use: 'invoices for readers', required: true },
  { method: '/lnrpc.Lightning/LookupInvoice', use: 'the Complete button and sweeps', required: true },
  { method: '/lnrpc.Lightning/SubscribeInvoices', use: 'the invoice watcher', required: true },
  { method: '/lnrpc.Lightning/ListChannels', use: 'the node page and the liquidity warning', required: false },
  { method: '/routerrpc.Router/SendPaymentV2', use: "writers' withdrawals", required: false },
];

/** gRPC's "No connection established. Last error: Error: connect ECONNREFUSED ... Resolution note: " said plainly. */
function plainReason(msg: string): string {
  if (/ECONNREFUSED/.test(msg)) return 'connection refused (ECONNREFUSED): nothing listens there';
  if (/ENOTFOUND|EAI_AGAIN/.test(msg)) return 'the host name does not resolve (ENOTFOUND)';
  if (/ETIMEDOUT|EHOSTUNREACH|deadline/i.test(msg)) return 'no answer in time (the host is unreachable or a firewall drops the connection)';
  return msg.replace(/\s*Resolution note:\s*$/, '');
}

const sats = (n: number) => `${n.toLocaleString('en-US')} sat${n === 1 ? '' : 's'}`;

const NODE_STATE_TEXT = { locked: 'the node is locked', starting: 'the node is still starting up' } as const;

const BAKE_FIX =
  'bake a macaroon with the permissions (`lncli bakemacaroon info:read invoices:read invoices:write offchain:read offchain:write`) or use admin.macaroon, and point LND_MACAROON_PATH (or LND_CONNECT) at it';

/** Reachability and TLS from GetInfo; returns the info when the node answered. */
export async function checkReachable(
  overview: NodeOverviewClient,
  host: string,
  startFix: string,
): Promise<{ result: CheckResult[]; info: NodeInfo | null; denied: boolean }> {
  try {
    const info = await overview.getInfo();
    return {
      result: [
        ok('node reachable', `${info.alias || '(no alias)'} ${info.identityPubkey.slice(0, 16)}… at ${host}, LND ${info.version}`),
        ok('node TLS', 'the certificate matches the node'),
      ],
      info,
      denied: false,
    };
  } catch (err) {
    const msg = err instanceof NodeNotReadyError ? err.nodeText : (err as Error).message;
    if (err instanceof NodeNotReadyError && (err.reason === 'locked' || err.reason === 'starting')) {
      const fix =
        err.reason === 'locked'
          ? 'unlock the wallet (`lncli unlock`, or wallet-unlock-password-file in lnd.conf)'
          : 'wait until LND has finished starting (its log says "Server listening"), then run the doctor again';
      return {
        result: [fail('node reachable', `${NODE_STATE_TEXT[err.reason]}: ${msg}`, fix), ok('node TLS', 'the certificate matches the node')],
        info: null,
        denied: false,
      };
    }
    if (err instanceof LightningUnavailableError && !(err instanceof NodeNotReadyError)) {
      if (/certificate|self.signed|SSL|TLS|handshake/i.test(msg)) {
        return {
          result: [
            ok('node reachable', `something answers at ${host}`),
            fail(
              'node TLS',
              msg,
              "LND_TLS_CERT_PATH must be this node's current tls.cert (LND regenerates it when its hosts change; copy it again)",
            ),
          ],
          info: null,
          denied: false,
        };
      }
      return {
        result: [
          fail('node reachable', `no answer from ${host}: ${plainReason(msg)}`, startFix),
          skip('node TLS', 'the node did not answer'),
        ],
        info: null,
        denied: false,
      };
    }
    if (/verification failed|cannot unmarshal macaroon|expected 1 macaroon|encoding\/hex/i.test(msg)) {
      return {
        result: [
          ok('node reachable', `answers at ${host}`),
          ok('node TLS', 'the certificate matches the node'),
          fail(
            'node macaroon',
            `the node refused the macaroon: ${msg}`,
            'LND_MACAROON_PATH must be a macaroon of THIS node (macaroons of another node or an old root key are refused)',
          ),
        ],
        info: null,
        denied: false,
      };
    }
    if (/permission denied/i.test(msg)) {
      return {
        result: [ok('node reachable', `answers at ${host}`), ok('node TLS', 'the certificate matches the node')],
        info: null,
        denied: true,
      };
    }
    return { result: [fail('node reachable', msg, "see the node's log")], info: null, denied: false };
  }
}

/**
 * Which needed RPCs the macaroon allows: LND's CheckMacaroonPermissions when the macaroon may call
 * it (macaroon:read), else by calling the read-only ones and saying the others were not checked.
 */
export async function checkPermissions(overview: NodeOverviewClient, node: LightningNode, getInfoDenied: boolean): Promise<CheckResult> {
  const allowed: string[] = [];
  const denied: Array<{ method: string; required: boolean }> = [];
  const unknown: string[] = [];
  const short = (m: string) => m.split('/').pop() as string;
  let canCheck = false;
  try {
    canCheck = await overview.macaroonAllows('/lnrpc.Lightning/CheckMacaroonPermissions');
  } catch {
    canCheck = false;
  }
  for (const rpc of NEEDED_RPCS) {
    let verdict: boolean | null = null;
    if (canCheck) verdict = await overview.macaroonAllows(rpc.method);
    else if (rpc.method.endsWith('/GetInfo')) verdict = !getInfoDenied;
    else if (rpc.method.endsWith('/ListChannels'))
      verdict = await overview.listChannels().then(
        () => true,
        (e: Error) => (/permission denied/i.test(e.message) ? false : null),
      );
    else if (rpc.method.endsWith('/LookupInvoice')) {
      verdict = await node.lookupInvoice(crypto.randomBytes(32).toString('hex')).then(
        () => true,
        (e: Error) =>
          e instanceof InvoiceNotFoundError
            ? true
            : (e instanceof LightningError || e instanceof NodeNotReadyError) && /permission denied/i.test(e.message)
              ? false
              : null,
      );
    }
    if (verdict === true) allowed.push(short(rpc.method));
    else if (verdict === false) denied.push(rpc);
    else unknown.push(short(rpc.method));
  }
  const summary = `allowed: ${allowed.join(', ') || 'none'}${denied.length ? `; denied: ${denied.map((d) => short(d.method)).join(', ')}` : ''}${unknown.length ? `; not checked (the macaroon may not read its own permissions): ${unknown.join(', ')}` : ''}`;
  const missing = denied.filter((d) => d.required);
  if (missing.length) return fail('node permissions', summary, BAKE_FIX);
  if (denied.length || unknown.length) {
    const uses = denied.map((d) => NEEDED_RPCS.find((r) => r.method === d.method)!.use);
    return warn(
      'node permissions',
      summary,
      denied.length
        ? `without them there is no ${uses.join(' and no ')}; ${BAKE_FIX}`
        : 'add macaroon:read to the macaroon so the doctor can check every RPC',
    );
  }
  return ok('node permissions', summary);
}

export function checkSynced(info: NodeInfo | null): CheckResult {
  if (!info) return skip('node synced', 'the node did not answer GetInfo');
  if (info.syncedToChain)
    return ok('node synced', `synced to the chain at block ${info.blockHeight} (${info.network || 'unknown network'})`);
  return fail(
    'node synced',
    `not synced to the chain (block ${info.blockHeight})`,
    'wait for LND to catch up with its chain backend (bitcoind/neutrino); check that the backend itself is synced',
  );
}

export async function checkInbound(
  overview: NodeOverviewClient,
  dearestPriceSat: number | null,
  articlePrices: number,
): Promise<CheckResult> {
  let channels;
  try {
    channels = await overview.listChannels();
  } catch (err) {
    return skip('inbound capacity', `ListChannels failed: ${(err as Error).message}`);
  }
  const inbound = inboundOf(channels);
  const active = channels.filter((c) => c.active).length;
  if (active === 0)
    return fail(
      'inbound capacity',
      `no active channel (${channels.length} in all)`,
      'open a channel and get inbound liquidity (buy a channel from an LSP, or have a peer open one to you)',
    );
  if (dearestPriceSat !== null && inbound < articlePrices * dearestPriceSat) {
    return warn(
      'inbound capacity',
      `${sats(inbound)} inbound over ${active} active channel${active === 1 ? '' : 's'}, less than ${articlePrices} x the dearest article (${sats(dearestPriceSat)})`,
      "readers' payments will start failing: open or buy inbound liquidity",
    );
  }
  const threshold =
    dearestPriceSat !== null && articlePrices > 0
      ? ` (a warning below ${articlePrices} x the dearest article, ${sats(articlePrices * dearestPriceSat)})`
      : '';
  return ok('inbound capacity', `${sats(inbound)} inbound over ${active} active channel${active === 1 ? '' : 's'}${threshold}`);
}
