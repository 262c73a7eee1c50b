/**
 * The devnet's fixed shape: alice and bob each funded a channel to site holding 1,000,000 sat of
 * outbound balance (and, with a routing fee, alice one to bob). Channel ids are short channel ids (block << 40 | tx << 16 | output), the same
 * on both ends, as in LND.
 */
import type { ChannelState, DevnetNodeName, NodeState } from './node-state';

export const CHAIN_HEIGHT = 200;
export const CHANNEL_CAPACITY_SAT = 1_000_000n;
export const WALLET_BALANCE_SAT = 10_000_000n;

const scid = (block: number, tx: number, out: number) => ((BigInt(block) << 40n) | (BigInt(tx) << 16n) | BigInt(out)).toString();

interface ChannelSpec {
  chanId: string;
  funder: DevnetNodeName;
  fundee: DevnetNodeName;
}

export const CHANNELS: readonly ChannelSpec[] = [
  { chanId: scid(101, 1, 0), funder: 'alice', fundee: 'site' },
  { chanId: scid(102, 1, 0), funder: 'bob', fundee: 'site' },
];

/**
 * With a routing fee (routing-fee.ts), alice also funds a channel to bob: the site's payment to bob
 * can then go site -> alice -> bob, and alice forwards it for her fee.
 */
export const ROUTING_CHANNEL: ChannelSpec = { chanId: scid(103, 1, 0), funder: 'alice', fundee: 'bob' };

/** `name`'s side of a channel, as freshly opened. */
function side(c: ChannelSpec, name: DevnetNodeName): ChannelState {
  const capacityMsat = (CHANNEL_CAPACITY_SAT * 1000n).toString();
  return {
    chanId: c.chanId,
    peer: c.funder === name ? c.fundee : c.funder,
    capacitySat: CHANNEL_CAPACITY_SAT.toString(),
    localMsat: c.funder === name ? capacityMsat : '0',
    remoteMsat: c.funder === name ? '0' : capacityMsat,
  };
}

/** Each node's side of the channels it is part of, as freshly opened. */
export function initialChannels(name: DevnetNodeName): ChannelState[] {
  return CHANNELS.filter((c) => c.funder === name || c.fundee === name).map((c) => side(c, name));
}

/** Opens the routing channel on both ends if it is not there yet; the nodes whose state changed. */
export function openRoutingChannel(states: ReadonlyMap<DevnetNodeName, NodeState>): NodeState[] {
  const changed: NodeState[] = [];
  for (const name of [ROUTING_CHANNEL.funder, ROUTING_CHANNEL.fundee]) {
    const state = states.get(name);
    if (!state || state.channels.some((c) => c.chanId === ROUTING_CHANNEL.chanId)) continue;
    state.channels.push(side(ROUTING_CHANNEL, name));
    changed.push(state);
  }
  return changed;
}
