/**
 * bcrypt with a bound on the work: at most `concurrency` hashes or checks run at once (bcrypt runs
 * on libuv's thread pool, four threads shared with file and DNS work, so a flood of signups used to
 * take every thread and a normal login waited seconds). Password checks (logins) go before new
 * hashes (signups), and signups never hold more than `concurrency - 1` slots, so a login always has
 * one. Beyond `queue` waiting jobs the request is told the site is busy (503) instead of piling up.
 */
import type { PasswordHasher } from './passwords';
import { BusyError } from '../web/errors';

export interface BoundedHasher extends PasswordHasher {
  /** Jobs running and waiting, for tests and metrics. */
  stats(): { running: number; waiting: number; maxRunning: number };
}

type Lane = 'login' | 'signup';

export function createBoundedHasher(inner: PasswordHasher, options: { concurrency: number; queue: number }): BoundedHasher {
  const concurrency = Math.max(1, options.concurrency);
  const signupSlots = Math.max(1, concurrency - 1);
  const waiting: Record<Lane, Array<() => void>> = { login: [], signup: [] };
  let running = 0;
  let runningSignups = 0;
  let maxRunning = 0;

  const canStart = (lane: Lane) => running < concurrency && (lane === 'login' || runningSignups < signupSlots);

  function take(lane: Lane): void {
    running += 1;
    if (lane === 'signup') runningSignups += 1;
    maxRunning = Math.max(maxRunning, running);
  }

  /** Starts waiting jobs while there is room; a slot is taken before the job is woken. */
  function pump(): void {
    for (;;) {
      const lane: Lane | null =
        waiting.login.length && canStart('login') ? 'login' : waiting.signup.length && canStart('signup') ? 'signup' : null;
      if (!lane) return;
      take(lane);
      waiting[lane].shift()!();
    }
  }

  async function run<T>(lane: Lane, job: () => Promise<T>): Promise<T> {
    const queued = waiting.login.length + (lane === 'signup' ? waiting.signup.length : 0);
    if (queued === 0 && canStart(lane)) take(lane);
    else {
      if (waiting.login.length + waiting.signup.length >= options.queue) throw new BusyError();
      await new Promise<void>((resolve) => waiting[lane].push(resolve));
    }
    try {
      return await job();
    } finally {
      running -= 1;
      if (lane === 'signup') runningSignups -= 1;
      pump();
    }
  }

  return {
    hash: (password) => run('signup', () => inner.hash(password)),
    verify: (password, hash) => run('login', () => inner.verify(password, hash)),
    verifyDummy: (password) => run('login', () => inner.verifyDummy(password)),
    stats: () => ({ running, waiting: waiting.login.length + waiting.signup.length, maxRunning }),
  };
}
