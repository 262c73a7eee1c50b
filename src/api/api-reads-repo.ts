/** Reads only the API makes: writers (users with at least one published article). */
import type { Knex } from 'knex';
import type { Profile } from '../accounts/profile/profile-form';
import { profileOf } from '../accounts/profile/profile-repo';
import { VISIBLE_SQL } from '../articles/schedule';

/** A writer and their profile (src/accounts/profile/). */
export type WriterRow = Profile & {
  username: string;
  publishedArticles: number;
  joinedAt: Date;
};

export interface ApiReadsRepo {
  /** Writers by username (case-insensitive), `limit` after the username `after`. */
  listWriters(options: { after: string | null; limit: number }): Promise<WriterRow[]>;
  findWriter(username: string): Promise<(WriterRow & { id: number }) | null>;
}

export function createApiReadsRepo(knex: Knex): ApiReadsRepo {
  const base = () =>
    knex('users as u')
      .join('articles as a', 'a.author_id', 'u.id')
      .whereRaw(VISIBLE_SQL)
      .groupBy('u.id')
      .select(
        'u.id',
        'u.username',
        'u.created_at',
        'u.display_name',
        'u.bio',
        'u.avatar_image_id',
        knex.raw('count(a.id)::int as published'),
      );
  const toRow = (r: {
    id: number;
    username: string;
    created_at: Date;
    published: number;
    display_name: string | null;
    bio: string | null;
    avatar_image_id: string | number | null;
  }) => ({
    id: r.id,
    username: r.username,
    ...profileOf(r),
    publishedArticles: r.published,
    joinedAt: r.created_at,
  });
  return {
    async listWriters({ after, limit }) {
      const q = base().orderByRaw('lower(u.username), u.id').limit(limit);
      if (after !== null) q.whereRaw('lower(u.username) > lower(?)', [after]);
      const rows = await q;
      return rows.map((r) => {
        const { id: _id, ...writer } = toRow(r);
        return writer;
      });
    },
    async findWriter(username) {
      const row = await base().whereRaw('lower(u.username) = lower(?)', [username]).first();
      return row ? toRow(row) : null;
    },
  };
}
