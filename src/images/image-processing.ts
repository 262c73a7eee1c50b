/**
 * An upload becomes stored image variants: the real type is read from the first bytes (never the
 * name or the Content-Type), size and pixel count are limited, the EXIF orientation is applied and
 * every metadata block (EXIF with its GPS position, XMP, ICC comments) is dropped, and WebP
 * variants are made at a few widths with sharp (libvips). Nothing of the original is kept.
 */
import sharp from 'sharp';

export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
export const MAX_PIXELS = 40_000_000;
/** Widths of the variants (those wider than the original are skipped; the original width is kept as the largest). */
export const VARIANT_WIDTHS = [320, 640, 1280, 1920] as const;

export class ImageRejectedError extends Error {}

export type ImageType = 'jpeg' | 'png' | 'gif' | 'webp';

/** The type the bytes say, or null: JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, GIF87a/89a, WebP RIFF....WEBP. */
export function sniffImageType(b: Buffer): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'gif';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

export interface Variant {
  width: number;
  height: number;
  mime: 'image/webp';
  data: Buffer;
}

export interface ProcessedImage {
  width: number;
  height: number;
  variants: Variant[];
}

export async function processImage(input: Buffer): Promise<ProcessedImage> {
  if (input.length === 0) throw new ImageRejectedError('The file is empty.');
  if (input.length > MAX_UPLOAD_BYTES)
    throw new ImageRejectedError(`The image is too large: at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  if (!sniffImageType(input)) throw new ImageRejectedError('This is not an image we can use: upload a JPEG, PNG, GIF or WebP file.');
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_PIXELS }).metadata();
  } catch {
    throw new ImageRejectedError('The image could not be read: it may be damaged, or larger than 40 megapixels.');
  }
  // Sides as displayed, after the EXIF orientation is applied (5-8 swap them).
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  if (!width || !height) throw new ImageRejectedError('The image could not be read.');
  if (width * height > MAX_PIXELS) throw new ImageRejectedError('The image has too many pixels: at most 40 megapixels.');
  const widths = [...VARIANT_WIDTHS.filter((w) => w < width), Math.min(width, VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1])];
  const variants: Variant[] = [];
  try {
    for (const w of [...new Set(widths)]) {
      // rotate() applies the EXIF orientation; sharp writes no metadata unless asked (withMetadata), so EXIF/GPS is gone.
      const { data, info } = await sharp(input, { limitInputPixels: MAX_PIXELS, animated: false })
        .rotate()
        .resize({ width: w, withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      variants.push({ width: info.width, height: info.height, mime: 'image/webp', data });
    }
  } catch {
    throw new ImageRejectedError('The image could not be converted: it may be damaged.');
  }
  return { width, height, variants };
}
