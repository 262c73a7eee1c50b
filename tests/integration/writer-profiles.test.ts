/**
 * Writer profiles over HTTP against a real database and the real image pipeline: a writer edits
 * their display name, bio and picture on the account page (CSRF, errors next to the fields, bad
 * input changes nothing); readers see them on the writer's page, in the article byline, on cards
 * and in the JSON API (validated against the OpenAPI document); without a picture, initials.
 */
import request from 'supertest';
import sharp from 'sharp';
import { startTestSite, loggedInAgent, csrfFrom, type TestSite } from '../helpers/site';
import { eventually, listen } from '../helpers/http';
import { apiFetch, useOpenApiFrom } from '../helpers/openapi-check';
import { deleteAccount } from '../../src/accounts/account-page/delete-account';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
type Agent = Awaited<ReturnType<typeof loggedInAgent>>;
let carol: Agent;
let articleId: number;

const profileRow = () => site.knex('users').where({ username: 'carol' }).first('display_name', 'bio', 'avatar_image_id');

async function saveProfile(agent: Agent, fields: Record<string, string>, csrf?: string) {
  const token = csrf ?? csrfFrom((await agent.get('/account')).text);
  return agent
    .post('/account/profile')
    .type('form')
    .send({ _csrf: token, ...fields });
}

async function uploadPicture(agent: Agent): Promise<number> {
  const csrf = csrfFrom((await agent.get('/account')).text);
  const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#2a6fc8' } })
    .png()
    .toBuffer();
  const res = await agent.post('/images').set('content-type', 'image/png').set('x-csrf-token', csrf).send(png);
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  site = await startTestSite();
  http = await listen(site.app);
  await useOpenApiFrom(http.baseUrl);
  const bcryptHash = (await site.knex('users').where({ username: 'bob' }).first('password_hash')).password_hash;
  // carol: a writer of her own for this file (her password is bob's, so the hash is reused).
  const [row] = await site.knex('users').insert({ username: 'carol', password_hash: bcryptHash, role: 'reader' }).returning('id');
  carol = await loggedInAgent(site.app, 'carol', 'bob-password');
  const [a] = await site
    .knex('articles')
    .insert({ author_id: row.id, title: 'Carol on channels', teaser: 'Free part.', body: 'Paid part.', price_sat: 21, status: 'published' })
    .returning('id');
  articleId = Number(a.id);
});
afterAll(async () => {
  await http.close();
  await site.close();
});

test('without a profile, a writer is shown by username with initials instead of a picture', async () => {
  const page = await request(site.app).get('/writers/carol');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<h1 class="page-title">carol</h1>');
  expect(page.text).toMatch(/<span class="avatar avatar-lg avatar-initials" aria-hidden="true">C<\/span>/);
  const article = await request(site.app).get(`/articles/${articleId}`);
  expect(article.text).toMatch(/<span class="avatar avatar-md avatar-initials" aria-hidden="true">C<\/span><span>By carol<\/span>/);
});

test('a writer saves a name, a bio and a picture; readers see them on the writer page, the byline, cards and the API', async () => {
  const pictureId = await uploadPicture(carol);
  const saved = await saveProfile(carol, {
    displayName: '  Carol   Nakamoto ',
    bio: 'Writes about <b>channels</b> & fees.\r\nSecond line.',
    avatarImageId: String(pictureId),
  });
  expect(saved.status).toBe(302);
  expect(saved.headers.location).toBe('/account?notice=profile-saved#profile-heading');
  expect(await profileRow()).toEqual({
    display_name: 'Carol Nakamoto',
    bio: 'Writes about <b>channels</b> & fees.\nSecond line.',
    avatar_image_id: pictureId,
  });

  const account = await carol.get('/account?notice=profile-saved');
  expect(account.text).toContain('Your profile is saved');
  expect(account.text).toContain('value="Carol Nakamoto"');

  // The writer page: name, @username, the bio as text (never HTML), the picture.
  const page = await request(site.app).get('/writers/carol');
  expect(page.text).toContain('<h1 class="page-title">Carol Nakamoto</h1>');
  expect(page.text).toContain('<p class="writer-username">@carol</p>');
  expect(page.text).toContain('Writes about &lt;b&gt;channels&lt;/b&gt; &amp; fees.\nSecond line.');
  expect(page.text).not.toContain('<b>channels</b>');
  expect(page.text).toContain(`<img class="avatar avatar-lg" src="/images/${pictureId}/320.webp"`);
  expect(page.text).toContain('<meta name="description" content="Writes about &lt;b&gt;channels&lt;/b&gt;');

  // The byline of an article in every process's page cache: the change is announced to all of them.
  const byline = await eventually(async () => {
    const res = await request(site.app).get(`/articles/${articleId}`);
    return res.text.includes('<span>By Carol Nakamoto</span>') ? res.text : undefined;
  }, 'the byline shows the new name');
  expect(byline).toContain(`<img class="avatar avatar-md" src="/images/${pictureId}/320.webp"`);
  const home = await eventually(async () => {
    const res = await request(site.app).get('/');
    return res.text.includes('>Carol Nakamoto</a>') ? res.text : undefined;
  }, 'the home card shows the new name');
  expect(home).toContain('href="/writers/carol">Carol Nakamoto</a>');

  // The picture is served from the image pipeline's stored variants.
  const img = await request(site.app).get(`/images/${pictureId}/320.webp`);
  expect(img.status).toBe(200);
  expect(img.headers['content-type']).toBe('image/webp');
  expect((await sharp(img.body).metadata()).width).toBe(320);

  // The API's writer objects carry the profile, and the document describes them.
  const one = await apiFetch(`${http.baseUrl}/api/v1/writers/carol`);
  expect(one.status).toBe(200);
  expect(one.json).toMatchObject({
    username: 'carol',
    displayName: 'Carol Nakamoto',
    bio: 'Writes about <b>channels</b> & fees.\nSecond line.',
    avatarUrl: `http://reads.test/images/${pictureId}/320.webp`,
  });
  const list = await apiFetch(`${http.baseUrl}/api/v1/writers?limit=100`);
  expect(list.json.writers.find((w: { username: string }) => w.username === 'carol')).toMatchObject({ displayName: 'Carol Nakamoto' });
  const bob = list.json.writers.find((w: { username: string }) => w.username === 'bob');
  if (bob) expect(bob).toMatchObject({ displayName: 'bob', bio: null, avatarUrl: null });
});

