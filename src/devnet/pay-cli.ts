/**
 * `npm run pay -- --from alice <payment_request>`: pays an invoice from a devnet wallet node over
 * gRPC, reading the node's address from the devnet dir (DEVNET_DIR or .devnet/). Prints
 * "settled, preimage <hex>" or why it failed; exits non-zero on failure.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import { devnetDir, parseFromAndOne, runCli, runningNode } from './cli-args';
import { payInvoice } from './pay';

const USAGE = 'usage: npm run pay -- --from <alice|bob|site> <payment_request>';

async function main(): Promise<number> {
  const { from, arg: request } = parseFromAndOne(process.argv.slice(2), USAGE);
  const dir = devnetDir();
  const node = runningNode(dir, from);
  if (!node) {
    process.stderr.write(`No running devnet found in ${dir}. Start it with \`npm run devnet\` (or \`npm start\`) first.\n`);
    return 2;
  }
  try {
    const result = await payInvoice(node, request);
    if (result.status === 'SUCCEEDED') {
      process.stdout.write(`settled, preimage ${result.preimage}\n`);
      return 0;
    }
    process.stderr.write(`payment failed: ${result.failureReason}\n`);
    return 1;
  } catch (err) {
    const e = err as { code?: number; details?: string; message: string };
    if (e.code === grpcStatus.UNAVAILABLE) {
      process.stderr.write(
        `The devnet is not running at ${node.grpcHost} (${e.details ?? e.message}). Start it with \`npm run devnet\`.\n`,
      );
      return 2;
    }
    process.stderr.write(`payment refused: ${e.details ?? e.message}\n`);
    return 1;
  }
}

if (require.main === module) runCli(main);
