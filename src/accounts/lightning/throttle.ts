/**
 * Lightning logins are counted like password logins, in the same attempt throttle (per address, and
 * per address and "account"): each attempt is reserved before its signature is checked, so parallel
 * attempts cannot get past the limit. Their pseudo-accounts cannot be real usernames (usernames have
 * no `~`), so a wrong signature never slows a real account, while guessing from one address is held
 * back the same.
 */
import type { AttemptThrottle, Reservation } from '../attempt-throttle';
import { loginKeys, userIpKey } from '../login-limits';
import type { SiteLimits } from '../limits';

export type ThrottledKind = '~node-signature' | '~lnurl-auth';

export interface KindThrottle {
  /** Reserves one attempt: null to go ahead (then `failed` or `succeeded` once), otherwise the seconds to wait. */
  blockedFor(ip: string): Promise<number | null>;
  failed(ip: string): Promise<void>;
  succeeded(ip: string): Promise<void>;
  /** The attempt could not be judged (the node was down): it does not count. */
  release(ip: string): Promise<void>;
}

/** Reservations waiting for their outcome, oldest first per address; bounded so nothing grows without limit. */
const MAX_OPEN = 10_000;

export function throttleFor(throttle: AttemptThrottle, limits: SiteLimits, kind: ThrottledKind): KindThrottle {
  const open = new Map<string, Array<Extract<Reservation, { allowed: true }>>>();
  let count = 0;
  const take = (ip: string) => {
    const list = open.get(ip);
    const r = list?.shift();
    if (r) count -= 1;
    if (list && list.length === 0) open.delete(ip);
    return r;
  };
  return {
    async blockedFor(ip) {
      const r = await throttle.reserve(loginKeys(limits, { ip, account: kind, knownBrowser: true }));
      if (!r.allowed) return r.retryAfterSeconds;
      if (count >= MAX_OPEN) {
        // An attempt whose outcome never came stays counted (as a failure would); forget the oldest.
        const oldest = open.keys().next().value;
        if (oldest !== undefined) take(oldest);
      }
      open.set(ip, [...(open.get(ip) ?? []), r]);
      count += 1;
      return null;
    },
    async failed(ip) {
      take(ip); // the reserved attempt stays counted
    },
    async succeeded(ip) {
      await take(ip)?.succeeded({ clear: [userIpKey(ip, kind)] });
    },
    async release(ip) {
      await take(ip)?.succeeded();
    },
  };
}

export function waitText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed attempts. Please wait ${minutes} minute${minutes > 1 ? 's' : ''} and try again.`;
}
