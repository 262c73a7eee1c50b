/** lnrpc.Lightning handlers: node info, balances, invoices and payment request decoding. */
import { status } from '@grpc/grpc-js';
import { addInvoice } from './add-invoice';
import { decodePaymentRequest, featureMap, NETWORK_NAME } from './bolt11-codec';
import { goHexDecode, GoHexError } from './go-hex';
import { RpcError, unknownError } from './grpc-errors';
import { trackStream, type NodeContext, type StreamHandler, type UnaryHandler } from './node-context';
import type { StoredInvoice } from './node-state';
import { bytes, int64, str, type RpcMessage } from './rpc-values';
import { invoiceToRpc, payReqToRpc } from './rpc-views';
import { listInvoices } from './list-invoices';
import { channelsUnary } from './channels-service';

export const DEVNET_VERSION = '0.20.0-beta commit=devnet';
const NODE_FEATURE_BITS = [0, 5, 7, 8, 12, 14, 17, 19, 23, 25, 27, 31, 45];

const getInfo: UnaryHandler = (_req, ctx) => ({
  version: DEVNET_VERSION,
  commit_hash: 'devnet',
  identity_pubkey: ctx.pubkey,
  alias: ctx.name,
  color: '#3399ff',
  num_pending_channels: 0,
  num_active_channels: ctx.state.channels.length,
  num_inactive_channels: 0,
  num_peers: ctx.state.channels.length,
  block_height: ctx.state.blockHeight,
  block_hash: ctx.state.blockHash,
  best_header_timestamp: String(Math.floor(Date.now() / 1000)),
  synced_to_chain: true,
  synced_to_graph: true,
  testnet: false,
  chains: [{ chain: 'bitcoin', network: NETWORK_NAME }],
  uris: [`${ctx.pubkey}@${ctx.p2pAddress}`],
  features: featureMap(NODE_FEATURE_BITS),
  require_htlc_interceptor: false,
  store_final_htlc_resolutions: false,
});

/** LookupInvoice: r_hash_str (hex) wins over r_hash; lengths other than 0 and 32 are refused. */
function lookupHash(req: RpcMessage): string {
  const hashStr = str(req.r_hash_str);
  let hash: Buffer;
  if (hashStr !== '') {
    try {
      hash = goHexDecode(hashStr);
    } catch (err) {
      if (err instanceof GoHexError) throw unknownError(err.message);
      throw err;
    }
  } else hash = bytes(req.r_hash);
  if (hash.length !== 0 && hash.length !== 32) {
    throw unknownError(`payment hash must be exactly 32 bytes, is instead ${hash.length}`);
  }
  return (hash.length === 0 ? Buffer.alloc(32) : hash).toString('hex');
}

const lookupInvoice: UnaryHandler = (req, ctx) => {
  const invoice = ctx.registry.findByHash(lookupHash(req));
  if (!invoice) throw new RpcError(status.NOT_FOUND, 'unable to locate invoice');
  return invoiceToRpc(invoice);
};

/**
 * SubscribeInvoices as LND's InvoiceRegistry does it: nothing at subscribe time, a backlog of
 * invoices added after add_index and settled after settle_index (current state, CANCELED and
 * ACCEPTED dropped), then live OPEN and SETTLED events only, each at most once per index.
 */
const subscribeInvoices: StreamHandler = (req, ctx, call) => {
  let addIndex = Number(int64(req.add_index));
  let settleIndex = Number(int64(req.settle_index));
  const send = (inv: StoredInvoice) => call.write(invoiceToRpc(inv));
  const replayable = (inv: StoredInvoice) => inv.state === 'OPEN' || inv.state === 'SETTLED';
  const all = ctx.registry.all();
  if (addIndex > 0) {
    for (const inv of all) if (inv.addIndex > addIndex && replayable(inv)) send(inv);
  }
  if (settleIndex > 0) {
    const settled = all.filter((i) => i.settleIndex > settleIndex).sort((a, b) => a.settleIndex - b.settleIndex);
    for (const inv of settled) if (replayable(inv)) send(inv);
  }
  addIndex = Math.max(addIndex, ...all.map((i) => i.addIndex));
  settleIndex = Math.max(settleIndex, ctx.state.lastSettleIndex);
  const unsubscribe = ctx.registry.onEvent((inv, kind) => {
    if (kind === 'added' && inv.addIndex > addIndex) {
      addIndex = inv.addIndex;
      send(inv);
    } else if (kind === 'settled' && inv.settleIndex > settleIndex) {
      settleIndex = inv.settleIndex;
      send(inv);
    }
  });
  trackStream(ctx, call, unsubscribe);
};

const decodePayReq: UnaryHandler = (req) => {
  try {
    return payReqToRpc(decodePaymentRequest(str(req.pay_req)));
  } catch (err) {
    throw unknownError((err as Error).message);
  }
};

const sumChannels = (ctx: NodeContext, pick: 'localMsat' | 'remoteMsat') => ctx.state.channels.reduce((s, c) => s + BigInt(c[pick]), 0n);
const amount = (msat: bigint) => ({ sat: (msat / 1000n).toString(), msat: msat.toString() });
const zero = amount(0n);

const channelBalance: UnaryHandler = (_req, ctx) => {
  const local = sumChannels(ctx, 'localMsat');
  return {
    balance: (local / 1000n).toString(),
    pending_open_balance: '0',
    local_balance: amount(local),
    remote_balance: amount(sumChannels(ctx, 'remoteMsat')),
    unsettled_local_balance: zero,
    unsettled_remote_balance: zero,
    pending_open_local_balance: zero,
    pending_open_remote_balance: zero,
    custom_channel_data: Buffer.alloc(0),
  };
};

const walletBalance: UnaryHandler = (_req, ctx) => {
  const confirmed = ctx.state.walletBalanceSat;
  return {
    total_balance: confirmed,
    confirmed_balance: confirmed,
    unconfirmed_balance: '0',
    locked_balance: '0',
    reserved_balance_anchor_chan: '0',
    account_balance: { default: { confirmed_balance: confirmed, unconfirmed_balance: '0' } },
  };
};

export const lightningUnary: Record<string, UnaryHandler> = {
  GetInfo: getInfo,
  AddInvoice: (req, ctx) => {
    const inv = addInvoice(req, ctx.registry, ctx.state.identityKey);
    return {
      r_hash: Buffer.from(inv.rHash, 'hex'),
      payment_request: inv.paymentRequest,
      add_index: String(inv.addIndex),
      payment_addr: Buffer.from(inv.paymentAddr, 'hex'),
    };
  },
  LookupInvoice: lookupInvoice,
  ListInvoices: (req, ctx) => listInvoices(req, ctx.registry.all()),
  DecodePayReq: decodePayReq,
  ChannelBalance: channelBalance,
  WalletBalance: walletBalance,
  ...channelsUnary,
};

export const lightningStreams: Record<string, StreamHandler> = {
  SubscribeInvoices: subscribeInvoices,
};
