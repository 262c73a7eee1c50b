/**
 * Path finding over the devnet's channels: the shortest path (at most one intermediate node, as
 * the devnet is a star around `site`) whose every hop can carry the amount. Fees are zero.
 */
import type { DevnetNodeName, NodeState } from './node-state';

export interface RouteHopPlan {
  from: DevnetNodeName;
  to: DevnetNodeName;
  chanId: string;
}

export type RouteResult =
  { ok: true; hops: RouteHopPlan[] } | { ok: false; reason: 'FAILURE_REASON_NO_ROUTE' | 'FAILURE_REASON_INSUFFICIENT_BALANCE' };

export function findRoute(
  states: ReadonlyMap<DevnetNodeName, NodeState>,
  from: DevnetNodeName,
  to: DevnetNodeName,
  amountMsat: bigint,
): RouteResult {
  const payer = states.get(from);
  if (!payer || from === to) return { ok: false, reason: 'FAILURE_REASON_NO_ROUTE' };
  const outbound = payer.channels.reduce((sum, c) => sum + BigInt(c.localMsat), 0n);
  if (outbound < amountMsat) return { ok: false, reason: 'FAILURE_REASON_INSUFFICIENT_BALANCE' };

  const edges = (node: DevnetNodeName): RouteHopPlan[] =>
    (states.get(node)?.channels ?? [])
      .filter((c) => BigInt(c.localMsat) >= amountMsat && states.has(c.peer))
      .map((c) => ({ from: node, to: c.peer, chanId: c.chanId }));

  for (const first of edges(from)) {
    if (first.to === to) return { ok: true, hops: [first] };
  }
  for (const first of edges(from)) {
    const second = edges(first.to).find((e) => e.to === to);
    if (second) return { ok: true, hops: [first, second] };
  }
  return { ok: false, reason: 'FAILURE_REASON_NO_ROUTE' };
}

/** Moves `amountMsat` across each hop, on both ends of each channel. */
export function applyRoute(states: ReadonlyMap<DevnetNodeName, NodeState>, hops: RouteHopPlan[], amountMsat: bigint): void {
  for (const hop of hops) {
    const out = states.get(hop.from)?.channels.find((c) => c.chanId === hop.chanId);
    const inc = states.get(hop.to)?.channels.find((c) => c.chanId === hop.chanId);
    if (!out || !inc) throw new Error(`channel ${hop.chanId} missing on one side`);
    out.localMsat = (BigInt(out.localMsat) - amountMsat).toString();
    out.remoteMsat = (BigInt(out.remoteMsat) + amountMsat).toString();
    inc.localMsat = (BigInt(inc.localMsat) + amountMsat).toString();
    inc.remoteMsat = (BigInt(inc.remoteMsat) - amountMsat).toString();
  }
}
