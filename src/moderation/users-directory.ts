/**
 * /admin/users lists every account (readers, writers, admins; deleted ones marked), searched by
 * username and paged, so an admin can find anyone, on a phone too. Read-only: the role changes go
 * through moderation-repo.ts's setRole (audit log, last-admin rule).
 */
import type { Knex } from 'knex';

export interface UserListing {
  id: number;
  username: string;
  role: 'reader' | 'admin';
  createdAt: Date;
  deleted: boolean;
  /** Articles written (drafts not counted: they are their writer's alone). */
  articles: number;
  /** Complete payments made (reads, upvotes, machine reads). */
  payments: number;
}

export interface UserSearch {
  /** Part of a username, any case; empty lists everyone. */
  query: string;
  /** 0-based page. */
  page: number;
  pageSize: number;
}

export interface UsersDirectory {
  search(s: UserSearch): Promise<{ users: UserListing[]; total: number }>;
}

/** `text` as a LIKE pattern that matches it literally anywhere (%, _ and \ escaped). */
const containing = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createUsersDirectory(knex: Knex): UsersDirectory {
  return {
    async search({ query, page, pageSize }) {
      const matching = () => {
        const q = knex('users as u');
        if (query) q.whereRaw("lower(u.username) LIKE ? ESCAPE '\\'", [containing(query)]);
        return q;
      };
      const [rows, count] = await Promise.all([
        matching()
          .orderByRaw('lower(u.username), u.id')
          .limit(pageSize)
          .offset(page * pageSize)
          .select(
            'u.id',
            'u.username',
            'u.role',
            'u.created_at',
            'u.deleted_at',
            knex.raw("(SELECT count(*)::int FROM articles a WHERE a.author_id = u.id AND a.status <> 'draft') AS articles"),
            knex.raw("(SELECT count(*)::int FROM payments p WHERE p.user_id = u.id AND p.status = 'complete') AS payments"),
          ),
        matching().first(knex.raw('count(*)::int AS n')),
      ]);
      return {
        total: Number((count as { n: number } | undefined)?.n ?? 0),
        users: rows.map((r) => ({
          id: Number(r.id),
          username: r.username as string,
          role: r.role as 'reader' | 'admin',
          createdAt: new Date(r.created_at),
          deleted: r.deleted_at !== null,
          articles: Number(r.articles),
          payments: Number(r.payments),
        })),
      };
    },
  };
}
