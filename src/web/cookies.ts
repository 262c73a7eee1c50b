import crypto from 'node:crypto';
import type { Request } from 'express';

/** One cookie's value from the Cookie header (no cookie-parser in this app); null when absent or malformed. */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * What the site's own signed cookies carry beside their value: an HMAC-SHA256 under the session
 * secret, over the value prefixed with the cookie's purpose, so one cookie's signature never fits another.
 */
export function cookieMac(secret: string, purpose: string, value: string): string {
  return crypto.createHmac('sha256', secret).update(`${purpose}:${value}`).digest('base64url');
}

/** Whether a sent token or signature equals the expected one, compared in constant time. */
export function sameSecret(sent: string, expected: string): boolean {
  const x = Buffer.from(sent);
  const y = Buffer.from(expected);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
