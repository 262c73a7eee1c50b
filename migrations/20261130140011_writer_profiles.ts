import type { Knex } from 'knex';

/**
 * Writer profiles (issue 14): a display name, a short plain-text bio and an avatar (an uploaded
 * image, src/images/, owned by the writer). All optional: a writer without a display name is shown
 * by username, one without an avatar by their initials. The lengths are checked by the form too;
 * the constraints keep rows written elsewhere within what the pages are laid out for.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.text('display_name').nullable();
    t.text('bio').nullable();
    t.bigInteger('avatar_image_id').nullable().references('images.id').onDelete('SET NULL');
  });
  await knex.raw('ALTER TABLE users ADD CONSTRAINT users_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 60)');
  await knex.raw('ALTER TABLE users ADD CONSTRAINT users_bio_length CHECK (char_length(bio) BETWEEN 1 AND 300)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('avatar_image_id');
    t.dropColumn('bio');
    t.dropColumn('display_name');
  });
}
