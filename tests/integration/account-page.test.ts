/**
 * The account page over the real site and devnet: linking a node key (signed by the devnet's bob,
 * checked by the site's node) and removing keys (never the last way in; a key belongs to one
 * account), changing and setting a password (other sessions end), the library with proofs of
 * payment and its CSV (a hidden article stays listed), and deleting an account.
 */
import { createHash } from 'node:crypto';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, paymentRequestFrom, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { cookieClient, csrf, signWithNode, textarea, type CookieClient } from '../helpers/lightning-login';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  site = await startTestSite();
  http = await listen(site.app);
});
afterAll(async () => {
  await http?.close();
  await site?.close();
});

async function passwordLogin(username: string, password = `${username}-password`): Promise<CookieClient> {
  const c = cookieClient(http.baseUrl);
  const page = await c.get('/login');
  const res = await c.post('/login', { _csrf: csrf(page.text), username, password, next: '/' });
  if (res.status !== 302) throw new Error(`login as ${username}: ${res.status}`);
  return c;
}

async function signup(username: string, password = `${username}-password`): Promise<CookieClient> {
  const c = cookieClient(http.baseUrl);
  const page = await c.get('/signup');
  const res = await c.post('/signup', { _csrf: csrf(page.text), username, password, passwordConfirm: password, next: '/' });
  if (res.status !== 302) throw new Error(`signup ${username}: ${res.status} ${res.text.slice(0, 200)}`);
  return c;
}

const userId = async (username: string) => Number((await site.knex('users').where({ username }).first('id')).id);
const signedIn = async (c: CookieClient) => /Signed in as <strong>([^<]+)<\/strong>/.exec((await c.get('/')).text)?.[1] ?? null;

/** Signs the account page's link message with a devnet node and posts it. */
async function linkNode(c: CookieClient, node: 'alice' | 'bob', pubkey = site.devnet.nodes[node].identityPubkey) {
  const page = await c.get('/account');
  const command = textarea(page.text, 'link-command');
  const message = /^lncli signmessage "(.*)"$/.exec(command)![1];
  expect(message).toMatch(/^Link this node to my account on reads\.test with code [0-9a-f]{32}/);
  return c.post('/account/link/node', { _csrf: csrf(page.text), pubkey, signature: await signWithNode(site.devnet.nodes[node], message) });
}

test('linking a node key: shown on the account page, one account per key, never the last way in', async () => {
  const carol = await signup('carol-links');
  const linked = await linkNode(carol, 'bob');
  expect(linked.location).toBe('/account?notice=node-linked');
  const page = await carol.get('/account?notice=node-linked');
  expect(page.text).toContain('Your node key is linked');
  expect(page.text).toContain(site.devnet.nodes.bob.identityPubkey);
  const key = await site.knex('user_login_keys').where({ pubkey: site.devnet.nodes.bob.identityPubkey }).first();
  expect(key).toMatchObject({ user_id: await userId('carol-links'), kind: 'node' });

  // The key now logs carol in through the login page.
  const browser = cookieClient(http.baseUrl);
  const login = await browser.get('/login/node');
  const message = textarea(login.text, 'node-message');
  await browser.post('/login/node', { _csrf: csrf(login.text), signature: await signWithNode(site.devnet.nodes.bob, message) });
  expect(await signedIn(browser)).toBe('carol-links');

  // Another account cannot take it; a signature by another node than the key typed is refused.
  const dave = await signup('dave-links');
  const taken = await linkNode(dave, 'bob');
  expect(taken.status).toBe(409);
  expect(taken.text).toContain('This node key already belongs to another account.');
  const wrong = await linkNode(dave, 'alice', site.devnet.nodes.bob.identityPubkey);
  expect(wrong.status).toBe(400);
  expect(wrong.text).toContain('That signature was not made by that node over the message shown.');
  expect(await site.knex('user_login_keys').where({ user_id: await userId('dave-links') })).toEqual([]);

  // Removing: allowed while a password remains.
  const removed = await carol.post(`/account/keys/${key.id}/remove`, { _csrf: csrf((await carol.get('/account')).text) });
  expect(removed.location).toBe('/account?notice=key-removed');
  expect(await site.knex('user_login_keys').where({ id: key.id })).toEqual([]);
});

