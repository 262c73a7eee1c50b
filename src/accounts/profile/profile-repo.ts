/** Writer profiles: the display name, bio and avatar on the users row (migration 14-11). */
import type { Knex } from 'knex';
import { EMPTY_PROFILE, type Profile } from './profile-form';

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
      // Articles in memory carry the byline: the users_byline_changed trigger announces the change.
      const n = await knex('users').where({ id: userId }).whereNull('deleted_at').update({
        display_name: profile.displayName,
        bio: profile.bio,
        avatar_image_id: profile.avatarImageId,
      });
      return n === 1;
    },
  };
}
