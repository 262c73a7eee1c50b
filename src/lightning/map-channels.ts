/** The one place LND's raw lnrpc.Channel becomes the site's ChannelSummary. */
import { parseInt64 } from './map-invoice';

export interface ChannelSummary {
  chanId: string;
  remotePubkey: string;
  /** The peer's alias when LND knows it (peer_alias_lookup), else ''. */
  peerAlias: string;
  active: boolean;
  private: boolean;
  capacitySat: number;
  /** What the site can send (outbound). */
  localBalanceSat: number;
  /** What the site can still receive (inbound): readers' payments draw on this. */
  remoteBalanceSat: number;
  localReserveSat: number;
  remoteReserveSat: number;
}

export interface RawChannel {
  active: boolean;
  remote_pubkey: string;
  chan_id: string;
  capacity: string;
  local_balance: string;
  remote_balance: string;
  private: boolean;
  peer_alias?: string;
  local_constraints?: { chan_reserve_sat: string } | null;
  remote_constraints?: { chan_reserve_sat: string } | null;
}

export function mapChannel(raw: RawChannel): ChannelSummary {
  return {
    chanId: String(raw.chan_id),
    remotePubkey: raw.remote_pubkey,
    peerAlias: raw.peer_alias ?? '',
    active: raw.active,
    private: raw.private,
    capacitySat: parseInt64(raw.capacity, 'capacity'),
    localBalanceSat: parseInt64(raw.local_balance, 'local_balance'),
    remoteBalanceSat: parseInt64(raw.remote_balance, 'remote_balance'),
    localReserveSat: raw.local_constraints ? parseInt64(raw.local_constraints.chan_reserve_sat, 'chan_reserve_sat') : 0,
    remoteReserveSat: raw.remote_constraints ? parseInt64(raw.remote_constraints.chan_reserve_sat, 'chan_reserve_sat') : 0,
  };
}
