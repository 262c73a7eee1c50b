import type { ServerWritableStream } from '@grpc/grpc-js';
import type { InvoiceRegistry } from './invoice-registry';
import type { DevnetNodeName, NodeState } from './node-state';
import type { PaymentNetwork } from './payment-network';
import type { RpcMessage } from './rpc-values';
import type { NodeBehaviour } from './lnd-behaviours';

export type RpcStream = ServerWritableStream<RpcMessage, Record<string, unknown>>;

/** Everything an RPC handler of one node may touch. */
export interface NodeContext {
  name: DevnetNodeName;
  pubkey: string;
  state: NodeState;
  registry: InvoiceRegistry;
  network: PaymentNetwork;
  /** Nominal P2P address shown in GetInfo.uris (the devnet has no P2P listener). */
  p2pAddress: string;
  /** Server streams still open; ended with status OK when the node stops, as LND does. */
  openStreams: Set<RpcStream>;
  /** LND behaviours this node shows (locked, starting...); see lnd-behaviours.ts. */
  behaviour?: NodeBehaviour;
}

export type UnaryHandler = (req: RpcMessage, ctx: NodeContext) => Record<string, unknown>;
export type StreamHandler = (req: RpcMessage, ctx: NodeContext, call: RpcStream) => void;

/** Tracks a server stream until it ends or the client goes away; `cleanup` runs once. */
export function trackStream(ctx: NodeContext, call: RpcStream, cleanup: () => void): () => void {
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    ctx.openStreams.delete(call);
    cleanup();
  };
  ctx.openStreams.add(call);
  call.on('cancelled', finish);
  call.on('close', finish);
  call.on('finish', finish);
  return finish;
}
