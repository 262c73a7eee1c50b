/**
 * Readers and their sessions written straight into the database, so the bench can have hundreds of
 * logged-in readers without paying bcrypt for each login. A session row is what express-session
 * and passport store after a real login; its cookie is signed with the site's secret.
 */
import crypto from 'node:crypto';
import type { Pool } from 'pg';

export const SESSION_COOKIE = 'paywall.sid';
const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/** express-session's signed cookie: "s:" + sid + "." + base64 HMAC-SHA256 without padding (cookie-signature's format). */
export function sessionCookie(sid: string, secret: string): string {
  const mac = crypto.createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `${SESSION_COOKIE}=${encodeURIComponent(`s:${sid}.${mac}`)}`;
}

/** A session row like the one a login leaves behind (passport user id plus the CSRF token). */
export async function createSession(pool: Pool, secret: string, data: Record<string, unknown>): Promise<string> {
  const sid = crypto.randomBytes(24).toString('base64url');
  const expires = new Date(Date.now() + MAX_AGE_MS);
  const sess = {
    cookie: { originalMaxAge: MAX_AGE_MS, expires: expires.toISOString(), secure: false, httpOnly: true, path: '/', sameSite: 'lax' },
    csrfToken: crypto.randomBytes(32).toString('base64url'),
    ...data,
  };
  await pool.query('INSERT INTO session (sid, sess, expire) VALUES ($1, $2, $3)', [sid, JSON.stringify(sess), expires]);
  return sessionCookie(sid, secret);
}

export interface Reader {
  id: number;
  cookie: string;
}

/** `count` new readers named `<prefix>-<n>`, each with a logged-in session. */
export async function createReaders(pool: Pool, secret: string, prefix: string, count: number): Promise<Reader[]> {
  // Nobody logs in with these: the hash is of a random password at bcrypt's shape, never checked.
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (username, password_hash, role)
     SELECT $1 || '-' || n, '$2b$04$' || md5(random()::text) || md5(random()::text), 'reader' FROM generate_series(1, $2::int) n
     RETURNING id`,
    [prefix, count],
  );
  const readers: Reader[] = [];
  for (const r of rows) {
    const id = Number(r.id);
    readers.push({ id, cookie: await createSession(pool, secret, { passport: { user: id } }) });
  }
  return readers;
}

/** A complete (paid) view payment for `reader` and `articleId`, with its settled invoice. */
export async function createPaidView(pool: Pool, readerId: number, articleId: number): Promise<void> {
  const hash = crypto.randomBytes(32).toString('hex');
  await pool.query(
    `WITH a AS (SELECT price_sat FROM articles WHERE id = $2),
          p AS (INSERT INTO payments (user_id, article_id, purpose, status, amount_sat, payment_hash, payment_request,
                                      invoice_expires_at, amount_paid_sat, settled_at)
                SELECT $1, $2, 'view', 'complete', a.price_sat, $3, 'lnbcrt-bench-' || $3, now() + interval '1 hour', a.price_sat, now() FROM a
                RETURNING id, amount_sat, payment_hash, payment_request, invoice_expires_at, settled_at),
          i AS (INSERT INTO payment_invoices (payment_id, payment_hash, payment_request, amount_sat, expires_at, settled_at, amount_paid_sat)
                SELECT id, payment_hash, payment_request, amount_sat, invoice_expires_at, settled_at, amount_sat FROM p)
     UPDATE articles SET views_count = views_count + 1, revenue_sat = revenue_sat + (SELECT amount_sat FROM p) WHERE id = $2`,
    [readerId, articleId, hash],
  );
}
