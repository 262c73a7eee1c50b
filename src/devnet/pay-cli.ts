/**
 * `npm run pay -- --from alice <payment_request>`: pays an invoice from a devnet wallet node over
 * gRPC, reading the node's address from the devnet dir (DEVNET_DIR or .devnet/). Prints
 * "settled, preimage <hex>" or why it failed; exits non-zero on failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { status as grpcStatus } from '@grpc/grpc-js';
import { readJsonIfExists } from './atomic-file';
import { NODE_NAMES, type DevnetNodeName } from './node-state';
import { nodePaths } from './node-store';
import { payInvoice } from './pay';
import { RUNTIME_FILE, type DevnetRuntimeInfo } from './runtime-file';

const USAGE = 'usage: npm run pay -- --from <alice|bob|site> <payment_request>';

export function parsePayArgs(argv: string[]): { from: DevnetNodeName; request: string } {
  let from: string = 'alice';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') from = argv[++i] ?? '';
    else if (argv[i].startsWith('--from=')) from = argv[i].slice('--from='.length);
    else rest.push(argv[i]);
  }
  if (!NODE_NAMES.includes(from as DevnetNodeName)) throw new Error(`unknown node "${from}"\n${USAGE}`);
  if (rest.length !== 1) throw new Error(USAGE);
  return { from: from as DevnetNodeName, request: rest[0] };
}

async function main(): Promise<number> {
  const { from, request } = parsePayArgs(process.argv.slice(2));
  const dir = path.resolve(process.env.DEVNET_DIR || '.devnet');
  const runtime = readJsonIfExists<DevnetRuntimeInfo>(path.join(dir, RUNTIME_FILE));
  const paths = nodePaths(dir, from);
  const grpcHost = runtime?.nodes[from]?.grpcHost;
  if (!grpcHost || !fs.existsSync(paths.tlsCert) || !fs.existsSync(paths.adminMacaroon)) {
    process.stderr.write(`No running devnet found in ${dir}. Start it with \`npm run devnet\` (or \`npm start\`) first.\n`);
    return 2;
  }
  try {
    const result = await payInvoice({ grpcHost, tlsCertPath: paths.tlsCert, macaroonPath: paths.adminMacaroon }, request);
    if (result.status === 'SUCCEEDED') {
      process.stdout.write(`settled, preimage ${result.preimage}\n`);
      return 0;
    }
    process.stderr.write(`payment failed: ${result.failureReason}\n`);
    return 1;
  } catch (err) {
    const e = err as { code?: number; details?: string; message: string };
    if (e.code === grpcStatus.UNAVAILABLE) {
      process.stderr.write(`The devnet is not running at ${grpcHost} (${e.details ?? e.message}). Start it with \`npm run devnet\`.\n`);
      return 2;
    }
    process.stderr.write(`payment refused: ${e.details ?? e.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
