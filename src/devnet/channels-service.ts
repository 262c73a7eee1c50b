/**
 * ListChannels and CheckMacaroonPermissions for the devnet. Channel balances are the ones the
 * payment network moves as invoices are paid (payment-network.ts), so a reader's payment lowers
 * the site's inbound (remote) balance exactly as it would on LND.
 */
import { status } from '@grpc/grpc-js';
import { RpcError } from './grpc-errors';
import { allows, verifiedOps } from './macaroons';
import type { NodeContext, UnaryHandler } from './node-context';
import type { DevnetNodeName } from './node-state';
import { RPC_PERMISSIONS } from './permissions';
import { bytes, str, type RpcMessage } from './rpc-values';

/** The reserve each side must keep: 1 % of capacity, as LND's default (DefaultReserve). */
const reserveSat = (capacitySat: bigint) => capacitySat / 100n;
const constraints = (capacitySat: bigint) => ({
  csv_delay: 144,
  chan_reserve_sat: reserveSat(capacitySat).toString(),
  dust_limit_sat: '354',
  max_pending_amt_msat: (capacitySat * 990n).toString(),
  min_htlc_msat: '1',
  max_accepted_htlcs: 483,
});

const peerPubkey = (ctx: NodeContext, peer: DevnetNodeName): string => ctx.network.nodeByName(peer)?.pubkey ?? '';

const listChannels: UnaryHandler = (req, ctx) => {
  const inactiveOnly = Boolean(req.inactive_only);
  const privateOnly = Boolean(req.private_only);
  const peer = bytes(req.peer).toString('hex');
  const channels = ctx.state.channels
    .map((c) => {
      const capacity = BigInt(c.capacitySat);
      const blockTx = (BigInt(c.chanId) >> 40n).toString(16).padStart(64, '0');
      return {
        active: true,
        remote_pubkey: peerPubkey(ctx, c.peer),
        channel_point: `${blockTx}:0`,
        chan_id: c.chanId,
        capacity: c.capacitySat,
        local_balance: (BigInt(c.localMsat) / 1000n).toString(),
        remote_balance: (BigInt(c.remoteMsat) / 1000n).toString(),
        commit_fee: '0',
        commit_weight: '772',
        fee_per_kw: '253',
        unsettled_balance: '0',
        total_satoshis_sent: '0',
        total_satoshis_received: '0',
        num_updates: '0',
        pending_htlcs: [],
        private: false,
        // topology.ts: alice and bob funded their channels to site.
        initiator: ctx.name !== 'site',
        chan_status_flags: 'ChanStatusDefault',
        commitment_type: 'ANCHORS',
        lifetime: '0',
        uptime: '0',
        local_constraints: constraints(capacity),
        remote_constraints: constraints(capacity),
        peer_alias: req.peer_alias_lookup ? c.peer : '',
      };
    })
    .filter((c) => !inactiveOnly && !privateOnly && (peer === '' || c.remote_pubkey === peer));
  return { channels };
};

/** LND answers an unmet permission with an error rather than valid:false. */
const checkMacaroonPermissions: UnaryHandler = (req: RpcMessage, ctx) => {
  const ops = verifiedOps(bytes(req.macaroon), Buffer.from(ctx.state.macaroonRootKey, 'hex'));
  const wanted = (req.permissions as Array<{ entity: string; action: string }> | undefined) ?? [];
  const method = str(req.fullMethod);
  const required = req.check_default_perms_from_full_method && RPC_PERMISSIONS[method] ? [RPC_PERMISSIONS[method]] : wanted;
  if (required.length === 0) throw new RpcError(status.INVALID_ARGUMENT, 'no permissions to check');
  if (!required.every((p) => allows(ops, p))) throw new RpcError(status.INVALID_ARGUMENT, 'permission denied');
  return { valid: true };
};

export const channelsUnary: Record<string, UnaryHandler> = {
  ListChannels: listChannels,
  CheckMacaroonPermissions: checkMacaroonPermissions,
};
