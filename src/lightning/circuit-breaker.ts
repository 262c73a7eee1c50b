/**
 * A circuit breaker around a LightningNode. After `failureThreshold` consecutive unavailable
 * answers (LightningUnavailableError: node down, or no answer within the client's deadline) the
 * circuit opens: every call fails at once with LightningUnavailableError instead of waiting for
 * another deadline, so pages answer "payments unavailable" immediately. After `openMs` one call is
 * let through as a probe (half-open); its success closes the circuit, its failure opens it again.
 *
 * Unavailability counts, and so do LND's "not now" answers (NodeNotReadyError: locked, starting,
 * macaroon refused, permission denied, overloaded, internal): a node that answers with an ordinary
 * error (NOT_FOUND, a bad argument) is up.
 * The invoice stream is passed through untouched; the watcher has its own backoff.
 */
import { LightningUnavailableError, type LightningNode } from './types';
import type { Logger } from '../lib/logger';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  /** How long the circuit stays open before a probe is let through. */
  openMs?: number;
  logger: Logger;
  now?: () => number;
  /** Told about every call: for metrics. */
  onCall?: (method: string, outcome: 'ok' | 'error' | 'rejected', seconds: number) => void;
}

export interface CircuitBreakerNode extends LightningNode {
  circuit(): { state: CircuitState; consecutiveFailures: number };
}

export class CircuitOpenError extends LightningUnavailableError {
  /** `last` is the failure that opened the circuit (e.g. "Lightning node locked ..."), so /readyz still says why. */
  constructor(last?: string) {
    super(`Lightning node unavailable: circuit open after repeated failures${last ? `; last: ${last}` : ''}`);
  }
}

export function withCircuitBreaker(node: LightningNode, options: CircuitBreakerOptions): CircuitBreakerNode {
  const threshold = options.failureThreshold ?? 3;
  const openMs = options.openMs ?? 10_000;
  const now = options.now ?? Date.now;
  let failures = 0;
  let openedAt: number | null = null;
  let probing = false;
  let lastFailure: string | undefined;

  const state = (): CircuitState => {
    if (openedAt === null) return 'closed';
    return now() - openedAt >= openMs ? 'half-open' : 'open';
  };

  async function guarded<T>(method: string, call: () => Promise<T>): Promise<T> {
    const s = state();
    if (s === 'open' || (s === 'half-open' && probing)) {
      options.onCall?.(method, 'rejected', 0);
      throw new CircuitOpenError(lastFailure);
    }
    const isProbe = s === 'half-open';
    if (isProbe) probing = true;
    const started = now();
    try {
      const result = await call();
      options.onCall?.(method, 'ok', (now() - started) / 1000);
      if (openedAt !== null) options.logger.info('lightning circuit closed: the node answers again', { method });
      failures = 0;
      openedAt = null;
      return result;
    } catch (err) {
      options.onCall?.(method, 'error', (now() - started) / 1000);
      if (err instanceof LightningUnavailableError) {
        // Down, slow, or answering "not now" (locked, starting, macaroon refused...): all count.
        failures += 1;
        lastFailure = err.message;
        if (isProbe || failures >= threshold) {
          if (openedAt === null) options.logger.warn('lightning circuit open: answering "payments unavailable" at once', { failures });
          openedAt = now();
        }
      } else {
        // The node answered, so it is reachable.
        failures = 0;
        openedAt = null;
      }
      throw err;
    } finally {
      if (isProbe) probing = false;
    }
  }

  return {
    getInfo: () => guarded('getInfo', () => node.getInfo()),
    createInvoice: (input) => guarded('createInvoice', () => node.createInvoice(input)),
    lookupInvoice: (hash) => guarded('lookupInvoice', () => node.lookupInvoice(hash)),
    ...(node.latestAddIndex
      ? { latestAddIndex: () => guarded('latestAddIndex', () => (node.latestAddIndex as () => Promise<number>)()) }
      : {}),
    subscribeInvoices: (from, handlers) => node.subscribeInvoices(from, handlers),
    close: () => node.close(),
    circuit: () => ({ state: state(), consecutiveFailures: failures }),
  };
}
