/**
 * The devnet: three LND-compatible regtest nodes (site, alice, bob) in this process, each with
 * its own identity key, TLS certificate, macaroons and gRPC server on 127.0.0.1, sharing one
 * payment network. Files are laid out like LND data directories under `<dir>/<node>/`.
 */
import * as fs from 'node:fs';
import { startGrpcServer, type RunningServer } from './grpc-server';
import { identityPubkey } from './identity';
import { createInvoiceRegistry, type InvoiceRegistry } from './invoice-registry';
import { loadOrCreateStates } from './load-states';
import { lndconnectUri } from './lndconnect';
import { ensureMacaroonFiles } from './macaroon-files';
import type { NodeContext } from './node-context';
import { NODE_NAMES, type DevnetNodeName } from './node-state';
import { nodePaths, saveNodeState } from './node-store';
import { createPaymentNetwork, type NetworkNode } from './payment-network';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file';
import { loadOrCreateTls } from './tls-cert';
import {
  createNodeBehaviour,
  ensureRefusedMacaroon,
  resetInvoiceDatabase,
  type NodeBehaviourOptions,
  type NodeControl,
} from './lnd-behaviours';
import { silentLogger, type Logger } from '../lib/logger';
import { startLnurlServer, type LnurlServer } from './lnurl-server';
import { resumeInFlightPayments } from './resume-payments';
import { chargesFees, routingFeeFromEnv, type RoutingFee } from './routing-fee';
import { openRoutingChannel } from './topology';

export type { DevnetNodeName } from './node-state';

export interface DevnetOptions {
  dir: string;
  ports?: Partial<Record<DevnetNodeName, number>>;
  logger?: Logger;
  /** LND behaviours per node (gc-canceled invoices, locked or starting, clock offset, reset): lnd-behaviours.ts. */
  behaviours?: Partial<Record<DevnetNodeName, NodeBehaviourOptions>>;
  /** Port of the LNURL-pay server (Lightning Addresses); 0 or omitted: any free port. */
  lnurlPort?: number;
  /** Every node's forwarding fee (routing-fee.ts); omitted: DEVNET_ROUTING_FEE_BASE_MSAT / DEVNET_ROUTING_FEE_PPM, else none. */
  routingFee?: RoutingFee;
}

export interface DevnetNodeInfo {
  name: DevnetNodeName;
  /** "127.0.0.1:PORT" */
  grpcHost: string;
  tlsCertPath: string;
  macaroonPath: string;
  /** A macaroon LND would refuse (signed with another root key): for testing what the site does then. */
  refusedMacaroonPath?: string;
  /** invoice.macaroon: invoices read/write but no info:read, so GetInfo is "permission denied". */
  invoiceMacaroonPath?: string;
  identityPubkey: string;
  lndconnectUri: string;
}

export interface Devnet {
  nodes: Record<DevnetNodeName, DevnetNodeInfo>;
  /** Changes a running node's behaviour (e.g. unlock it). */
  control: Record<DevnetNodeName, NodeControl>;
  /** Each wallet's Lightning Address (LNURL-pay over http on 127.0.0.1), e.g. alice@127.0.0.1:PORT. */
  lightningAddresses: Record<DevnetNodeName, string>;
  lnurlPort: number;
  /** Holds every payment IN_FLIGHT until hold(false) (tests of a node stopped mid-payment). */
  holdPayments(on: boolean): void;
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
  const routingFee = options.routingFee ?? routingFeeFromEnv(process.env);
  if (chargesFees(routingFee)) {
    for (const state of openRoutingChannel(states)) saveNodeState(options.dir, state);
    logger.info('devnet routing fee', { baseMsat: routingFee.baseMsat.toString(), ppm: routingFee.ppm.toString() });
  }

