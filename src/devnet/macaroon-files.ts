import * as fs from 'node:fs';
import { writeFileAtomic } from './atomic-file';
import { mintMacaroon } from './macaroons';
import type { NodePaths } from './node-store';
import { ADMIN_OPS, INVOICE_OPS, READONLY_OPS } from './permissions';

/** Bakes admin, readonly and invoice macaroons on first start, like LND; returns admin.macaroon's bytes. */
export function ensureMacaroonFiles(paths: NodePaths, rootKeyHex: string): Buffer {
  const rootKey = Buffer.from(rootKeyHex, 'hex');
  const files: Array<[string, typeof ADMIN_OPS]> = [
    [paths.adminMacaroon, ADMIN_OPS],
    [paths.readonlyMacaroon, READONLY_OPS],
    [paths.invoiceMacaroon, INVOICE_OPS],
  ];
  for (const [file, ops] of files) {
    if (!fs.existsSync(file)) writeFileAtomic(file, mintMacaroon(rootKey, ops), 0o600);
  }
  return fs.readFileSync(paths.adminMacaroon);
}
