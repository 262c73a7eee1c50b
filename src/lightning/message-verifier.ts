/**
 * The site's node checks who signed a message (LND VerifyMessage, permission message:read). It
 * answers with the public key it recovers; LND's `valid` is never read, because LND sets it only
 * for keys in its own channel graph, which says nothing about who signed.
 */
import type * as grpc from '@grpc/grpc-js';
import { createLndCredentials } from './lnd-credentials';
import { loadLightningService } from './load-lnd-services';
import { mapGrpcError } from './map-grpc-error';
import type { LndClientOptions } from './lnd-grpc-client';
import { LightningError, LightningUnavailableError } from './types';

export interface MessageVerifier {
  /**
   * The compressed public key (hex) that signed `message`, or null when the signature is not a
   * recoverable signature (LND: valid=false, no pubkey). Throws LightningUnavailableError when the
   * node cannot be reached, LightningError for what the node refuses (e.g. not z-base-32).
   */
  recoverSigner(message: string, signature: string): Promise<string | null>;
  close(): void;
}

interface RawVerifyMessageResponse {
  valid: boolean;
  pubkey: string;
}

type VerifyStub = {
  VerifyMessage(req: object, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: RawVerifyMessageResponse) => void): void;
  close(): void;
};

export function createLndMessageVerifier(options: Omit<LndClientOptions, 'keepaliveMs'>): MessageVerifier {
  const logger = options.logger.child({ component: 'lnd-verify' });
  const Lightning = loadLightningService(options.protoDir);
  const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/.test(options.host) && options.tlsCert;
  const stub = new Lightning(
    options.host,
    createLndCredentials(options.tlsCert, options.macaroon),
    loopback ? { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' } : {},
  ) as unknown as VerifyStub;
  const deadlineMs = options.deadlineMs ?? 5_000;
  return {
    recoverSigner(message, signature) {
      return new Promise((resolve, reject) => {
        // waitForReady: a node that just came back is used as soon as the channel reconnects, within the deadline.
        const options = { deadline: Date.now() + deadlineMs, waitForReady: true };
        stub.VerifyMessage({ msg: Buffer.from(message, 'utf8'), signature }, options, (err, res) => {
          if (err) {
            const mapped = mapGrpcError(err);
            logger[mapped instanceof LightningUnavailableError ? 'warn' : 'debug']('VerifyMessage failed', { code: err.code, err: mapped });
            return reject(mapped);
          }
          const pubkey = res?.pubkey ?? '';
          if (pubkey === '') return resolve(null);
          if (!/^0[23][0-9a-f]{64}$/.test(pubkey))
            return reject(new LightningError(`LND returned an unreadable pubkey: ${pubkey.slice(0, 80)}`, 2));
          resolve(pubkey);
        });
      });
    },
    close: () => stub.close(),
  };
}
