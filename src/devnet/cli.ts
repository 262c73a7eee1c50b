/**
 * `npm run devnet`: runs the devnet alone until SIGINT/SIGTERM and prints, for each node, what a
 * client needs: gRPC address, cert and macaroon paths, and an lndconnect URI.
 * DEVNET_DIR (default .devnet/) and DEVNET_SITE_PORT / DEVNET_ALICE_PORT / DEVNET_BOB_PORT; the site
 * node's LND behaviours from DEVNET_GC_CANCELED_INVOICES, DEVNET_LOCKED_SECONDS, DEVNET_STARTING_SECONDS,
 * DEVNET_CLOCK_OFFSET_SECONDS and DEVNET_RESET_INVOICES (src/devnet/lnd-behaviours.ts).
 */
import { createLogger } from '../lib/logger';
import { DEFAULT_PORTS, startDevnet, type Devnet } from './index';
import { NODE_NAMES, type DevnetNodeName } from './node-state';
import { behaviourFromEnv } from './lnd-behaviours';
import { devnetDir } from './cli-args';

function portFromEnv(name: DevnetNodeName): number {
  const key = `DEVNET_${name.toUpperCase()}_PORT`;
  const raw = process.env[key];
  if (raw === undefined || raw === '') return DEFAULT_PORTS[name];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${key} must be a port number, got "${raw}"`);
  return port;
}

export function describeDevnet(devnet: Devnet, dir: string): string {
  const lines = [`Devnet running (regtest), data in ${dir}`, ''];
  for (const name of NODE_NAMES) {
    const n = devnet.nodes[name];
    lines.push(
      `${name}  ${n.identityPubkey}`,
      `  gRPC:       ${n.grpcHost}`,
      `  TLS cert:   ${n.tlsCertPath}`,
      `  macaroon:   ${n.macaroonPath}`,
      `  lndconnect: ${n.lndconnectUri}`,
      '',
    );
  }
  lines.push('Pay an invoice:  npm run pay -- --from alice <payment_request>', 'Stop with Ctrl-C.');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const dir = devnetDir();
  const ports = Object.fromEntries(NODE_NAMES.map((n) => [n, portFromEnv(n)])) as Record<DevnetNodeName, number>;
  const logger = createLogger({ level: 'warn' });
  // LND behaviours of the site node (README "Using a real LND node"): DEVNET_GC_CANCELED_INVOICES,
  // DEVNET_LOCKED_SECONDS / DEVNET_STARTING_SECONDS (0: until restarted), DEVNET_CLOCK_OFFSET_SECONDS, DEVNET_RESET_INVOICES.
  const devnet = await startDevnet({ dir, ports, logger, behaviours: { site: behaviourFromEnv(process.env) } });
  process.stdout.write(describeDevnet(devnet, dir) + '\n');
  const stop = (signal: string) => {
    process.stdout.write(`\n${signal}: stopping the devnet\n`);
    devnet.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`devnet: error while stopping: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    const hint = e.code === 'EADDRINUSE' ? ' (is another devnet or LND already running? set DEVNET_*_PORT)' : '';
    process.stderr.write(`devnet: ${e.message}${hint}\n`);
    process.exit(1);
  });
}
