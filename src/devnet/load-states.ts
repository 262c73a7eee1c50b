/**
 * Loads (or creates, on first start) the state of every devnet node. A payment interrupted by a
 * crash is completed from the journal first; a payment left IN_FLIGHT never reached the payee
 * (settlement and the SUCCEEDED status are written together), so it is marked FAILED.
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
    for (const p of state.payments) {
      if (p.status === 'IN_FLIGHT') {
        p.status = 'FAILED';
        p.failureReason = 'FAILURE_REASON_ERROR';
      }
    }
    saveNodeState(devnetDir, state);
  }
  return loaded;
}
