/**
 * The devnet's fixed shape: alice and bob each funded a channel to site holding 1,000,000 sat of
 * outbound balance. Channel ids are short channel ids (block << 40 | tx << 16 | output), the same
 * on both ends, as in LND.
 */
import type { ChannelState, DevnetNodeName } from './node-state';

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

/** Each node's side of the channels it is part of, as freshly opened. */
export function initialChannels(name: DevnetNodeName): ChannelState[] {
  const capacityMsat = (CHANNEL_CAPACITY_SAT * 1000n).toString();
  return CHANNELS.filter((c) => c.funder === name || c.fundee === name).map((c) => ({
    chanId: c.chanId,
    peer: c.funder === name ? c.fundee : c.funder,
    capacitySat: CHANNEL_CAPACITY_SAT.toString(),
    localMsat: c.funder === name ? capacityMsat : '0',
    remoteMsat: c.funder === name ? '0' : capacityMsat,
  }));
}
