/**
 * Readiness: can this process serve paid reading right now? The database answers, the Lightning
 * node answers, and the invoice watcher holds its stream. Each check has its own short deadline, so
 * a hanging dependency makes /readyz say so instead of hanging with it.
 */
import type { Knex } from 'knex';
import { isLightningError, type LightningNode } from '../lightning/types';

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export interface ReadinessReport {
  ok: boolean;
  checks: { database: CheckResult; lightning: CheckResult; watcher: CheckResult };
}

export type Readiness = () => Promise<ReadinessReport>;

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function check(fn: () => Promise<unknown>, ms: number): Promise<CheckResult> {
  try {
    await withDeadline(fn(), ms);
    return { ok: true };
  } catch (err) {
    // The node's errors say which refusal it is (locked, starting, macaroon refused, permission
    // missing for which call): the operator reads it here.
    if (isLightningError(err)) return { ok: false, detail: err.message };
    return { ok: false, detail: err instanceof Error ? (err.name === 'Error' ? err.message : err.name) : 'failed' };
  }
}

export function createReadiness(deps: {
  knex: Knex;
  node: LightningNode;
  /** Whether the invoice watcher holds its stream; null when this process runs no watcher. */
  watcherConnected: (() => boolean) | null;
  deadlineMs?: number;
}): Readiness {
  const ms = deps.deadlineMs ?? 2_000;
  return async () => {
    const [database, lightning] = await Promise.all([check(() => deps.knex.raw('SELECT 1'), ms), check(() => deps.node.getInfo(), ms)]);
    const watcher: CheckResult =
      deps.watcherConnected === null
        ? { ok: true, detail: 'runs in another process' }
        : deps.watcherConnected()
          ? { ok: true }
          : { ok: false, detail: 'invoice stream disconnected' };
    return { ok: database.ok && lightning.ok && watcher.ok, checks: { database, lightning, watcher } };
  };
}
