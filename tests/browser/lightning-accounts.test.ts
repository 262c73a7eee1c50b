/**
 * Journeys in headless Chromium for the Lightning logins and the account page: logging in by
 * signing with a devnet node; logging in with an LNURL-auth wallet, the waiting page going on by
 * itself when the wallet approves; linking a node on the account page; changing the password;
 * the library with its proof of payment; deleting the account.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { payInvoice } from '../../src/devnet/pay';
import { signLnurlAuth } from '../../src/devnet/lnurl-auth-wallet';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { launchPages, type BrowserPages, journey, logInThroughForm, DESKTOP, PHONE } from '../helpers/browser';
import { signWithNode, walletSeed } from '../helpers/lightning-login';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let pages: BrowserPages;

beforeAll(async () => {
  [site, pages] = await Promise.all([startTestSite({ watcher: true }), launchPages()]);
  http = await listen(site.app);
});
afterAll(async () => {
  await pages?.close();
  await http?.close();
  await site?.close();
});

const newPage = (options: BrowserContextOptions): Promise<Page> => pages.newPage(options);

test('a reader logs in by signing the message with her node, then chooses a username', async () => {
  const page = await newPage(DESKTOP);
  const j = journey('node login', page);
  const message = await j.step('open the login page', async () => {
    await page.goto(`${http.baseUrl}/login`);
    await page.getByRole('link', { name: 'Log in with your Lightning node' }).click();
    await page.getByRole('heading', { name: 'Log in with your Lightning node' }).waitFor();
    return page.getByLabel('Message to sign').inputValue();
  });
  expect(await page.getByLabel('Run this on your node').inputValue()).toBe(`lncli signmessage "${message}"`);
  await j.step('paste the signature from lncli signmessage', async () => {
    await page.getByLabel('Signature', { exact: true }).fill(await signWithNode(site.devnet.nodes.alice, message));
    await j.shot('signature pasted');
    await page.getByRole('button', { name: 'Continue with my node signature' }).click();
    await page.getByRole('heading', { name: 'Choose a username' }).waitFor();
  });
  await j.step('name the node and choose a username', async () => {
    await page.getByLabel("Your node's public key").fill(site.devnet.nodes.alice.identityPubkey);
    await page.getByLabel('Username').fill('alice-node');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Signed in as alice-node').waitFor();
  });
  expect(await site.knex('user_login_keys').where({ pubkey: site.devnet.nodes.alice.identityPubkey }).first()).toMatchObject({
    kind: 'node',
  });
});

test('a reader scans the LNURL-auth code and the page logs her in by itself', async () => {
  const page = await newPage(PHONE);
  const j = journey('lnurl-auth login', page);
  const lnurl = await j.step('open the wallet login', async () => {
    await page.goto(`${http.baseUrl}/login`);
    await page.getByRole('link', { name: 'Log in with a Lightning wallet' }).click();
    await page.getByRole('img', { name: 'QR code of the LNURL-auth link' }).waitFor();
    await page.getByText('Waiting for your wallet…').waitFor();
    return page.getByRole('textbox', { name: 'LNURL' }).inputValue();
  });
  await j.shot('waiting for the wallet');
  const wallet = signLnurlAuth(walletSeed(site.devnet.dir, 'bob'), lnurl);
  await j.step('the wallet approves; the page goes on without a click', async () => {
    const u = new URL(wallet.callbackUrl);
    const answer = await (await fetch(`${http.baseUrl}${u.pathname}${u.search}`)).json();
    expect(answer).toEqual({ status: 'OK' });
    await page.getByRole('heading', { name: 'Choose a username' }).waitFor();
  });
  await j.step('choose a username', async () => {
    await page.getByLabel('Username').fill('bob-wallet');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Signed in as bob-wallet').waitFor();
  });
  expect(await site.knex('user_login_keys').where({ pubkey: wallet.linkingKey }).first()).toMatchObject({ kind: 'lnurl' });
});

test('a reader links her node on the account page and changes her password', async () => {
  const page = await newPage(DESKTOP);
  const j = journey('link node and change password', page);
  await j.step('log in with the password', () => logInThroughForm(page, http.baseUrl, 'bob'));
  await j.step('link the node', async () => {
    await page.getByRole('link', { name: 'Account' }).click();
    const command = await page.getByLabel('Run this on your node').inputValue();
    const message = /^lncli signmessage "(.*)"$/.exec(command)![1];
    await page.getByLabel("Your node's public key").fill(site.devnet.nodes.bob.identityPubkey);
    await page.locator('#link-signature').fill(await signWithNode(site.devnet.nodes.bob, message));
    await page.getByRole('button', { name: 'Link this node' }).click();
    await page.getByText('Your node key is linked').waitFor();
    await page.getByText(site.devnet.nodes.bob.identityPubkey).waitFor();
  });
  await j.shot('node linked');
  await j.step('change the password', async () => {
    await page.getByLabel('Current password').fill('bob-password');
    await page.getByLabel('New password', { exact: true }).fill('bob-new-password');
    await page.getByLabel('Repeat the new password').fill('bob-new-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password was changed.').waitFor();
  });
  const other = await newPage(DESKTOP);
  await j.step('the new password works elsewhere', () => logInThroughForm(other, http.baseUrl, 'bob', 'bob-new-password'));
});

test('a reader pays for an article, finds it in her library with the proof, then deletes her account', async () => {
  const page = await newPage(DESKTOP);
  const j = journey('library and deletion', page);
  await j.step('sign up', async () => {
    await page.goto(`${http.baseUrl}/signup`);
    await page.getByLabel('Username').fill('ivy-reads');
    await page.getByLabel('Password', { exact: true }).fill('ivy-reads-password');
    await page.getByLabel('Repeat the password').fill('ivy-reads-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Signed in as ivy-reads').waitFor();
  });
  const [article] = await site.knex('articles').where({ status: 'published' }).orderBy('id').limit(1);
  await j.step('pay for an article', async () => {
    await page.goto(`${http.baseUrl}/articles/${article.id}`);
    const invoice = await page.getByRole('textbox', { name: 'Lightning invoice' }).inputValue();
    expect((await payInvoice(site.devnet.nodes.alice, invoice)).status).toBe('SUCCEEDED');
    await page.locator('.article-body').waitFor();
  });
  const hash = (
    await site.knex('payments as p').join('users as u', 'u.id', 'p.user_id').where('u.username', 'ivy-reads').first('p.payment_hash')
  ).payment_hash;
  await j.step('open the library', async () => {
    await page.goto(`${http.baseUrl}/account/library`);
    await page.getByRole('link', { name: article.title }).waitFor();
    await page.getByText(hash).waitFor();
    await page.getByRole('link', { name: 'Download as CSV' }).waitFor();
  });
  const row = page.locator(`tr[data-payment-hash="${hash}"]`);
  expect(await row.textContent()).toMatch(/preimage [0-9a-f]{64}/);
  await j.shot('library');
  await j.step('delete the account', async () => {
    await page.goto(`${http.baseUrl}/account`);
    await page.getByRole('link', { name: 'Delete your account…' }).click();
    await page.getByLabel('Take them down').check();
    await page.getByLabel('Your password').fill('ivy-reads-password');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('heading', { name: 'Your account is deleted' }).waitFor();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
  });
  expect(
    await site
      .knex('users')
      .whereRaw("username LIKE 'deleted user %'")
      .whereNotNull('deleted_at')
      .count('* as n')
      .then(([r]) => Number(r.n)),
  ).toBe(1);
});
