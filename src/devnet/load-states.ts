/**
 * Loads (or creates, on first start) the state of every devnet node. A payment interrupted by a
 * crash is completed from the journal first. A payment left IN_FLIGHT never reached the payee
 * (settlement and the SUCCEEDED status are written together); it stays IN_FLIGHT and is resumed
 * after start (resume-payments.ts), as LND's router resumes in-flight payments.
 */
import { NODE_NAMES, type DevnetNodeName, type NodeState } from './node-state';
import { createNodeState, loadNodeState, newChain, replayJournal, saveNodeState } from './node-store';

export function loadOrCreateStates(devnetDir: string): Map<DevnetNodeName, NodeState> {
  replayJournal(devnetDir);
  const loaded = new Map<DevnetNodeName, NodeState>();
  for (const name of NODE_NAMES) {
    const state = loadNodeState(devnetDir, name);
    if (state) loaded.set(name, state);
  }
  const existing = [...loaded.values()][0];
  const chain = existing ? { blockHeight: existing.blockHeight, blockHash: existing.blockHash } : newChain();
  for (const name of NODE_NAMES) {
    let state = loaded.get(name);
    if (!state) {
      state = createNodeState(name, chain);
      loaded.set(name, state);
    }
    saveNodeState(devnetDir, state);
  }
  return loaded;
}
