/**
 * Path finding over the devnet's channels: a direct channel if one can carry the amount, else one
 * intermediate node whose forwarding fee (routing-fee.ts) fits the payment's fee limit, as LND's
 * pathfinding excludes routes costing more than the limit (then FAILURE_REASON_NO_ROUTE). Each hop
 * must have the bandwidth for what crosses it: the amount plus the fees of the hops after it.
 */
import type { DevnetNodeName, NodeState } from './node-state';
import { forwardingFee, NO_ROUTING_FEE, type RoutingFee } from './routing-fee';

export interface RouteHopPlan {
  from: DevnetNodeName;
  to: DevnetNodeName;
  chanId: string;
  /** What crosses this channel: the amount plus the fees of the nodes after it. */
  amountMsat: bigint;
  /** What `to` keeps for forwarding (LND's Route.HopFee): 0 at the last hop. */
  feeMsat: bigint;
}

export type RouteResult =
  | { ok: true; hops: RouteHopPlan[]; feeMsat: bigint }
  | { ok: false; reason: 'FAILURE_REASON_NO_ROUTE' | 'FAILURE_REASON_INSUFFICIENT_BALANCE' };

export interface RouteOptions {
  fee?: RoutingFee;
  /** The most the payer pays in fees (SendPaymentV2 fee_limit_*); null: no limit (a payment resumed from an older state). */
  feeLimitMsat?: bigint | null;
}

export function findRoute(
  states: ReadonlyMap<DevnetNodeName, NodeState>,
  from: DevnetNodeName,
  to: DevnetNodeName,
  amountMsat: bigint,
  options: RouteOptions = {},
): RouteResult {
  const fee = options.fee ?? NO_ROUTING_FEE;
  const limit = options.feeLimitMsat ?? null;
  const payer = states.get(from);
  if (!payer || from === to) return { ok: false, reason: 'FAILURE_REASON_NO_ROUTE' };
  const outbound = payer.channels.reduce((sum, c) => sum + BigInt(c.localMsat), 0n);
  if (outbound < amountMsat) return { ok: false, reason: 'FAILURE_REASON_INSUFFICIENT_BALANCE' };

  const edges = (node: DevnetNodeName, atLeast: bigint) =>
    (states.get(node)?.channels ?? []).filter((c) => BigInt(c.localMsat) >= atLeast && states.has(c.peer));

  const direct = edges(from, amountMsat).find((c) => c.peer === to);
  if (direct) return { ok: true, feeMsat: 0n, hops: [{ from, to, chanId: direct.chanId, amountMsat, feeMsat: 0n }] };
  const hopFee = forwardingFee(fee, amountMsat);
  if (limit !== null && hopFee > limit) return { ok: false, reason: 'FAILURE_REASON_NO_ROUTE' };
  for (const first of edges(from, amountMsat + hopFee)) {
    if (first.peer === to) continue;
    const second = edges(first.peer, amountMsat).find((c) => c.peer === to);
    if (!second) continue;
    return {
      ok: true,
      feeMsat: hopFee,
      hops: [
        { from, to: first.peer, chanId: first.chanId, amountMsat: amountMsat + hopFee, feeMsat: hopFee },
        { from: first.peer, to, chanId: second.chanId, amountMsat, feeMsat: 0n },
      ],
    };
  }
  return { ok: false, reason: 'FAILURE_REASON_NO_ROUTE' };
}

/** Moves what crosses each hop from one end of its channel to the other. */
export function applyRoute(states: ReadonlyMap<DevnetNodeName, NodeState>, hops: RouteHopPlan[]): void {
  for (const hop of hops) {
    const out = states.get(hop.from)?.channels.find((c) => c.chanId === hop.chanId);
    const inc = states.get(hop.to)?.channels.find((c) => c.chanId === hop.chanId);
    if (!out || !inc) throw new Error(`channel ${hop.chanId} missing on one side`);
    out.localMsat = (BigInt(out.localMsat) - hop.amountMsat).toString();
    out.remoteMsat = (BigInt(out.remoteMsat) + hop.amountMsat).toString();
    inc.localMsat = (BigInt(inc.localMsat) + hop.amountMsat).toString();
    inc.remoteMsat = (BigInt(inc.remoteMsat) - hop.amountMsat).toString();
  }
}
