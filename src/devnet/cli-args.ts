/** What the devnet's small CLIs (npm run pay, sign, lnurl-auth) share: their arguments, the devnet dir, how they exit. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonIfExists } from './atomic-file';
import { NODE_NAMES, type DevnetNodeName } from './node-state';
import { nodePaths } from './node-store';
import { RUNTIME_FILE, type DevnetRuntimeInfo } from './runtime-file';
import type { NodeConnection } from './client';

/** `--from <node>` (default alice) and exactly one positional argument, for the devnet's small CLIs. */
export function parseFromAndOne(argv: string[], usage: string): { from: DevnetNodeName; arg: string } {
  let from = 'alice';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') from = argv[++i] ?? '';
    else if (argv[i].startsWith('--from=')) from = argv[i].slice('--from='.length);
    else rest.push(argv[i]);
  }
  if (!NODE_NAMES.includes(from as DevnetNodeName)) throw new Error(`unknown node "${from}"\n${usage}`);
  if (rest.length !== 1) throw new Error(usage);
  return { from: from as DevnetNodeName, arg: rest[0] };
}

/** The devnet's directory: DEVNET_DIR, or .devnet/ in the current directory. */
export function devnetDir(): string {
  return path.resolve(process.env.DEVNET_DIR || '.devnet');
}

/**
 * How to reach node `name` of the devnet running in `dir` over gRPC (its address from the runtime
 * file, its TLS certificate and admin macaroon), or null when no devnet is running there.
 */
export function runningNode(dir: string, name: DevnetNodeName): NodeConnection | null {
  const runtime = readJsonIfExists<DevnetRuntimeInfo>(path.join(dir, RUNTIME_FILE));
  const paths = nodePaths(dir, name);
  const grpcHost = runtime?.nodes[name]?.grpcHost;
  if (!grpcHost || !fs.existsSync(paths.tlsCert) || !fs.existsSync(paths.adminMacaroon)) return null;
  return { grpcHost, tlsCertPath: paths.tlsCert, macaroonPath: paths.adminMacaroon };
}

/** Runs a CLI's main and exits with its code; a thrown error (e.g. bad arguments) is printed and exits 2. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
