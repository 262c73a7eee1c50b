/**
 * Prometheus metrics (prom-client), one registry per process, created in server.ts and passed in.
 * Labels stay low-cardinality: routes are the matched Express pattern, never the raw URL.
 */
import client from 'prom-client';

export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<'method' | 'route' | 'status'>;
  httpDuration: client.Histogram<'method' | 'route'>;
  invoicesIssued: client.Counter<string>;
  paymentsCompleted: client.Counter<string>;
  nodeCalls: client.Counter<'method' | 'outcome'>;
  nodeCallDuration: client.Histogram<'method'>;
  watcherReconnects: client.Counter<string>;
  unreadableInvoices: client.Counter<string>;
  /** Where the reconnect count is read from at scrape time (the watcher keeps its own count). */
  readWatcherReconnects(source: () => number): void;
  /** Where the count of invoices skipped as unreadable is read from at scrape time (the watcher's). */
  readUnreadableInvoices(source: () => number): void;
  /** In a cluster worker: the metrics of every worker (src/ops/metrics-cluster.ts); else this registry's. */
  scrape(): Promise<string>;
  /** Makes `scrape` read the whole cluster's metrics through `read`. */
  scrapeWith(read: () => Promise<string>): void;
}

export function createMetrics(options: { collectDefaults?: boolean } = {}): Metrics {
  const registry = new client.Registry();
  if (options.collectDefaults ?? true) client.collectDefaultMetrics({ register: registry });
  const r = [registry];
  let reconnects: () => number = () => 0;
  let unreadable: () => number = () => 0;
  let scrape = () => registry.metrics();
  return {
    scrape: () => scrape(),
    scrapeWith(read) {
      scrape = read;
    },
    readWatcherReconnects(source) {
      reconnects = source;
    },
    readUnreadableInvoices(source) {
      unreadable = source;
    },
    registry,
    httpRequests: new client.Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered',
      labelNames: ['method', 'route', 'status'],
      registers: r,
    }),
    httpDuration: new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: r,
    }),
    invoicesIssued: new client.Counter({
      name: 'paywall_invoices_issued_total',
      help: 'Invoices the node issued for payments',
      registers: r,
    }),
    paymentsCompleted: new client.Counter({
      name: 'paywall_payments_completed_total',
      help: 'Payments that became complete (counted by the process that completed them)',
      registers: r,
    }),
    nodeCalls: new client.Counter({
      name: 'lightning_node_calls_total',
      help: 'Calls to the Lightning node by outcome (ok, error, rejected by the open circuit)',
      labelNames: ['method', 'outcome'],
      registers: r,
    }),
    nodeCallDuration: new client.Histogram({
      name: 'lightning_node_call_duration_seconds',
      help: 'Latency of calls to the Lightning node',
      labelNames: ['method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: r,
    }),
    watcherReconnects: new client.Counter({
      name: 'paywall_invoice_watcher_reconnects_total',
      help: 'Times the invoice stream was lost and resubscribed',
      registers: r,
      collect() {
        this.reset();
        this.inc(reconnects());
      },
    }),
    unreadableInvoices: new client.Counter({
      name: 'paywall_invoices_unreadable_total',
      help: 'Invoices from the node skipped because the site could not read or apply them (each is logged)',
      registers: r,
      collect() {
        this.reset();
        this.inc(unreadable());
      },
    }),
  };
}
