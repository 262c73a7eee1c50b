/**
 * /metrics for a cluster of workers (WEB_CONCURRENCY > 1). Each worker counts in its own registry,
 * and a scrape lands on whichever worker the connection reached; that worker asks the primary,
 * which gathers every worker's metrics with prom-client's AggregatorRegistry (counters and
 * histograms summed) and answers over the cluster's IPC channel. So one scrape sees the whole site.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQUEST = 'paywall:metrics-request';
const RESPONSE = 'paywall:metrics-response';

type Message = { type?: unknown; id?: unknown; text?: unknown; error?: unknown };

/** In the primary: answers each worker's request with the metrics of all workers. */
export function answerClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, msg: Message) => {
    if (msg?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: msg.id, text }),
      (err: unknown) => worker.send({ type: RESPONSE, id: msg.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

/** In a worker: puts `registry` in the cluster's collection and returns a reader of the whole cluster's metrics. */
export function clusterMetricsReader(registry: Registry, timeoutMs = 5_000): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one is what makes prom-client answer the primary's requests in this worker.
  new AggregatorRegistry();
  const pending = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 0;
  process.on('message', (msg: Message) => {
    if (msg?.type !== RESPONSE || typeof msg.id !== 'number') return;
    const waiting = pending.get(msg.id);
    if (!waiting) return;
    pending.delete(msg.id);
    clearTimeout(waiting.timer);
    if (typeof msg.text === 'string') waiting.resolve(msg.text);
    else waiting.reject(new Error(`the cluster's metrics could not be gathered: ${String(msg.error)}`));
  });
  return () =>
    new Promise((resolve, reject) => {
      nextId += 1;
      const id = nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the primary did not answer the metrics request'));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      process.send?.({ type: REQUEST, id });
    });
}
