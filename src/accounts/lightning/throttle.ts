/**
 * Lightning logins count failures like password logins do, in the same throttle (per IP, and per
 * IP and "username"). Their pseudo-usernames cannot be real ones (usernames have no `~`), so a
 * wrong signature never locks a real account, while guessing from one IP is held back the same.
 */
import type { LoginThrottle } from '../login-throttle';

export type ThrottledKind = '~node-signature' | '~lnurl-auth';

export interface KindThrottle {
  /** null: go ahead; otherwise the seconds to wait. */
  blockedFor(ip: string): Promise<number | null>;
  failed(ip: string): Promise<void>;
  succeeded(ip: string): Promise<void>;
}

export function throttleFor(throttle: LoginThrottle, kind: ThrottledKind): KindThrottle {
  return {
    blockedFor: (ip) => throttle.blockedFor(ip, kind),
    failed: (ip) => throttle.recordFailure(ip, kind),
    succeeded: (ip) => throttle.recordSuccess(ip, kind),
  };
}

export function waitText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed attempts. Please wait ${minutes} minute${minutes > 1 ? 's' : ''} and try again.`;
}
