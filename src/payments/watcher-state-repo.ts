/**
 * The invoice watcher's position on each node's SubscribeInvoices stream (add_index and
 * settle_index), kept in PostgreSQL so a restart resumes where the last process stopped.
 */
import type { Knex } from 'knex';

export interface WatcherStateRepo {
  get(node: string): Promise<{ addIndex: number; settleIndex: number }>;
  /** Only ever moves forward, so a slow writer cannot move the position back. */
  advance(node: string, position: { addIndex: number; settleIndex: number }): Promise<void>;
  /**
   * Sets the position exactly, also backwards: only when the node's indexes went back (a node
   * restored from seed) or a stored index is beyond anything the node has.
   */
  reset(node: string, position: { addIndex: number; settleIndex: number }): Promise<void>;
}

export function createWatcherStateRepo(knex: Knex): WatcherStateRepo {
  return {
    async get(node) {
      const row = await knex('invoice_watcher_state').where({ node }).first();
      return { addIndex: row?.add_index ?? 0, settleIndex: row?.settle_index ?? 0 };
    },
    async advance(node, { addIndex, settleIndex }) {
      await knex.raw(
        `INSERT INTO invoice_watcher_state (node, add_index, settle_index) VALUES (?, ?, ?)
         ON CONFLICT (node) DO UPDATE SET
           add_index = GREATEST(invoice_watcher_state.add_index, EXCLUDED.add_index),
           settle_index = GREATEST(invoice_watcher_state.settle_index, EXCLUDED.settle_index),
           updated_at = now()`,
        [node, addIndex, settleIndex],
      );
    },
    async reset(node, { addIndex, settleIndex }) {
      await knex.raw(
        `INSERT INTO invoice_watcher_state (node, add_index, settle_index) VALUES (?, ?, ?)
         ON CONFLICT (node) DO UPDATE SET add_index = EXCLUDED.add_index, settle_index = EXCLUDED.settle_index, updated_at = now()`,
        [node, addIndex, settleIndex],
      );
    },
  };
}
