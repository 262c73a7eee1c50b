/**
 * gRPC clients for an LND node (a devnet node or a real one) with LND's credential recipe:
 * TLS pinned to the node's tls.cert, plus the macaroon as hex in the `macaroon` metadata.
 */
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { loadLndServices } from './protos';

export interface NodeConnection {
  grpcHost: string;
  tlsCertPath: string;
  macaroonPath: string;
}

export interface LndClients {
  lightning: grpc.Client;
  invoices: grpc.Client;
  router: grpc.Client;
  close(): void;
}

/** `macaroonHex` overrides the macaroon file; an empty string sends no macaroon at all. */
export function createLndClients(conn: NodeConnection, macaroonHex?: string): LndClients {
  const services = loadLndServices();
  const cert = fs.readFileSync(conn.tlsCertPath);
  const mac = macaroonHex ?? fs.readFileSync(conn.macaroonPath).toString('hex');
  const macCreds = grpc.credentials.createFromMetadataGenerator((_args, cb) => {
    const md = new grpc.Metadata();
    if (mac !== '') md.add('macaroon', mac);
    cb(null, md);
  });
  const creds = grpc.credentials.combineChannelCredentials(grpc.credentials.createSsl(cert), macCreds);
  // An IP is not a valid TLS server name (RFC 6066); LND's certificate also names localhost.
  const options: grpc.ChannelOptions = /^\d+\.\d+\.\d+\.\d+:\d+$/.test(conn.grpcHost)
    ? { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' }
    : {};
  const lightning = new services.Lightning(conn.grpcHost, creds, options);
  const invoices = new services.Invoices(conn.grpcHost, creds, options);
  const router = new services.Router(conn.grpcHost, creds, options);
  return {
    lightning,
    invoices,
    router,
    close() {
      lightning.close();
      invoices.close();
      router.close();
    },
  };
}
