import { NodeInfo } from './types';
import { parseInt64 } from './map-invoice';

/** LND's `lnrpc.GetInfoResponse` as proto-loader returns it (only the fields the site reads). */
export interface RawGetInfoResponse {
  identity_pubkey: string;
  alias: string;
  version: string;
  block_height: number;
  synced_to_chain: boolean;
  chains: { chain: string; network: string }[];
}

/** Maps GetInfo to NodeInfo; `network` comes from the single `chains` entry ('' if LND sent none). */
export function mapNodeInfo(raw: RawGetInfoResponse): NodeInfo {
  return {
    identityPubkey: raw.identity_pubkey,
    alias: raw.alias,
    version: raw.version,
    network: raw.chains?.[0]?.network ?? '',
    syncedToChain: raw.synced_to_chain,
    blockHeight: parseInt64(raw.block_height, 'block_height'),
  };
}
