/**
 * `npm run sign -- --from alice "<message>"`: what `lncli signmessage "<message>"` does, against a
 * devnet node over gRPC (SignMessage, admin macaroon). Prints the z-base-32 signature alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { status as grpcStatus, type Client, type ServiceError } from '@grpc/grpc-js';
import { readJsonIfExists } from './atomic-file';
import { createLndClients } from './client';
import { parseFromAndOne } from './cli-args';
import { nodePaths } from './node-store';
import { RUNTIME_FILE, type DevnetRuntimeInfo } from './runtime-file';

const USAGE = 'usage: npm run sign -- --from <alice|bob|site> "<message>"';

type SignFn = (req: object, cb: (err: ServiceError | null, res: { signature: string }) => void) => void;

async function main(): Promise<number> {
  const { from, arg: message } = parseFromAndOne(process.argv.slice(2), USAGE);
  const dir = path.resolve(process.env.DEVNET_DIR || '.devnet');
  const runtime = readJsonIfExists<DevnetRuntimeInfo>(path.join(dir, RUNTIME_FILE));
  const paths = nodePaths(dir, from);
  const grpcHost = runtime?.nodes[from]?.grpcHost;
  if (!grpcHost || !fs.existsSync(paths.tlsCert) || !fs.existsSync(paths.adminMacaroon)) {
    process.stderr.write(`No running devnet found in ${dir}. Start it with \`npm run devnet\` (or \`npm start\`) first.\n`);
    return 2;
  }
  const clients = createLndClients({ grpcHost, tlsCertPath: paths.tlsCert, macaroonPath: paths.adminMacaroon });
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
      process.stderr.write(`The devnet is not running at ${grpcHost}. Start it with \`npm run devnet\`.\n`);
      return 2;
    }
    process.stderr.write(`signing refused: ${e.details ?? e.message}\n`);
    return 1;
  } finally {
    clients.close();
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
