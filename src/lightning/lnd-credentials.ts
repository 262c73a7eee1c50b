import * as grpc from '@grpc/grpc-js';

/**
 * LND's documented credential pattern: TLS (pinned to the node's self-signed cert, or the system's CA roots
 * when `tlsCert` is null) combined with a per-call metadata generator that sends the macaroon as
 * `macaroon: <hex>`, the form LND's own clients use.
 */
export function createLndCredentials(tlsCert: Buffer | null, macaroon: Buffer): grpc.ChannelCredentials {
  const macaroonHex = macaroon.toString('hex');
  const macaroonCreds = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
    const metadata = new grpc.Metadata();
    metadata.add('macaroon', macaroonHex);
    callback(null, metadata);
  });
  const ssl = tlsCert ? grpc.credentials.createSsl(tlsCert) : grpc.credentials.createSsl();
  return grpc.credentials.combineChannelCredentials(ssl, macaroonCreds);
}