test('a Lightning-only account cannot remove its only key; after setting a password it can', async () => {
  const browser = cookieClient(http.baseUrl);
  const login = await browser.get('/login/node');
  const signature = await signWithNode(site.devnet.nodes.alice, textarea(login.text, 'node-message'));
  await browser.post('/login/node', { _csrf: csrf(login.text), signature });
  const form = await browser.get('/login/lightning/new');
  await browser.post('/login/lightning/new', {
    _csrf: csrf(form.text),
    pubkey: site.devnet.nodes.alice.identityPubkey,
    username: 'erin-node',
  });
  expect(await signedIn(browser)).toBe('erin-node');
  const key = await site.knex('user_login_keys').where({ pubkey: site.devnet.nodes.alice.identityPubkey }).first();

  let page = await browser.get('/account');
  expect(page.text).toContain('Password: none yet');
  expect(page.text).toContain('Set a password');
  const refused = await browser.post(`/account/keys/${key.id}/remove`, { _csrf: csrf(page.text) });
  expect(refused.status).toBe(409);
  expect(refused.text).toContain('This is your only way to log in, so it cannot be removed.');
  expect(await site.knex('user_login_keys').where({ id: key.id })).toHaveLength(1);

  page = await browser.get('/account');
  const set = await browser.post('/account/password', {
    _csrf: csrf(page.text),
    newPassword: 'erin-new-password',
    newPasswordConfirm: 'erin-new-password',
  });
  expect(set.location).toBe('/account?notice=password-set');
  expect(await signedIn(await passwordLogin('erin-node', 'erin-new-password'))).toBe('erin-node');
  page = await browser.get('/account');
  expect((await browser.post(`/account/keys/${key.id}/remove`, { _csrf: csrf(page.text) })).location).toBe('/account?notice=key-removed');
});

test('changing the password asks for the current one and logs every other session out', async () => {
  const here = await signup('frank-pass');
  const elsewhere = await passwordLogin('frank-pass');
  const before = (await site.knex('users').where({ username: 'frank-pass' }).first()).password_hash;

  let page = await here.get('/account');
  const wrong = await here.post('/account/password', {
    _csrf: csrf(page.text),
    currentPassword: 'not-it-at-all',
    newPassword: 'frank-second-pw',
    newPasswordConfirm: 'frank-second-pw',
  });
  expect(wrong.status).toBe(422);
  expect(wrong.text).toContain('Your current password is not right.');
  expect((await site.knex('users').where({ username: 'frank-pass' }).first()).password_hash).toBe(before);

  page = await here.get('/account');
  const ok = await here.post('/account/password', {
    _csrf: csrf(page.text),
    currentPassword: 'frank-pass-password',
    newPassword: 'frank-second-pw',
    newPasswordConfirm: 'frank-second-pw',
  });
  expect(ok.location).toBe('/account?notice=password-changed');
  expect(await signedIn(here)).toBe('frank-pass');
  expect(await signedIn(elsewhere)).toBeNull();
  expect(await signedIn(await passwordLogin('frank-pass', 'frank-second-pw'))).toBe('frank-pass');

  const third = await passwordLogin('frank-pass', 'frank-second-pw');
  page = await here.get('/account');
  expect((await here.post('/account/sessions/end-others', { _csrf: csrf(page.text) })).location).toBe('/account?notice=sessions-ended');
  expect(await signedIn(third)).toBeNull();
  expect(await signedIn(here)).toBe('frank-pass');
});

