/**
 * What the node page shows and what the low-inbound banner is judged from: node info, channels with
 * inbound and outbound totals, invoices issued and settled in the last 24 hours (ours, from the
 * database), and the invoice watcher. A read asks the node (with the client's deadline); the
 * banner only ever uses the last read and refreshes it in the background, so no page waits.
 */
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger';
import type { NodeOverviewClient } from '../lightning/node-overview-client';
import type { ChannelSummary } from '../lightning/map-channels';
import type { NodeInfo } from '../lightning/types';

/** What the invoice watcher says of itself (src/payments/invoice-watcher.ts status()). */
export interface WatcherStatus {
  connected: boolean;
  reconnects: number;
  lastError: string | null;
}

export interface LiquidityWarning {
  inboundSat: number;
  thresholdSat: number;
  articlePrices: number;
  dearestPriceSat: number;
}

export interface NodeStatus {
  checkedAt: Date;
  reachable: boolean;
  error: string | null;
  info: NodeInfo | null;
  channels: ChannelSummary[];
  /** Σ over active channels of what the peer holds beyond its reserve: what readers can still pay. */
  inboundSat: number;
  outboundSat: number;
  invoices24h: { issued: number; settled: number };
  watcher: (WatcherStatus & { addIndex: number; settleIndex: number; updatedAt: Date | null }) | null;
  warning: LiquidityWarning | null;
}

export interface NodeMonitor {
  read(): Promise<NodeStatus>;
  /** The warning from the last read (null before any), refreshing it in the background when older than maxAgeMs. */
  warning(): LiquidityWarning | null;
}

export interface NodeMonitorDeps {
  overview: NodeOverviewClient;
  knex: Knex;
  logger: Logger;
  /** The banner shows when inbound < this many times the dearest published article's price. */
  lowInboundArticlePrices: number;
  watcherStatus?: () => WatcherStatus | undefined;
  maxAgeMs?: number;
  now?: () => Date;
}

export const inboundOf = (channels: ChannelSummary[]) =>
  channels.filter((c) => c.active).reduce((s, c) => s + Math.max(0, c.remoteBalanceSat - c.remoteReserveSat), 0);
export const outboundOf = (channels: ChannelSummary[]) =>
  channels.filter((c) => c.active).reduce((s, c) => s + Math.max(0, c.localBalanceSat - c.localReserveSat), 0);

export function createNodeMonitor(deps: NodeMonitorDeps): NodeMonitor {
  const now = deps.now ?? (() => new Date());
  const maxAgeMs = deps.maxAgeMs ?? 30_000;
  let last: NodeStatus | null = null;
  let refreshing: Promise<NodeStatus> | null = null;

  async function fromDatabase() {
    const [inv] = (
      await deps.knex.raw(
        `SELECT count(*) FILTER (WHERE created_at > now() - interval '24 hours')::int AS issued,
                count(*) FILTER (WHERE settled_at > now() - interval '24 hours')::int AS settled,
                (SELECT max(price_sat) FROM articles WHERE status = 'published')::bigint AS dearest
         FROM payment_invoices`,
      )
    ).rows;
    const state = await deps.knex('invoice_watcher_state').orderBy('updated_at', 'desc').first();
    return { issued: inv.issued as number, settled: inv.settled as number, dearest: Number(inv.dearest ?? 0), state };
  }

  async function read(): Promise<NodeStatus> {
    const db = await fromDatabase();
    const w = deps.watcherStatus?.();
    const watcher = w
      ? {
          ...w,
          addIndex: Number(db.state?.add_index ?? 0),
          settleIndex: Number(db.state?.settle_index ?? 0),
          updatedAt: db.state?.updated_at ?? null,
        }
      : null;
    const base = { checkedAt: now(), invoices24h: { issued: db.issued, settled: db.settled }, watcher };
    let status: NodeStatus;
    try {
      const [info, channels] = await Promise.all([deps.overview.getInfo(), deps.overview.listChannels()]);
      const inboundSat = inboundOf(channels);
      const thresholdSat = deps.lowInboundArticlePrices * db.dearest;
      const warning =
        db.dearest > 0 && inboundSat < thresholdSat
          ? { inboundSat, thresholdSat, articlePrices: deps.lowInboundArticlePrices, dearestPriceSat: db.dearest }
          : null;
      status = { ...base, reachable: true, error: null, info, channels, inboundSat, outboundSat: outboundOf(channels), warning };
    } catch (err) {
      deps.logger.warn('node page: the node did not answer', { error: err });
      status = {
        ...base,
        reachable: false,
        error: (err as Error).message,
        info: null,
        channels: [],
        inboundSat: 0,
        outboundSat: 0,
        warning: last?.warning ?? null,
      };
    }
    last = status;
    return status;
  }

  return {
    read,
    warning() {
      const stale = !last || now().getTime() - last.checkedAt.getTime() > maxAgeMs;
      if (stale && !refreshing) {
        refreshing = read()
          .catch((err) => {
            deps.logger.warn('liquidity check failed', { error: err });
            return last as NodeStatus;
          })
          .finally(() => (refreshing = null));
      }
      return last?.warning ?? null;
    },
  };
}
