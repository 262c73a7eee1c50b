/**
 * Loads the repo's LND protos (proto/ at the repository root) with the same proto-loader options
 * LND's docs and the site's client use, so server and clients see identical shapes:
 * snake_case names, 64-bit integers as strings, enums as names, bytes as Buffers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Walks up from this file (src/devnet or dist/src/devnet) to the directory holding proto/lightning.proto. */
export function findProtoDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'proto');
    if (fs.existsSync(path.join(candidate, 'lightning.proto'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find proto/lightning.proto above ${start}`);
    dir = parent;
  }
}

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export interface LndServices {
  Lightning: grpc.ServiceClientConstructor;
  Invoices: grpc.ServiceClientConstructor;
  Router: grpc.ServiceClientConstructor;
}

let cached: LndServices | undefined;

export function loadLndServices(): LndServices {
  if (cached) return cached;
  const protoDir = findProtoDir();
  const definition = protoLoader.loadSync(['lightning.proto', 'invoicesrpc/invoices.proto', 'routerrpc/router.proto'], {
    ...LOADER_OPTIONS,
    includeDirs: [protoDir],
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    lnrpc: { Lightning: grpc.ServiceClientConstructor };
    invoicesrpc: { Invoices: grpc.ServiceClientConstructor };
    routerrpc: { Router: grpc.ServiceClientConstructor };
  };
  cached = { Lightning: pkg.lnrpc.Lightning, Invoices: pkg.invoicesrpc.Invoices, Router: pkg.routerrpc.Router };
  return cached;
}
