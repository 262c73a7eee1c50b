/**
 * The stall scenario of issue "hostile users": eight writers preview a maximum-size Markdown body
 * (the most expensive text measured: a table filling the body's limit) over and over, while
 * autocannon measures /healthz and the hot article page. Markdown renders in worker threads, so
 * the other requests' p99 should stay near what it is without the attack (it was 16 s for /healthz
 * when previews rendered on the event loop). Figures, not assertions: this runs by hand.
 */
import crypto from 'node:crypto';
import type { Pool } from 'pg';
import { createSession } from './fixtures';
import { runLoad, type LoadResult, type Target } from './load';

/** A table filling the body's limit (src/articles/article-form.ts LIMITS.body). */
export function maxSizeTable(maxChars = 100_000): string {
  const header = '| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n';
  const row = '| cell | cell | cell | cell | cell | cell |\n';
  return header + row.repeat(Math.floor((maxChars - header.length) / row.length));
}

interface Writer {
  cookie: string;
  csrf: string;
}

async function createWriters(pool: Pool, secret: string, count: number): Promise<Writer[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (username, password_hash, role)
     SELECT 'bench-writer-' || n || '-' || md5(random()::text), '$2b$04$' || md5(random()::text) || md5(random()::text), 'reader'
     FROM generate_series(1, $1::int) n RETURNING id`,
    [count],
  );
  const writers: Writer[] = [];
  for (const r of rows) {
    const csrf = crypto.randomBytes(32).toString('base64url');
    writers.push({ csrf, cookie: await createSession(pool, secret, { passport: { user: Number(r.id) }, csrfToken: csrf }) });
  }
  return writers;
}

export interface StallFigures {
  healthzQuiet: LoadResult;
  healthzUnderAttack: LoadResult;
  hotQuiet: LoadResult;
  hotUnderAttack: LoadResult;
  previews: Record<string, number>;
}

export async function measurePreviewStall(options: {
  siteUrl: string;
  pool: Pool;
  secret: string;
  hot: Target;
  postmasterPid: number;
  seconds: number;
  connections: number;
  writers?: number;
}): Promise<StallFigures> {
  const writers = await createWriters(options.pool, options.secret, options.writers ?? 8);
  const body = maxSizeTable();
  const healthz: Target = { label: '/healthz', url: `${options.siteUrl}/healthz`, pid: options.hot.pid };
  const load = (t: Target) =>
    runLoad(t, { connections: options.connections, seconds: options.seconds, postmasterPid: options.postmasterPid });

  const healthzQuiet = await load(healthz);
  const hotQuiet = await load(options.hot);

  const previews: Record<string, number> = {};
  let attacking = true;
  const attack = writers.map(async (w) => {
    while (attacking) {
      const res = await fetch(`${options.siteUrl}/write`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: w.cookie },
        body: new URLSearchParams({ _csrf: w.csrf, title: 'Stall', teaser: 'Stall.', body, priceSat: '10', intent: 'preview' }).toString(),
      }).then(
        async (r) => (await r.arrayBuffer(), String(r.status)),
        () => 'error',
      );
      previews[res] = (previews[res] ?? 0) + 1;
    }
  });
  try {
    const healthzUnderAttack = await load(healthz);
    const hotUnderAttack = await load(options.hot);
    return { healthzQuiet, healthzUnderAttack, hotQuiet, hotUnderAttack, previews };
  } finally {
    attacking = false;
    await Promise.all(attack);
  }
}
