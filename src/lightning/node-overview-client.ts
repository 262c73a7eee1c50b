/**
 * What operators ask the node that readers never need: its channels, and which RPCs a macaroon
 * allows. A client of its own (on the same kind of TLS + macaroon channel as the site's), so the
 * LightningNode that pages use stays the small interface it is.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../lib/logger';
import { createLndCredentials } from './lnd-credentials';
import { loadLightningService } from './load-lnd-services';
import { loopbackNameOverride } from './lnd-grpc-client';
import { mapGrpcError } from './map-grpc-error';
import { mapChannel, type ChannelSummary, type RawChannel } from './map-channels';
import { mapNodeInfo, type RawGetInfoResponse } from './map-node-info';
import type { NodeInfo } from './types';

export interface NodeOverviewClient {
  getInfo(): Promise<NodeInfo>;
  listChannels(): Promise<ChannelSummary[]>;
  /**
   * Whether the node's macaroon allows calling `fullMethod` (LND's CheckMacaroonPermissions, which
   * itself needs macaroon:read). Throws the node's error when it cannot tell.
   */
  macaroonAllows(fullMethod: string): Promise<boolean>;
  close(): void;
}

type Callback = (err: grpc.ServiceError | null, response?: unknown) => void;
type Unary = (request: object, options: grpc.CallOptions, callback: Callback) => void;

export function createNodeOverviewClient(options: {
  host: string;
  tlsCert: Buffer | null;
  macaroon: Buffer;
  logger: Logger;
  deadlineMs?: number;
}): NodeOverviewClient {
  const Lightning = loadLightningService();
  const stub = new Lightning(
    options.host,
    createLndCredentials(options.tlsCert, options.macaroon),
    loopbackNameOverride(options.host, options.tlsCert),
  ) as unknown as Record<'GetInfo' | 'ListChannels' | 'CheckMacaroonPermissions', Unary> & { close(): void };
  const deadlineMs = options.deadlineMs ?? 5_000;

  const call = <T>(method: 'GetInfo' | 'ListChannels' | 'CheckMacaroonPermissions', request: object) =>
    new Promise<T>((resolve, reject) => {
      stub[method](request, { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(mapGrpcError(err)) : resolve(res as T)));
    });

  return {
    async getInfo() {
      return mapNodeInfo(await call<RawGetInfoResponse>('GetInfo', {}));
    },
    async listChannels() {
      const res = await call<{ channels: RawChannel[] }>('ListChannels', { peer_alias_lookup: true });
      return res.channels.map(mapChannel);
    },
    async macaroonAllows(fullMethod) {
      try {
        const res = await call<{ valid: boolean }>('CheckMacaroonPermissions', {
          macaroon: options.macaroon,
          fullMethod,
          check_default_perms_from_full_method: true,
        });
        return res.valid;
      } catch (err) {
        // LND answers an unmet permission with an error whose text says so.
        // (Asked about CheckMacaroonPermissions itself, a macaroon without macaroon:read is refused the same way.)
        if (/permission denied/i.test((err as Error).message)) return false;
        throw err;
      }
    },
    close: () => stub.close(),
  };
}
