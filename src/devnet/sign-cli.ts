/**
 * `npm run sign -- --from alice "<message>"`: what `lncli signmessage "<message>"` does, against a
 * devnet node over gRPC (SignMessage, admin macaroon). Prints the z-base-32 signature alone.
 */
import { status as grpcStatus, type Client, type ServiceError } from '@grpc/grpc-js';
import { createLndClients } from './client';
import { devnetDir, parseFromAndOne, runCli, runningNode } from './cli-args';

const USAGE = 'usage: npm run sign -- --from <alice|bob|site> "<message>"';

type SignFn = (req: object, cb: (err: ServiceError | null, res: { signature: string }) => void) => void;

async function main(): Promise<number> {
  const { from, arg: message } = parseFromAndOne(process.argv.slice(2), USAGE);
  const dir = devnetDir();
  const node = runningNode(dir, from);
  if (!node) {
    process.stderr.write(`No running devnet found in ${dir}. Start it with \`npm run devnet\` (or \`npm start\`) first.\n`);
    return 2;
  }
  const clients = createLndClients(node);
  try {
    const lightning = clients.lightning as Client & { SignMessage: SignFn };
    const res = await new Promise<{ signature: string }>((resolve, reject) =>
      lightning.SignMessage({ msg: Buffer.from(message, 'utf8') }, (err, r) => (err ? reject(err) : resolve(r))),
    );
    process.stdout.write(`${res.signature}\n`);
    return 0;
  } catch (err) {
    const e = err as { code?: number; details?: string; message: string };
    if (e.code === grpcStatus.UNAVAILABLE) {
      process.stderr.write(`The devnet is not running at ${node.grpcHost}. Start it with \`npm run devnet\`.\n`);
      return 2;
    }
    process.stderr.write(`signing refused: ${e.details ?? e.message}\n`);
    return 1;
  } finally {
    clients.close();
  }
}

if (require.main === module) runCli(main);