  const networkNodes = new Map<DevnetNodeName, NetworkNode>();
  const behaviours = new Map<DevnetNodeName, ReturnType<typeof createNodeBehaviour>>();
  for (const [name, state] of states) {
    const opts = options.behaviours?.[name] ?? {};
    // The behaviour's control settles invoices in the registry, which needs the behaviour's clock.
    const ref: { registry?: InvoiceRegistry } = {};
    const b = createNodeBehaviour(
      opts,
      () => ref.registry,
      () => saveNodeState(options.dir, state),
    );
    behaviours.set(name, b);
    if (opts.resetInvoices) {
      resetInvoiceDatabase(state);
      saveNodeState(options.dir, state);
    }
    const registry = createInvoiceRegistry(state, () => saveNodeState(options.dir, state), {
      now: () => Date.now() + b.behaviour.clockOffsetMs,
      gcCanceled: () => b.behaviour.gcCanceledInvoices,
    });
    ref.registry = registry;
    networkNodes.set(name, { name, state, registry, pubkey: identityPubkey(state.identityKey) });
  }
  const network = createPaymentNetwork(options.dir, networkNodes, routingFee);

  const servers: RunningServer[] = [];
  let lnurl: LnurlServer | null = null;
  const nodes = {} as Record<DevnetNodeName, DevnetNodeInfo>;
  try {
    for (const [i, name] of NODE_NAMES.entries()) {
      const node = networkNodes.get(name) as NetworkNode;
      const paths = nodePaths(options.dir, name);
      const tls = await loadOrCreateTls(paths.tlsCert, paths.tlsKey, name);
      const macaroon = ensureMacaroonFiles(paths, node.state.macaroonRootKey);
      const ctx: NodeContext = {
        ...node,
        network,
        p2pAddress: `127.0.0.1:${P2P_BASE_PORT + i}`,
        openStreams: new Set(),
        behaviour: behaviours.get(name)?.behaviour,
      };
      const server = await startGrpcServer(ctx, tls, options.ports?.[name] ?? DEFAULT_PORTS[name]);
      servers.push(server);
      const grpcHost = `127.0.0.1:${server.port}`;
      nodes[name] = {
        name,
        grpcHost,
        tlsCertPath: paths.tlsCert,
        macaroonPath: paths.adminMacaroon,
        refusedMacaroonPath: ensureRefusedMacaroon(paths.adminMacaroon),
        invoiceMacaroonPath: paths.invoiceMacaroon,
        identityPubkey: node.pubkey,
        lndconnectUri: lndconnectUri(grpcHost, tls.certPem, macaroon),
      };
      logger.info('devnet node listening', { node: name, grpcHost, pubkey: node.pubkey });
    }
    lnurl = await startLnurlServer(networkNodes, options.lnurlPort ?? 0);
    logger.info('devnet lightning addresses', { addresses: lnurl.addresses });
  } catch (err) {
    await shutdown();
    throw err;
  }
  // Payments a previous run left IN_FLIGHT (the node stopped mid-payment) are finished now, as LND
  // resumes its in-flight payments at start.
  resumeInFlightPayments(networkNodes, network);

  writeRuntimeFile(options.dir, {
    pid: process.pid,
    nodes: Object.fromEntries(
      NODE_NAMES.map((n) => [n, { grpcHost: nodes[n].grpcHost, identityPubkey: nodes[n].identityPubkey }]),
    ) as Record<DevnetNodeName, { grpcHost: string; identityPubkey: string }>,
  });

  let stopping: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    removeRuntimeFile(options.dir);
    network.close();
    await lnurl?.stop();
    for (const n of networkNodes.values()) n.registry.stop();
    for (const b of behaviours.values()) b.stop();
    await Promise.all(servers.map((s) => s.stop()));
  }
  const running = lnurl as LnurlServer | null;
  return {
    nodes,
    control: Object.fromEntries(
      NODE_NAMES.map((n) => [n, (behaviours.get(n) as ReturnType<typeof createNodeBehaviour>).control]),
    ) as Record<DevnetNodeName, NodeControl>,
    lightningAddresses: running?.addresses ?? ({} as Record<DevnetNodeName, string>),
    lnurlPort: running?.port ?? 0,
    holdPayments: (on) => network.hold(on),
    stop: () => {
      stopping ??= shutdown().then(() => logger.info('devnet stopped'));
      return stopping;
    },
  };
}
