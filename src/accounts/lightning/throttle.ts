/**
 * Lightning logins are counted like password logins, in the same attempt throttle (per address, and
 * per address and "account"): each attempt is reserved before its signature is checked, so parallel
 * attempts cannot get past the limit, and the request holds its reservation as the password login
 * does. Their pseudo-accounts cannot be real usernames (usernames have no `~`), so a wrong signature
 * never slows a real account, while guessing from one address is held back the same.
 *
 *   const attempt = await throttle.reserve(lightningAttemptKeys(limits, ip, kind));
 *   if (!attempt.allowed) ...429 with tooManyAttempts(attempt.retryAfterSeconds)...
 *   a wrong signature: nothing more (the attempt stays counted);
 *   the node could not judge it: await attempt.succeeded() (given back, it does not count);
 *   a good one: await attempt.succeeded({ clear: [userIpKey(ip, kind)] })
 */
import type { AttemptKey } from '../attempt-throttle';
import { loginKeys } from '../login-limits';
import type { SiteLimits } from '../limits';

export type LightningLoginKind = '~node-signature' | '~lnurl-auth';

export function lightningAttemptKeys(limits: SiteLimits, ip: string, kind: LightningLoginKind): AttemptKey[] {
  return loginKeys(limits, { ip, account: kind, knownBrowser: true });
}
