/**
 * POST /images: a signed-in writer uploads one image as the request body (the editor's script
 * sends the file as it is, with the CSRF token in a header); the answer is JSON with the image's id
 * and the Markdown to insert. GET /images/:id/:width.webp serves a variant, cached for a year
 * (variants never change: a new upload is a new id).
 */
import express, { type RequestHandler } from 'express';
import { currentUser } from '../accounts/guards';
import type { Logger } from '../lib/logger';
import { MAX_UPLOAD_BYTES, ImageRejectedError, processImage } from './image-processing';
import type { ImagesRepo } from './images-repo';

export interface ImagePages {
  upload: RequestHandler;
  variant: RequestHandler;
}

export function createImagePages(deps: { images: ImagesRepo; logger: Logger }): ImagePages {
  const raw = express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES + 1 });

  const upload: RequestHandler = (req, res, next) => {
    const user = currentUser(req);
    if (!user) return void res.status(401).json({ error: 'Log in to upload images.' });
    raw(req, res, (err?: unknown) => {
      if (err) {
        const tooLarge = (err as { status?: number }).status === 413;
        return void res.status(tooLarge ? 413 : 400).json({
          error: tooLarge ? `The image is too large: at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.` : 'The upload could not be read.',
        });
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      processImage(body)
        .then(async (image) => {
          const id = await deps.images.create(user.id, image);
          deps.logger.info('image uploaded', {
            imageId: id,
            ownerId: user.id,
            width: image.width,
            height: image.height,
            variants: image.variants.length,
          });
          res.status(201).json({
            id,
            width: image.width,
            height: image.height,
            src: `/images/${id}/640.webp`,
            markdown: `![Describe the image](/images/${id})`,
          });
        })
        .catch((e: unknown) => {
          if (e instanceof ImageRejectedError) return void res.status(422).json({ error: e.message });
          next(e);
        });
    });
  };

  const variant: RequestHandler = async (req, res, next) => {
    const id = /^[1-9]\d{0,15}$/.test(String(req.params.id)) ? Number(req.params.id) : null;
    const width = /^\d{2,4}$/.test(String(req.params.width)) ? Number(req.params.width) : null;
    if (id === null || width === null) return next();
    const found = await deps.images.variant(id, width);
    if (!found) return next();
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type(found.mime).send(found.data);
  };

  return { upload, variant };
}
