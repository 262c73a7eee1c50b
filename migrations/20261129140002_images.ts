import type { Knex } from 'knex';

/**
 * Uploaded images (issue 14), stored with the rest of the site's data: the resized WebP variants
 * only (the original, with its EXIF metadata, is never kept). Variants are immutable, so they are
 * served with a year-long cache lifetime. An article may have a cover image with its alt text.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('images', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('owner_id').notNullable().references('users.id').onDelete('CASCADE');
    t.integer('width').notNullable();
    t.integer('height').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('image_variants', (t) => {
    t.bigInteger('image_id').notNullable().references('images.id').onDelete('CASCADE');
    t.integer('width').notNullable();
    t.integer('height').notNullable();
    t.text('mime').notNullable();
    t.binary('data').notNullable();
    t.primary(['image_id', 'width']);
  });
  await knex.schema.alterTable('articles', (t) => {
    t.bigInteger('cover_image_id').nullable().references('images.id').onDelete('SET NULL');
    t.text('cover_alt').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('articles', (t) => {
    t.dropColumn('cover_alt');
    t.dropColumn('cover_image_id');
  });
  await knex.schema.dropTableIfExists('image_variants');
  await knex.schema.dropTableIfExists('images');
}
