import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * In development a random secret is made once and kept in the data dir, so logins survive a
 * restart without anyone having to invent a secret. Production must set SESSION_SECRET.
 */
export function developmentSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not made yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('hex');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
