/**
 * Demo data: readers alice and bob, an admin, and ten articles. Safe to run again: users are
 * matched by username and articles by slug, and nothing that exists is changed.
 */
import type { Knex } from 'knex';
import { demoArticles } from './data/demo-articles';
import { renderMarkdown } from '../src/articles/markdown';

export const DEMO_USERS = [
  { username: 'alice', password: 'alice-password', role: 'reader' },
  { username: 'bob', password: 'bob-password', role: 'reader' },
  { username: 'admin', password: 'admin-password', role: 'admin' },
] as const;

export async function seedDemoData(knex: Knex, hash: (password: string) => Promise<string>): Promise<{ users: number; articles: number }> {
  let users = 0;
  for (const u of DEMO_USERS) {
    const exists = await knex('users').whereRaw('lower(username) = lower(?)', [u.username]).first();
    if (exists) continue;
    const res = await knex.raw(
      `INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?) ON CONFLICT ((lower(username))) DO NOTHING`,
      [u.username, await hash(u.password), u.role],
    );
    users += res.rowCount ?? 0;
  }
  const ids = new Map<string, number>();
  for (const row of await knex('users').select('id', 'username')) ids.set(String(row.username).toLowerCase(), Number(row.id));

  const now = Date.now();
  const rows = demoArticles.map((a) => ({
    slug: a.slug,
    author_id: ids.get(a.authorUsername) ?? null,
    title: a.title,
    teaser: a.teaser,
    body: a.body,
    teaser_html: renderMarkdown(a.teaser),
    body_html: renderMarkdown(a.body),
    price_sat: a.priceSat,
    status: 'published',
    created_at: new Date(now - a.daysAgo * 86_400_000 - 3_600_000),
    published_at: new Date(now - a.daysAgo * 86_400_000 - 3_600_000),
  }));
  const inserted = await knex('articles').insert(rows).onConflict('slug').ignore().returning('id');
  return { users, articles: inserted.length };
}
