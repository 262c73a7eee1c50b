/**
 * The devnet: three LND-compatible regtest nodes (site, alice, bob) in this process, each with
 * its own identity key, TLS certificate, macaroons and gRPC server on 127.0.0.1, sharing one
 * payment network. Files are laid out like LND data directories under `<dir>/<node>/`.
 */
import * as fs from 'node:fs';
import { startGrpcServer, type RunningServer } from './grpc-server';
import { identityPubkey } from './identity';
import { createInvoiceRegistry } from './invoice-registry';
import { loadOrCreateStates } from './load-states';
import { lndconnectUri } from './lndconnect';
import { ensureMacaroonFiles } from './macaroon-files';
import type { NodeContext } from './node-context';
import { NODE_NAMES, type DevnetNodeName } from './node-state';
import { nodePaths, saveNodeState } from './node-store';
import { createPaymentNetwork, type NetworkNode } from './payment-network';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file';
import { loadOrCreateTls } from './tls-cert';
import { silentLogger, type Logger } from '../lib/logger';

export type { DevnetNodeName } from './node-state';

export interface DevnetOptions {
  dir: string;
  ports?: Partial<Record<DevnetNodeName, number>>;
  logger?: Logger;
}

export interface DevnetNodeInfo {
  name: DevnetNodeName;
  /** "127.0.0.1:PORT" */
  grpcHost: string;
  tlsCertPath: string;
  macaroonPath: string;
  identityPubkey: string;
  lndconnectUri: string;
}

export interface Devnet {
  nodes: Record<DevnetNodeName, DevnetNodeInfo>;
  stop(): Promise<void>;
}

export const DEFAULT_PORTS: Readonly<Record<DevnetNodeName, number>> = { site: 10009, alice: 10010, bob: 10011 };
const P2P_BASE_PORT = 9735;

export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The devnet is a development tool and refuses to start with NODE_ENV=production; configure a real LND node instead.');
  }
  const logger = options.logger ?? silentLogger;
  fs.mkdirSync(options.dir, { recursive: true });
  const states = loadOrCreateStates(options.dir);

  const networkNodes = new Map<DevnetNodeName, NetworkNode>();
  for (const [name, state] of states) {
    const registry = createInvoiceRegistry(state, () => saveNodeState(options.dir, state));
    networkNodes.set(name, { name, state, registry, pubkey: identityPubkey(state.identityKey) });
  }
  const network = createPaymentNetwork(options.dir, networkNodes);

  const servers: RunningServer[] = [];
  const nodes = {} as Record<DevnetNodeName, DevnetNodeInfo>;
  try {
    for (const [i, name] of NODE_NAMES.entries()) {
      const node = networkNodes.get(name) as NetworkNode;
      const paths = nodePaths(options.dir, name);
      const tls = await loadOrCreateTls(paths.tlsCert, paths.tlsKey, name);
      const macaroon = ensureMacaroonFiles(paths, node.state.macaroonRootKey);
      const ctx: NodeContext = { ...node, network, p2pAddress: `127.0.0.1:${P2P_BASE_PORT + i}`, openStreams: new Set() };
      const server = await startGrpcServer(ctx, tls, options.ports?.[name] ?? DEFAULT_PORTS[name]);
      servers.push(server);
      const grpcHost = `127.0.0.1:${server.port}`;
      nodes[name] = {
        name,
        grpcHost,
        tlsCertPath: paths.tlsCert,
        macaroonPath: paths.adminMacaroon,
        identityPubkey: node.pubkey,
        lndconnectUri: lndconnectUri(grpcHost, tls.certPem, macaroon),
      };
      logger.info('devnet node listening', { node: name, grpcHost, pubkey: node.pubkey });
    }
  } catch (err) {
    await shutdown();
    throw err;
  }

  writeRuntimeFile(options.dir, {
    pid: process.pid,
    nodes: Object.fromEntries(NODE_NAMES.map((n) => [n, { grpcHost: nodes[n].grpcHost, identityPubkey: nodes[n].identityPubkey }])) as Record<
      DevnetNodeName,
      { grpcHost: string; identityPubkey: string }
    >,
  });

  let stopping: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    removeRuntimeFile(options.dir);
    network.close();
    for (const n of networkNodes.values()) n.registry.stop();
    await Promise.all(servers.map((s) => s.stop()));
  }
  return {
    nodes,
    stop: () => {
      stopping ??= shutdown().then(() => logger.info('devnet stopped'));
      return stopping;
    },
  };
}
