/**
 * The built site killed (SIGKILL) after SendPaymentV2 was sent and the node's answer arrived, before
 * the result was recorded (PAYOUT_FAULT=kill-after-send, a test hook refused in production). At the
 * next start the withdrawal is tracked and ends exactly once: one payment, one debit, books balanced.
 */
import { payInvoice } from '../../src/devnet/pay';
import { createLndClients } from '../../src/devnet/client';
import { nodePaths } from '../../src/devnet/node-store';
import { loginCookie, eventually } from '../helpers/http';
import { paymentRequestFrom } from '../helpers/site';
import { buildSite, siteDirs, startSiteProcess, querySite, discardSites, type SiteDirs, type SiteProcess } from '../helpers/site-process';

jest.setTimeout(180_000);

let server: string;
const running: SiteProcess[] = [];
let dirs: SiteDirs;

beforeAll(async () => {
  server = buildSite();
  dirs = await siteDirs();
});
afterAll(() => discardSites(running, [dirs]));

const query = <T = Record<string, any>>(sql: string, params: unknown[] = []) => querySite<T>(dirs, sql, params); // eslint-disable-line @typescript-eslint/no-explicit-any

const wallet = (name: 'site' | 'alice' | 'bob') => {
  const paths = nodePaths(dirs.devnetDir, name);
  const port = { site: dirs.env.DEVNET_SITE_PORT, alice: dirs.env.DEVNET_ALICE_PORT, bob: dirs.env.DEVNET_BOB_PORT }[name];
  return { grpcHost: `127.0.0.1:${port}`, tlsCertPath: paths.tlsCert, macaroonPath: paths.adminMacaroon };
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(name: 'site' | 'alice', method: string, req: object): Promise<any> {
  const clients = createLndClients(wallet(name));
  try {
    return await new Promise((resolve, reject) =>
      (clients.lightning as unknown as Record<string, (r: object, cb: (e: Error | null, v: unknown) => void) => void>)[method](
        req,
        (e, v) => (e ? reject(e) : resolve(v)),
      ),
    );
  } finally {
    clients.close();
  }
}

async function form(path: string, cookie: string, body: Record<string, string>) {
  const page = await (await fetch(`${dirs.baseUrl}/me/payouts`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
  return fetch(`${dirs.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: dirs.baseUrl },
    body: new URLSearchParams({ ...body, _csrf: csrf }).toString(),
  });
}

test('killed between the node paying and the site recording: on restart the withdrawal ends exactly once', async () => {
  const first = await startSiteProcess(server, dirs, { PAYOUT_FAULT: 'kill-after-send' });
  running.push(first);
  const [alice] = await query<{ id: number }>(`SELECT id FROM users WHERE username = 'alice'`);
  const [article] = await query<{ id: number }>(
    `INSERT INTO articles (author_id, title, teaser, body, teaser_html, body_html, price_sat, status)
     VALUES ($1, 'Alice on faults', 't', 'b', '<p>t</p>', '<p>b</p>', 2000, 'published') RETURNING id`,
    [alice.id],
  );
  // bob pays to read alice's article: alice earns 1800.
  const bob = await loginCookie(dirs.baseUrl, 'bob');
  const pr = paymentRequestFrom(await (await fetch(`${dirs.baseUrl}/articles/${article.id}`, { headers: { cookie: bob } })).text());
  expect((await payInvoice(wallet('bob'), pr)).status).toBe('SUCCEEDED');
  await eventually(
    async () => ((await query(`SELECT 1 FROM balances WHERE user_id = $1 AND balance_sat = 1800`, [alice.id])).length ? true : undefined),
    'alice to be credited',
  );
  // The site's channel to alice needs outbound balance: alice pays the site node 10,000 sats.
  const topUp = await call('site', 'AddInvoice', { value: '10000' });
  expect((await payInvoice(wallet('alice'), topUp.payment_request)).status).toBe('SUCCEEDED');

  const invoice = await call('alice', 'AddInvoice', { value: '500', memo: 'my earnings' });
  const aliceCookie = await loginCookie(dirs.baseUrl, 'alice');
  const res = await form('/me/payouts/invoice', aliceCookie, { invoice: invoice.payment_request });
  expect(res.status).toBe(303);
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(first.output.some((l) => l.includes('PAYOUT_FAULT: killing the process'))).toBe(true);

  // The worst moment: the node paid (its state is on disk), the database still says open, 505 held.
  const [open] = await query(`SELECT id, status FROM withdrawals`);
  expect(['requested', 'in_flight']).toContain(open.status);
  expect((await query(`SELECT balance_sat::int AS balance_sat FROM balances WHERE user_id = $1`, [alice.id]))[0].balance_sat).toBe(1295);

  const second = await startSiteProcess(server, dirs);
  running.push(second);
  const done = await eventually(
    async () => {
      const [w] = await query(`SELECT status, amount_sat::int AS amount_sat, fee_sat::int AS fee_sat FROM withdrawals WHERE id = $1`, [
        open.id,
      ]);
      return w.status === 'succeeded' || w.status === 'failed' ? w : undefined;
    },
    'the withdrawal to be finished after the restart',
    60_000,
  );
  expect(done).toMatchObject({ status: 'succeeded', amount_sat: 500, fee_sat: 0 });
  expect(await query(`SELECT count(*)::int AS n FROM withdrawals`)).toEqual([{ n: 1 }]);
  expect(
    (await query(`SELECT kind, amount_sat::int AS amount_sat FROM ledger_entries WHERE withdrawal_id = $1 ORDER BY id`, [open.id])).map(
      (e) => [e.kind, e.amount_sat],
    ),
  ).toEqual([
    ['withdrawal', -505],
    ['fee_reserve_refund', 5],
  ]);
  expect((await query(`SELECT balance_sat::int AS balance_sat FROM balances WHERE user_id = $1`, [alice.id]))[0].balance_sat).toBe(1300);
  const paid = await call('alice', 'LookupInvoice', { r_hash: invoice.r_hash });
  expect(paid).toMatchObject({ state: 'SETTLED', amt_paid_sat: '500' });
  expect(paid.htlcs).toHaveLength(1);

  const admin = await loginCookie(dirs.baseUrl, 'admin');
  const books = await (await fetch(`${dirs.baseUrl}/admin/payouts`, { headers: { cookie: admin } })).text();
  expect(books).toContain('data-books="balanced"');
  expect(books).toContain('data-book="withdrawn">500 sats');

  second.proc.kill('SIGTERM');
  expect(await second.exited).toEqual({ code: 0, signal: null });
});
