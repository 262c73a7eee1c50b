/**
 * Where node state lives on disk: `<dir>/<node>/state.json`, next to tls.cert, tls.key and the
 * macaroons, as in an LND data directory. Writes are atomic (temp file + rename). A payment
 * changes two nodes at once, so it first writes both new states to a journal in `<dir>`; a
 * devnet that crashed between the two writes replays the journal on the next start.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readJsonIfExists, writeFileAtomic } from './atomic-file';
import { createIdentityKey } from './identity';
import type { DevnetNodeName, NodeState } from './node-state';
import { CHAIN_HEIGHT, WALLET_BALANCE_SAT, initialChannels } from './topology';

export interface NodePaths {
  dir: string;
  stateFile: string;
  tlsCert: string;
  tlsKey: string;
  adminMacaroon: string;
  readonlyMacaroon: string;
  invoiceMacaroon: string;
}

export function nodePaths(devnetDir: string, name: DevnetNodeName): NodePaths {
  const dir = path.join(devnetDir, name);
  return {
    dir,
    stateFile: path.join(dir, 'state.json'),
    tlsCert: path.join(dir, 'tls.cert'),
    tlsKey: path.join(dir, 'tls.key'),
    adminMacaroon: path.join(dir, 'admin.macaroon'),
    readonlyMacaroon: path.join(dir, 'readonly.macaroon'),
    invoiceMacaroon: path.join(dir, 'invoice.macaroon'),
  };
}

const journalFile = (devnetDir: string) => path.join(devnetDir, 'journal.json');

export function createNodeState(name: DevnetNodeName, chain: { blockHeight: number; blockHash: string }): NodeState {
  return {
    version: 1,
    name,
    identityKey: createIdentityKey(),
    macaroonRootKey: randomBytes(32).toString('hex'),
    blockHeight: chain.blockHeight,
    blockHash: chain.blockHash,
    walletBalanceSat: WALLET_BALANCE_SAT.toString(),
    channels: initialChannels(name),
    invoices: [],
    lastSettleIndex: 0,
    lastHtlcIndex: 0,
    payments: [],
  };
}

export function newChain(): { blockHeight: number; blockHash: string } {
  return { blockHeight: CHAIN_HEIGHT, blockHash: randomBytes(32).toString('hex') };
}

export function loadNodeState(devnetDir: string, name: DevnetNodeName): NodeState | undefined {
  return readJsonIfExists<NodeState>(nodePaths(devnetDir, name).stateFile);
}

export function saveNodeState(devnetDir: string, state: NodeState): void {
  writeFileAtomic(nodePaths(devnetDir, state.name).stateFile, JSON.stringify(state));
}

/** Persists several node states as one step (journal, then each file, then drop the journal). */
export function saveNodeStates(devnetDir: string, states: NodeState[]): void {
  if (states.length === 1) return saveNodeState(devnetDir, states[0]);
  writeFileAtomic(journalFile(devnetDir), JSON.stringify(states));
  for (const s of states) saveNodeState(devnetDir, s);
  fs.rmSync(journalFile(devnetDir), { force: true });
}

/** Completes a multi-node write interrupted by a crash. */
export function replayJournal(devnetDir: string): void {
  const states = readJsonIfExists<NodeState[]>(journalFile(devnetDir));
  if (!states) return;
  for (const s of states) saveNodeState(devnetDir, s);
  fs.rmSync(journalFile(devnetDir), { force: true });
}