test.each([
  ['a 61-character name', { displayName: 'x'.repeat(61) }, 'displayName', 'The name can be at most 60 characters (it has 61).'],
  [
    'a name with a right-to-left override',
    { displayName: 'Carol\u202eevil' },
    'displayName',
    'The name can only have letters, digits, spaces and punctuation.',
  ],
  ['a 301-character bio', { bio: 'b'.repeat(301) }, 'bio', 'The bio can be at most 300 characters (it has 301)'],
  ['a picture id that is no number', { avatarImageId: 'abc' }, 'avatar', 'The picture was not found: upload it again.'],
])('%s is refused next to its field and changes nothing', async (_label, fields, field, message) => {
  const before = await profileRow();
  const res = await saveProfile(carol, { displayName: 'Changed', bio: 'Changed', ...fields });
  expect(res.status).toBe(422);
  expect(res.text).toContain('Your profile was not saved.');
  expect(res.text).toContain(`<p id="profile-${field}-error" class="field-error">${message}`);
  // What was typed comes back to be fixed.
  expect(res.text).toContain('Changed');
  expect(await profileRow()).toEqual(before);
});

test("someone else's picture cannot be your avatar", async () => {
  const bob = await loggedInAgent(site.app, 'bob');
  const bobsPicture = await uploadPicture(bob);
  const before = await profileRow();
  const res = await saveProfile(carol, { displayName: 'Carol', avatarImageId: String(bobsPicture) });
  expect(res.status).toBe(422);
  expect(res.text).toContain('The picture was not found among your uploads: upload it again.');
  expect(await profileRow()).toEqual(before);
});

test('a post without the CSRF token changes nothing; anonymous visitors are sent to log in', async () => {
  const before = await profileRow();
  const res = await carol.post('/account/profile').type('form').send({ displayName: 'Forged' });
  expect(res.status).toBe(403);
  expect(await profileRow()).toEqual(before);
  const anon = await request(site.app).post('/account/profile').type('form').send({ displayName: 'Forged' });
  expect([302, 403]).toContain(anon.status);
  expect(await profileRow()).toEqual(before);
});

test('removing the picture and emptying the fields brings back the username and initials', async () => {
  const res = await saveProfile(carol, { displayName: '', bio: '   ', avatarImageId: '1', removeAvatar: 'on' });
  expect(res.status).toBe(302);
  expect(await profileRow()).toEqual({ display_name: null, bio: null, avatar_image_id: null });
  const page = await request(site.app).get('/writers/carol');
  expect(page.text).toContain('<h1 class="page-title">carol</h1>');
  expect(page.text).toContain('avatar-initials');
  expect(page.text).not.toContain('writer-bio');
});

test('a deleted account that keeps its articles: cached bylines drop its name (the users trigger announces it)', async () => {
  const [dave] = await site
    .knex('users')
    .insert({ username: 'dave', password_hash: null, role: 'reader', display_name: 'Dave Writer' })
    .returning('id');
  const [a] = await site
    .knex('articles')
    .insert({ author_id: dave.id, title: 'Dave on fees', teaser: 'Free part.', body: 'Paid part.', price_sat: 21, status: 'published' })
    .returning('id');
  // Read once: the article, with its byline, is now in the page cache.
  expect((await request(site.app).get(`/articles/${a.id}`)).text).toContain('<span>By Dave Writer</span>');
  expect(await deleteAccount(site.knex, dave.id, { removeArticles: false })).toBe(true);
  const page = await eventually(async () => {
    const res = await request(site.app).get(`/articles/${a.id}`);
    return res.text.includes('Dave Writer') ? undefined : res.text;
  }, 'the byline to drop the deleted writer');
  expect(page).toContain(`deleted user ${dave.id}`);
});