test('the library lists every payment with its proof; a hidden article stays with date and reason; CSV too', async () => {
  const reader = await signup('gina-reads');
  const [article] = await site.knex('articles').where({ status: 'published' }).orderBy('id').limit(1);
  const view = await reader.get(`/articles/${article.id}`);
  const paid = await payInvoice(site.devnet.nodes.alice, paymentRequestFrom(view.text));
  expect(paid.status).toBe('SUCCEEDED');
  expect((await reader.get(`/articles/${article.id}?check=true`)).text).toContain('Payment received');
  const hash = (
    await site
      .knex('payments')
      .where({ user_id: await userId('gina-reads') })
      .first()
  ).payment_hash;

  let page = await reader.get('/account/library');
  expect(page.status).toBe(200);
  expect(page.text).toContain(article.title);
  expect(page.text).toContain(hash);
  const preimage = new RegExp(`data-payment-hash="${hash}"[\\s\\S]*?preimage <code>([0-9a-f]{64})</code>`).exec(page.text)![1];
  expect(createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex')).toBe(hash);
  expect(preimage).toBe(paid.status === 'SUCCEEDED' ? paid.preimage : '');
  expect((await site.knex('payment_invoices').where({ payment_hash: hash }).first()).preimage).toBe(preimage);

  await site.knex('articles').where({ id: article.id }).update({ status: 'deleted by admin', hidden_reason: 'Plagiarised' });
  await site
    .knex('moderation_log')
    .insert({ action: 'hide', article_id: article.id, reason: 'Plagiarised', created_at: new Date('2026-11-20T10:00:00Z') });
  page = await reader.get('/account/library');
  expect(page.text).toContain('Hidden on <time datetime="2026-11-20T10:00:00.000Z">2026-11-20</time>: Plagiarised');

  const csv = await reader.get('/account/library.csv');
  expect(csv.status).toBe(200);
  const lines = csv.text.trim().split('\r\n');
  expect(lines[0]).toBe('date,kind,article_id,article_title,amount_sat,payment_hash,preimage,article_status,hidden_reason');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`,article,${article.id},`);
  expect(lines[1]).toContain(`,${hash},${preimage},hidden,Plagiarised`);
  await site.knex('articles').where({ id: article.id }).update({ status: 'published', hidden_reason: null });
});

test('deleting an account: credentials go, payments stay under "deleted user", the name is retired', async () => {
  const writer = await signup('hank-leaves');
  const id = await userId('hank-leaves');
  const [article] = await site
    .knex('articles')
    .insert({ author_id: id, title: 'Hank writes', teaser: 't', body: 'b', price_sat: 10, status: 'published' })
    .returning('id');
  const other = await passwordLogin('hank-leaves');
  const [paidFor] = await site.knex('articles').where({ status: 'published' }).whereNot({ author_id: id }).orderBy('id', 'desc').limit(1);
  expect((await payInvoice(site.devnet.nodes.bob, paymentRequestFrom((await writer.get(`/articles/${paidFor.id}`)).text))).status).toBe(
    'SUCCEEDED',
  );
  expect((await writer.get(`/articles/${paidFor.id}?check=true`)).text).toContain('Payment received');

  let page = await writer.get('/account/delete');
  const wrong = await writer.post('/account/delete', { _csrf: csrf(page.text), password: 'nope-nope-nope', articles: 'remove' });
  expect(wrong.status).toBe(422);
  expect(wrong.text).toContain('Your password is not right.');
  expect((await site.knex('users').where({ id }).first()).deleted_at).toBeNull();

  page = await writer.get('/account/delete');
  const done = await writer.post('/account/delete', { _csrf: csrf(page.text), password: 'hank-leaves-password', articles: 'remove' });
  expect(done.status).toBe(200);
  expect(done.text).toContain('Your account is deleted');
  const row = await site.knex('users').where({ id }).first();
  expect(row).toMatchObject({ username: `deleted user ${id}`, password_hash: null });
  expect(row.deleted_at).toBeInstanceOf(Date);
  expect(await signedIn(writer)).toBeNull();
  expect(await signedIn(other)).toBeNull();
  expect(await site.knex('session').whereRaw(`sess #>> '{passport,user}' = ?`, [String(id)])).toEqual([]);
  expect(
    await site
      .knex('articles')
      .where({ id: article.id ?? article })
      .first(),
  ).toMatchObject({ status: 'deleted by admin', hidden_reason: 'Removed by its writer, who deleted their account.' });

  // The payment stays for the books, attributed to the deleted user.
  expect(await site.knex('payments').where({ user_id: id })).toEqual([
    expect.objectContaining({ article_id: paidFor.id, status: 'complete' }),
  ]);

  // The name cannot be taken again, in any case.
  const c = cookieClient(http.baseUrl);
  const form = await c.get('/signup');
  const again = await c.post('/signup', {
    _csrf: csrf(form.text),
    username: 'Hank-Leaves',
    password: 'whatever-pw',
    passwordConfirm: 'whatever-pw',
  });
  expect(again.status).toBe(422);
  expect(again.text).toContain('That username is taken.');
  const login = await c.get('/login');
  expect((await c.post('/login', { _csrf: csrf(login.text), username: 'hank-leaves', password: 'hank-leaves-password' })).status).toBe(401);
});
