/**
 * Images over HTTP against a real database and the real sharp: an upload is checked by its bytes,
 * limited in size and pixels, stripped of EXIF, stored as WebP variants and served with a long
 * cache lifetime; Markdown refuses remote images and images without a description at save time.
 */
import request from 'supertest';
import sharp from 'sharp';
import { startTestSite, loggedInAgent, csrfFrom, type TestSite } from '../helpers/site';

let site: TestSite;
let bob: Awaited<ReturnType<typeof loggedInAgent>>;
let csrf: string;

beforeAll(async () => {
  site = await startTestSite();
  bob = await loggedInAgent(site.app, 'bob');
  csrf = csrfFrom((await bob.get('/write')).text);
});
afterAll(() => site.close());

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#c8702a' } })
    .jpeg()
    .withExif({ IFD0: { Artist: 'Secret Photographer', Copyright: 'GPS 48.8584 N 2.2945 E' } })
    .toBuffer();

const upload = (body: Buffer, type: string) => bob.post('/images').set('content-type', type).set('x-csrf-token', csrf).send(body);

test('a JPEG with EXIF becomes stored WebP variants without any metadata, served for a year', async () => {
  const original = await photo(1600, 900);
  expect((await sharp(original).metadata()).exif).toBeDefined();
  const res = await upload(original, 'image/jpeg');
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ width: 1600, height: 900, markdown: `![Describe the image](/images/${res.body.id})` });
  const variants = await site
    .knex('image_variants')
    .where({ image_id: res.body.id })
    .orderBy('width')
    .select('width', 'height', 'mime', 'data');
  expect(variants.map((v) => [v.width, v.height, v.mime])).toEqual([
    [320, 180, 'image/webp'],
    [640, 360, 'image/webp'],
    [1280, 720, 'image/webp'],
    [1600, 900, 'image/webp'],
  ]);
  for (const v of variants) {
    const meta = await sharp(v.data).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    expect(v.data.includes(Buffer.from('Secret Photographer'))).toBe(false);
  }
  const served = await request(site.app).get(`/images/${res.body.id}/1280.webp`);
  expect(served.status).toBe(200);
  expect(served.headers['content-type']).toBe('image/webp');
  expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect((await sharp(served.body).metadata()).width).toBe(1280);
  // Asking for a width between two variants gets the one below it; wider than all gets the widest.
  expect((await sharp((await request(site.app).get(`/images/${res.body.id}/1920.webp`)).body).metadata()).width).toBe(1600);
  expect((await request(site.app).get('/images/999999/640.webp')).status).toBe(404);
});

test('the type is read from the bytes, not the name or the content type; nothing is stored for a refusal', async () => {
  const before = await site.knex('images').count('* as n').first();
  const fake = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/png');
  expect(fake.status).toBe(422);
  expect(fake.body.error).toBe('This is not an image we can use: upload a JPEG, PNG, GIF or WebP file.');
  const broken = await upload(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]), 'image/jpeg');
  expect(broken.status).toBe(422);
  expect(broken.body.error).toMatch(/could not be read/);
  expect(await site.knex('images').count('* as n').first()).toEqual(before);
});

test('too many pixels or too many bytes are refused with a clear message', async () => {
  const huge = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#000' } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  const res = await upload(huge, 'image/png');
  expect(res.status).toBe(422);
  expect(res.body.error).toMatch(/40 megapixels/);
  const big = await upload(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(8 * 1024 * 1024 + 10)]),
    'image/png',
  );
  expect(big.status).toBe(413);
  expect(big.body.error).toBe('The image is too large: at most 8 MB.');
});

test('anonymous visitors cannot upload', async () => {
  const anon = request.agent(site.app);
  const page = await anon.get('/login');
  const res = await anon
    .post('/images')
    .set('content-type', 'image/jpeg')
    .set('x-csrf-token', csrfFrom(page.text))
    .send(await photo(10, 10));
  expect(res.status).toBe(401);
});

describe('images in articles', () => {
  async function publish(fields: Record<string, string>) {
    const form = await bob.get('/write');
    return bob
      .post('/write')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), title: 'With pictures', teaser: 'A teaser.', priceSat: '100', intent: 'publish', ...fields });
  }

  test('a remote image URL is refused at save with a clear message, next to the field', async () => {
    const res = await publish({ body: 'Look: ![a cat](https://cats.example/cat.jpg)' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Images from other sites are not shown (https://cats.example/cat.jpg): upload the image instead');
    expect(res.text).toContain('id="body-error"');
    expect(await site.knex('articles').where({ title: 'With pictures' }).first()).toBeUndefined();
  });

  test('an uploaded image needs a description', async () => {
    const { body } = await upload(await photo(800, 600), 'image/jpeg');
    const res = await publish({ body: `Here: ${body.markdown}` });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Describe every image for readers who cannot see it');
  });

  test('an uploaded image and a cover are shown with srcset, lazy loading and their alt text', async () => {
    const inline = (await upload(await photo(800, 600), 'image/jpeg')).body;
    const cover = (await upload(await photo(1600, 900), 'image/jpeg')).body;
    const res = await publish({
      body: `Here: ![An orange square](/images/${inline.id})`,
      coverImageId: String(cover.id),
      coverAlt: 'An orange banner',
    });
    expect(res.status).toBe(302);
    const row = await site.knex('articles').where({ title: 'With pictures' }).first();
    expect(Number(row.cover_image_id)).toBe(cover.id);
    expect(row.body_html).toContain(
      `<img src="/images/${inline.id}/1280.webp" srcset="/images/${inline.id}/640.webp 640w, /images/${inline.id}/1280.webp 1280w, /images/${inline.id}/1920.webp 1920w" sizes="(max-width: 760px) 100vw, 720px" alt="An orange square" loading="lazy" decoding="async" />`,
    );
    const page = await bob.get(`/articles/${row.id}`);
    expect(page.text).toContain(`<figure class="article-cover"><img src="/images/${cover.id}/1280.webp"`);
    expect(page.text).toContain('alt="An orange banner"');
    const home = await request(site.app).get('/');
    expect(home.text).toContain(`<div class="card-cover"><img src="/images/${cover.id}/640.webp"`);
  });

  test('a cover without a description, or one that does not exist, is refused next to its field', async () => {
    const cover = (await upload(await photo(400, 300), 'image/jpeg')).body;
    const noAlt = await publish({ title: 'Cover test', body: 'b', coverImageId: String(cover.id) });
    expect(noAlt.status).toBe(422);
    expect(noAlt.text).toContain('<p id="coverAlt-error" class="field-error">Describe the cover image for readers who cannot see it.</p>');
    const missing = await publish({ title: 'Cover test', body: 'b', coverImageId: '987654', coverAlt: 'x' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('The cover image was not found: upload it again.');
    expect(await site.knex('articles').where({ title: 'Cover test' }).first()).toBeUndefined();
  });
});
