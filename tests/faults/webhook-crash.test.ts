/**
 * The site killed between a change and its webhook: the built site runs as a child process, a
 * reader pays, the site sends payment.completed to a receiver that holds the request open, and
 * the site is killed with SIGKILL while it waits. Started again, it delivers the same event (the
 * same webhook-id) once the dead process's lease has run out, and the receiver verifies it.
 */
import { payInvoice } from '../../src/devnet/pay';
import { nodePaths } from '../../src/devnet/node-store';
import { generateWebhookSecret } from '../../src/webhooks/signing';
import { loginCookie, eventually } from '../helpers/http';
import { paymentRequestFrom } from '../helpers/site';
import { buildSite, siteDirs, startSiteProcess, querySite, discardSites, type SiteDirs, type SiteProcess } from '../helpers/site-process';
import { startReceiver, verifyWith, type Receiver } from '../helpers/webhook-receiver';

jest.setTimeout(180_000);

let dirs: SiteDirs;
let receiver: Receiver;
const running: SiteProcess[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  discardSites(running, [dirs]);
  await receiver.stop();
});

const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => querySite<T>(dirs, sql, params);

test('a webhook in flight when the site is killed is delivered after the restart, with the same webhook-id', async () => {
  const server = buildSite();
  dirs = await siteDirs();
  const env = { WEBHOOK_TIMEOUT_MS: '2000' };
  const first = await startSiteProcess(server, dirs, env);
  running.push(first);
  const secret = generateWebhookSecret();
  await query(`INSERT INTO webhook_endpoints (url, events, secret) VALUES ($1, $2, $3)`, [receiver.url, ['payment.completed'], secret]);

  // The receiver holds the first request open: the site is killed while it waits for the answer.
  let firstArrived!: () => void;
  const arrived = new Promise<void>((r) => (firstArrived = r));
  receiver.answer = () => {
    if (receiver.received.length === 1) {
      firstArrived();
      return { hold: new Promise<void>(() => undefined), status: 200 };
    }
    return { status: 200 };
  };

  const [{ id: articleId }] = await query<{ id: number }>(
    `SELECT a.id FROM articles a JOIN users u ON u.id = a.author_id WHERE u.username = 'admin' AND a.status = 'published' ORDER BY a.id LIMIT 1`,
  );
  const cookie = await loginCookie(dirs.baseUrl, 'alice');
  const pr = paymentRequestFrom(await (await fetch(`${dirs.baseUrl}/articles/${articleId}`, { headers: { cookie } })).text());
  const alicePaths = nodePaths(dirs.devnetDir, 'alice');
  const paid = await payInvoice(
    { grpcHost: `127.0.0.1:${dirs.env.DEVNET_ALICE_PORT}`, tlsCertPath: alicePaths.tlsCert, macaroonPath: alicePaths.adminMacaroon },
    pr,
  );
  expect(paid.status).toBe('SUCCEEDED');

  await arrived;
  first.proc.kill('SIGKILL');
  await first.exited;
  const [inFlight] = await query<{ status: string; attempts: number }>(`SELECT status, attempts FROM webhook_deliveries`);
  expect(inFlight).toMatchObject({ status: 'pending', attempts: 1 });

  running.push(await startSiteProcess(server, dirs, env));
  const delivered = await eventually(
    async () => {
      const [d] = await query<{ status: string; attempts: number }>(`SELECT status, attempts FROM webhook_deliveries`);
      return d.status === 'succeeded' ? d : undefined;
    },
    'the webhook to be delivered after the restart',
    90_000,
  );
  expect(delivered.attempts).toBe(2);
  const got = await receiver.waitFor(2);
  expect(got).toHaveLength(2);
  expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
  const body = verifyWith(secret, got[1]) as { type: string; data: { articleId: number } };
  expect(body).toMatchObject({ type: 'payment.completed', data: { articleId } });
  const [payment] = await query<{ status: string }>(
    `SELECT p.status FROM payments p JOIN users u ON u.id = p.user_id WHERE u.username = 'alice' AND p.article_id = $1`,
    [articleId],
  );
  expect(payment.status).toBe('complete');
});
