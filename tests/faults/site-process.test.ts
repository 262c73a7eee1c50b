/**
 * Faults a test can only produce on the real process: the built site (dist) is started as a child
 * with its own embedded PostgreSQL and devnet, killed with SIGKILL at the worst moment, started
 * again, stopped with SIGTERM, and run as a cluster of workers.
 */
import fs from 'node:fs';
import { payInvoice } from '../../src/devnet/pay';
import { nodePaths } from '../../src/devnet/node-store';
import { loginCookie, openSse, eventually } from '../helpers/http';
import { articleBody, paymentRequestFrom } from '../helpers/site';
import {
  buildSite,
  siteDirs,
  startSiteProcess,
  postgresPids,
  alive,
  querySite,
  discardSites,
  type SiteDirs,
  type SiteProcess,
} from '../helpers/site-process';

jest.setTimeout(120_000);

let server: string;
const running: SiteProcess[] = [];
const cleanup: SiteDirs[] = [];

beforeAll(() => {
  server = buildSite();
});
afterAll(() => discardSites(running, cleanup));

async function start(dirs: SiteDirs, env: Record<string, string> = {}) {
  const p = await startSiteProcess(server, dirs, env);
  running.push(p);
  return p;
}

const query = querySite;

const adminArticle = async (dirs: SiteDirs, offset = 0) =>
  (
    await query<{ id: number }>(
      dirs,
      `SELECT a.id FROM articles a JOIN users u ON u.id = a.author_id WHERE u.username = 'admin' AND a.status = 'published' ORDER BY a.id OFFSET $1 LIMIT 1`,
      [offset],
    )
  )[0].id;

const paymentOf = async (dirs: SiteDirs, username: string, articleId: number) =>
  (
    await query<{ status: string; amount_paid_sat: number | null }>(
      dirs,
      `SELECT p.status, p.amount_paid_sat FROM payments p JOIN users u ON u.id = p.user_id WHERE u.username = $1 AND p.article_id = $2`,
      [username, articleId],
    )
  )[0];

const aliceWallet = (dirs: SiteDirs) => {
  const paths = nodePaths(dirs.devnetDir, 'alice');
  return { grpcHost: `127.0.0.1:${dirs.env.DEVNET_ALICE_PORT}`, tlsCertPath: paths.tlsCert, macaroonPath: paths.adminMacaroon };
};

