/**
 * The keys a login attempt is counted under, for any login method (a password here, a Lightning
 * signature elsewhere): the client address, the account name from that address, and the account
 * from everywhere, the last one skipped for a browser that has logged in to the account before
 * (a signed "known browser" cookie), so failing on purpose cannot lock the owner out.
 *
 *   const r = await throttle.reserve(loginKeys(limits, { ip, account, knownBrowser }));
 *   if (!r.allowed) ...429 with r.retryAfterSeconds...
 *   ...check the credential...; on success: await r.succeeded({ clear: [userIpKey(ip, account)] })
 */
import type { Request, Response } from 'express';
import type { AttemptKey } from './attempt-throttle';
import type { SiteLimits } from './limits';
import { cookieMac, readCookie, sameSecret } from '../web/cookies';

/** A wait or a window of `seconds`, in whole minutes (at least one): "1 minute", "15 minutes". */
export function minutes(seconds: number): string {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/** What a login attempt refused by the throttle is told, whichever way of logging in it was. */
export const tooManyAttempts = (retryAfterSeconds: number) =>
  `Too many failed attempts. Please wait ${minutes(retryAfterSeconds)} and try again.`;

export const userIpKey = (ip: string, account: string) => `login:user-ip:${account.toLowerCase()}|${ip}`;

export function loginKeys(
  limits: Pick<SiteLimits, 'loginPerIp' | 'loginPerUserIp' | 'loginPerAccount' | 'loginWindowMs'>,
  attempt: { ip: string; account: string; knownBrowser: boolean },
): AttemptKey[] {
  const account = attempt.account.toLowerCase().slice(0, 200);
  const windowMs = limits.loginWindowMs;
  const keys: AttemptKey[] = [
    { key: `login:ip:${attempt.ip}`, limit: limits.loginPerIp, windowMs },
    { key: userIpKey(attempt.ip, account), limit: limits.loginPerUserIp, windowMs },
  ];
  if (!attempt.knownBrowser) keys.push({ key: `login:account:${account}`, limit: limits.loginPerAccount, windowMs });
  return keys;
}

const KNOWN_COOKIE = 'paywall.known';

const mac = (secret: string, account: string) => cookieMac(secret, 'known-browser', account.toLowerCase());

/** Whether this browser logged in to `account` before (its cookie carries the account's signature). */
export function isKnownBrowser(req: Request, secret: string, account: string): boolean {
  const sent = readCookie(req, KNOWN_COOKIE);
  if (!sent || !account) return false;
  return sameSecret(sent, mac(secret, account));
}

/** After a successful login: this browser is known to the account for a year. */
export function rememberBrowser(res: Response, secret: string, account: string, secure: boolean): void {
  res.cookie(KNOWN_COOKIE, mac(secret, account), { httpOnly: true, sameSite: 'lax', secure, maxAge: 365 * 24 * 3600 * 1000, path: '/' });
}
