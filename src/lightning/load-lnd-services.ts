import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { findProtoDir } from './proto-dir';

/**
 * LND's documented loader options: snake_case field names, 64-bit integers as decimal strings,
 * enums as names, every field present (defaults), and oneof virtual fields.
 */
export const LND_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export type ServiceConstructor = grpc.ServiceClientConstructor;

let cached: grpc.GrpcObject | undefined;

/**
 * Loads our `proto/lightning.proto` once per process (parsing takes tens of milliseconds) and returns the
 * `lnrpc.Lightning` client constructor. Lazy, so importing this module does no I/O.
 */
export function loadLightningService(protoDir: string = findProtoDir()): ServiceConstructor {
  if (!cached) {
    const definition = protoLoader.loadSync(path.join(protoDir, 'lightning.proto'), {
      ...LND_LOADER_OPTIONS,
      includeDirs: [protoDir],
    });
    cached = grpc.loadPackageDefinition(definition);
  }
  const lnrpc = cached.lnrpc as grpc.GrpcObject;
  return lnrpc.Lightning as ServiceConstructor;
}
