/** Stored images and their variants (migration 14-02). */
import type { Knex } from 'knex';
import type { ProcessedImage } from './image-processing';

export interface StoredVariant {
  mime: string;
  data: Buffer;
}

export interface ImagesRepo {
  /** Stores the variants in one transaction; returns the image id. */
  create(ownerId: number, image: ProcessedImage): Promise<number>;
  /** The widest variant not wider than `width` (the narrowest if all are wider); null if no such image. */
  variant(imageId: number, width: number): Promise<StoredVariant | null>;
  /** Ids among `ids` that exist (to check a form's references). */
  existing(ids: number[]): Promise<Set<number>>;
}

export function createImagesRepo(knex: Knex): ImagesRepo {
  return {
    async create(ownerId, image) {
      return knex.transaction(async (trx) => {
        const [row] = await trx('images').insert({ owner_id: ownerId, width: image.width, height: image.height }).returning('id');
        const id = Number(row.id);
        await trx('image_variants').insert(
          image.variants.map((v) => ({ image_id: id, width: v.width, height: v.height, mime: v.mime, data: v.data })),
        );
        return id;
      });
    },
    async variant(imageId, width) {
      const row =
        (await knex('image_variants')
          .where('image_id', imageId)
          .andWhere('width', '<=', width)
          .orderBy('width', 'desc')
          .first('mime', 'data')) ??
        (await knex('image_variants').where('image_id', imageId).orderBy('width', 'asc').first('mime', 'data'));
      return row ? { mime: row.mime, data: row.data } : null;
    },
    async existing(ids) {
      if (ids.length === 0) return new Set();
      const rows = await knex('images').whereIn('id', ids).select('id');
      return new Set(rows.map((r) => Number(r.id)));
    },
  };
}