async function page(dirs: SiteDirs, path: string, cookie: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${dirs.baseUrl}${path}`, { headers: { cookie } });
  return { status: res.status, text: await res.text() };
}

describe('the site killed between the node settling and the database recording', () => {
  test('the payment is credited at the next start, and a PostgreSQL left running by the crash is taken over', async () => {
    const dirs = await siteDirs();
    cleanup.push(dirs);
    const first = await start(dirs);
    const articleId = await adminArticle(dirs);
    const cookie = await loginCookie(dirs.baseUrl, 'alice');
    const pr = paymentRequestFrom((await page(dirs, `/articles/${articleId}`, cookie)).text);

    // Freeze the database (every PostgreSQL process of the site) so the settlement cannot be
    // recorded, pay, and kill the site while it waits on the database.
    const frozen = postgresPids(dirs.dataDir);
    expect(frozen.length).toBeGreaterThan(1);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    let paid;
    try {
      paid = await payInvoice(aliceWallet(dirs), pr);
      first.proc.kill('SIGKILL');
      await first.exited;
    } finally {
      for (const pid of frozen) if (alive(pid)) process.kill(pid, 'SIGCONT');
    }
    expect(paid.status).toBe('SUCCEEDED');

    // The worst moment really happened: the node settled, the database has not recorded it, and
    // the killed site's PostgreSQL is still running, orphaned.
    expect(alive(frozen[0])).toBe(true);
    expect((await paymentOf(dirs, 'alice', articleId)).status).toBe('pending_payment');

    await start(dirs);
    expect(alive(frozen[0])).toBe(false);
    const credited = await eventually(async () => {
      const p = await paymentOf(dirs, 'alice', articleId);
      return p.status === 'complete' ? p : undefined;
    }, 'the payment to be credited after the restart');
    expect(credited.amount_paid_sat).toBeGreaterThan(0);

    // Same session (kept in PostgreSQL, signed with the secret kept in DATA_DIR): the article is open.
    const after = await page(dirs, `/articles/${articleId}`, cookie);
    expect(after.status).toBe(200);
    expect(articleBody(after.text)).not.toBeNull();
  });

  test('SIGTERM: open event streams are closed, the devnet and PostgreSQL are stopped, and the process exits 0', async () => {
    const dirs = cleanup[0];
    const current = running[running.length - 1];
    const articleId = await adminArticle(dirs, 1);
    const cookie = await loginCookie(dirs.baseUrl, 'bob');
    expect((await page(dirs, `/articles/${articleId}`, cookie)).status).toBe(200);
    const stream = await openSse(`${dirs.baseUrl}/articles/${articleId}/events`, cookie);
    expect(stream.status).toBe(200);
    const pgPids = postgresPids(dirs.dataDir);

    current.proc.kill('SIGTERM');
    // Exiting at all means the open event stream was ended: the server waits for every connection.
    const exit = await current.exited;
    stream.close();

    expect(exit).toEqual({ code: 0, signal: null });
    const lines = current.output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
    const messages = lines.map((l) => l.msg);
    expect(messages).toContain('shutting down');
    expect(messages).toContain('devnet stopped');
    expect(messages[messages.length - 1]).toBe('stopped');
    for (const pid of pgPids) expect(alive(pid)).toBe(false);
    expect(fs.existsSync(`${dirs.dataDir}/postgres/postmaster.pid`)).toBe(false);
  });
});

describe('WEB_CONCURRENCY=2', () => {
  test('two workers on one database: a reader logged in on any worker pays, and every worker serves the unlocked page', async () => {
    const dirs = await siteDirs();
    cleanup.push(dirs);
    const cluster = await start(dirs, { WEB_CONCURRENCY: '2' });
    const articleId = await adminArticle(dirs);
    const cookie = await loginCookie(dirs.baseUrl, 'alice');
    const pr = paymentRequestFrom((await page(dirs, `/articles/${articleId}`, cookie)).text);
    const stream = await openSse(`${dirs.baseUrl}/articles/${articleId}/events`, cookie);

    expect((await payInvoice(aliceWallet(dirs), pr)).status).toBe('SUCCEEDED');
    const complete = await stream.next('complete');
    stream.close();
    expect(JSON.parse(complete.data).articleId).toBe(articleId);

    // New connections are spread over the workers; each of them answers with the article.
    for (let i = 0; i < 6; i += 1) {
      const res = await fetch(`${dirs.baseUrl}/articles/${articleId}`, { headers: { cookie, connection: 'close' } });
      expect(articleBody(await res.text())).not.toBeNull();
    }
    const workers = new Set(
      cluster.output.filter((l) => l.includes('"site listening"')).map((l) => (JSON.parse(l) as { worker: number }).worker),
    );
    expect(workers.size).toBe(2);
    // One scrape, whichever worker answers it, counts the requests of both: 1 + 6 article pages.
    const metrics = await (await fetch(`${dirs.baseUrl}/metrics`)).text();
    const articleViews = metrics
      .split('\n')
      .filter((l) => l.startsWith('http_requests_total{') && l.includes('route="/articles/:id"') && l.includes('status="200"'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    expect(articleViews).toBe(7);
    expect((await query(dirs, `SELECT count(*)::int AS n FROM payments WHERE status = 'complete'`))[0]).toEqual({ n: 1 });

    cluster.proc.kill('SIGTERM');
    expect(await cluster.exited).toEqual({ code: 0, signal: null });
  });
});
