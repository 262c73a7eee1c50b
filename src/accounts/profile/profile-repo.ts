/** Writer profiles: the display name, bio and avatar on the users row (migration 14-11). */
import type { Knex } from 'knex';
import { EMPTY_PROFILE, type Profile } from './profile-form';

/** The article caches' channel (src/articles/article-cache.ts): an empty payload forgets every article. */
const ARTICLES_CHANGED = 'paywall_article_changed';

export interface ProfileRepo {
  find(userId: number): Promise<Profile>;
  /** Whether `imageId` is an image `userId` uploaded (only your own picture can be your avatar). */
  ownsImage(userId: number, imageId: number): Promise<boolean>;
  /** Saves the profile; false when the account is gone (deleted). */
  save(userId: number, profile: Profile): Promise<boolean>;
}

export const profileOf = (r: { display_name?: string | null; bio?: string | null; avatar_image_id?: number | string | null }): Profile => ({
  displayName: r.display_name ?? null,
  bio: r.bio ?? null,
  avatarImageId: r.avatar_image_id == null ? null : Number(r.avatar_image_id),
});

export function createProfileRepo(knex: Knex): ProfileRepo {
  return {
    async find(userId) {
      const row = await knex('users').where({ id: userId }).first('display_name', 'bio', 'avatar_image_id');
      return row ? profileOf(row) : EMPTY_PROFILE;
    },
    async ownsImage(userId, imageId) {
      return (await knex('images').where({ id: imageId, owner_id: userId }).first('id')) !== undefined;
    },
    async save(userId, profile) {
      return knex.transaction(async (trx) => {
        const n = await trx('users').where({ id: userId }).whereNull('deleted_at').update({
          display_name: profile.displayName,
          bio: profile.bio,
          avatar_image_id: profile.avatarImageId,
        });
        // Articles carry their writer's name and avatar (the byline) and are kept in memory by
        // every process: all of them forget every article at commit.
        if (n === 1) await trx.raw('SELECT pg_notify(?, ?)', [ARTICLES_CHANGED, '']);
        return n === 1;
      });
    },
  };
}
