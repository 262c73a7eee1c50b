/**
 * `npm run soak`: paid views while the Lightning node and the site are restarted at random points,
 * then a count of payments lost. Loopback only, bounded in time.
 *
 * The devnet runs as its own process (the way a real LND does), the site as another, built by
 * `npm run build`, pointed at it with LND_GRPC_HOST/LND_TLS_CERT_PATH/LND_MACAROON_PATH. Readers
 * sign up, open articles and pay from the devnet wallets; between views the script kills the site
 * (SIGKILL, sometimes right after a payment, before the site could record it), stops it with
 * SIGTERM, or kills the node. At the end, every invoice that the wallet paid must belong to a
 * complete payment: anything else is a lost payment.
 *
 * SOAK_VIEWS (default 200) paid views, SOAK_SECONDS (default 600) at most, SOAK_FAULT_EVERY
 * (default 12) views between faults on average, SOAK_SEED for a repeatable run.
 *
 * Withdrawals (tests/soak/withdrawals.ts): after each paid view the writer of the demo articles
 * withdraws SOAK_WITHDRAWAL_SAT (default 20) to a wallet's invoice, SOAK_WITHDRAWALS (default 200) in
 * all, under the same kills; at the end no sat may be lost or paid twice and the books must balance.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { payInvoice } from '../../src/devnet/pay';
import { loginCookie } from '../helpers/http';
import { nodePaths } from '../../src/devnet/node-store';
import { repoRoot } from '../../src/lib/paths';
import { siteDirs, startSiteProcess, postgresPids, alive, type SiteDirs, type SiteProcess } from '../helpers/site-process';
import { createWithdrawalDriver } from './withdrawals';

const VIEWS = Number(process.env.SOAK_VIEWS ?? 200);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const FAULT_EVERY = Number(process.env.SOAK_FAULT_EVERY ?? 12);
const WITHDRAWALS = Number(process.env.SOAK_WITHDRAWALS ?? 200);
const WITHDRAWAL_SAT = Number(process.env.SOAK_WITHDRAWAL_SAT ?? 20);
let seed = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);
const startSeed = seed;
/** A small deterministic generator (mulberry32), so SOAK_SEED repeats a run. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const say = (line: string) => process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Devnet {
  proc: ChildProcess;
  exited: Promise<void>;
}

async function startDevnetProcess(dirs: SiteDirs): Promise<Devnet> {
  const cli = path.join(repoRoot(), 'dist/src/devnet/cli.js');
  const proc = spawn(process.execPath, [cli], { env: { ...process.env, ...dirs.env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Stop with Ctrl-C')) resolve();
    });
    void exited.then(() => reject(new Error('the devnet exited during start-up')));
  });
  return { proc, exited };
}

async function http(dirs: SiteDirs, p: string, init: RequestInit & { cookie?: string } = {}) {
  const res = await fetch(`${dirs.baseUrl}${p}`, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as object), ...(init.cookie ? { cookie: init.cookie } : {}) },
  });
  return { status: res.status, text: await res.text(), setCookie: res.headers.get('set-cookie') };
}

async function signUp(dirs: SiteDirs, username: string): Promise<string> {
  const form = await http(dirs, '/signup');
  const jar = (form.setCookie ?? '').split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
  const body = new URLSearchParams({ username, password: `${username}-password`, passwordConfirm: `${username}-password`, _csrf: csrf });
  const res = await http(dirs, '/signup', {
    method: 'POST',
    body: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookie: jar,
  });
  if (res.status !== 302) throw new Error(`sign-up of ${username} failed: ${res.status}`);
  return (res.setCookie ?? '').split(';')[0];
}

async function main(): Promise<void> {
  const deadline = Date.now() + SECONDS * 1000;
  const server = path.join(repoRoot(), 'dist/src/server.js');
  if (!fs.existsSync(server)) throw new Error('build first: npm run build');
  const dirs = await siteDirs();
  // The site talks to the devnet process like to any LND.
  const siteNode = nodePaths(dirs.devnetDir, 'site');
  const lndEnv = {
    LND_GRPC_HOST: `127.0.0.1:${dirs.env.DEVNET_SITE_PORT}`,
    LND_TLS_CERT_PATH: siteNode.tlsCert,
    LND_MACAROON_PATH: siteNode.adminMacaroon,
    WITHDRAWALS_PER_HOUR: '100000',
    PAYOUT_RECONCILE_SECONDS: '2',
  };
  const withdrawals = createWithdrawalDriver(dirs);
  let withdrawalsDone = 0;
  const stats = {
    paidViews: 0,
    siteKills: 0,
    siteKillsRightAfterPaying: 0,
    siteTerms: 0,
    nodeKills: 0,
    retriedRequests: 0,
    servedUnavailable: 0,
  };

  let devnet = await startDevnetProcess(dirs);
  let site: SiteProcess | null = await startSiteProcess(server, dirs, lndEnv);
  say(`site ${dirs.baseUrl}, seed ${startSeed}, target ${VIEWS} paid views`);

  const db = () => new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${dirs.pgPort}/paywall` });
  const articles = await (async () => {
    const c = db();
    await c.connect();
    try {
      return (await c.query<{ id: string }>(`SELECT id FROM articles WHERE status = 'published' ORDER BY id`)).rows.map((r) =>
        Number(r.id),
      );
    } finally {
      await c.end();
    }
  })();

  const ensureSite = async () => {
    if (site) return;
    site = await startSiteProcess(server, dirs, lndEnv);
  };
  const killSite = async (signal: 'SIGKILL' | 'SIGTERM') => {
    if (!site) return;
    site.proc.kill(signal);
    const exit = await site.exited;
    if (signal === 'SIGTERM' && exit.code !== 0) throw new Error(`SIGTERM exit ${JSON.stringify(exit)}`);
    site = null;
  };
  const restartNode = async () => {
    devnet.proc.kill('SIGKILL');
    await devnet.exited;
    stats.nodeKills += 1;
    devnet = await startDevnetProcess(dirs);
  };
  /** A request that survives the site restarting under it. */
  const retrying = async <T>(what: string, fn: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; ; i += 1) {
      if (Date.now() > deadline + 120_000) throw new Error(`gave up on ${what}`);
      try {
        await ensureSite();
        const v = await fn();
        if (v !== undefined) return v;
      } catch {
        // connection refused while restarting
      }
      stats.retriedRequests += 1;
      await sleep(Math.min(2000, 100 * 2 ** Math.min(i, 5)));
    }
  };

  const adminCookie = await retrying('admin login', () => loginCookie(dirs.baseUrl, 'admin').catch(() => undefined));
  const paid: Array<{ username: string; articleId: number; paymentHash: string }> = [];
  let reader = 0;
  while (stats.paidViews < VIEWS && Date.now() < deadline) {
    const username = `soak${startSeed}r${reader++}`;
    const cookie = await retrying('sign-up', () => signUp(dirs, username));
    for (const articleId of articles) {
      if (stats.paidViews >= VIEWS || Date.now() > deadline) break;
      const pr = await retrying('the invoice', async () => {
        const res = await http(dirs, `/articles/${articleId}`, { cookie });
        if (res.status === 503) stats.servedUnavailable += 1;
        return /<textarea id="payment-request"[^>]*>(lnbcrt[0-9a-z]+)<\/textarea>/.exec(res.text)?.[1];
      });
      const wallet = nodePaths(dirs.devnetDir, reader % 2 ? 'alice' : 'bob');
      const conn = {
        grpcHost: `127.0.0.1:${dirs.env[reader % 2 ? 'DEVNET_ALICE_PORT' : 'DEVNET_BOB_PORT']}`,
        tlsCertPath: wallet.tlsCert,
        macaroonPath: wallet.adminMacaroon,
      };
      const result = await payInvoice(conn, pr, { timeoutSeconds: 20 });
      if (result.status !== 'SUCCEEDED') throw new Error(`payment failed: ${result.failureReason}`);
      paid.push({ username, articleId, paymentHash: result.paymentHash });
      stats.paidViews += 1;
      if (withdrawalsDone < WITHDRAWALS) {
        // To the wallet that just paid: the site's channel to it holds at least that view's price.
        await retrying('a withdrawal', () =>
          withdrawals.withdraw(adminCookie, reader % 2 ? 'alice' : 'bob', WITHDRAWAL_SAT).then(() => true),
        );
        withdrawalsDone += 1;
      }

      if (random() < 1 / FAULT_EVERY) {
        const r = random();
        if (r < 0.4) {
          // The worst moment: the node has settled, the site may not have recorded it yet.
          await killSite('SIGKILL');
          stats.siteKills += 1;
          stats.siteKillsRightAfterPaying += 1;
          say(`view ${stats.paidViews}: site killed right after a payment`);
        } else if (r < 0.6) {
          await killSite('SIGTERM');
          stats.siteTerms += 1;
          say(`view ${stats.paidViews}: site stopped with SIGTERM`);
        } else {
          await restartNode();
          say(`view ${stats.paidViews}: node killed and restarted`);
        }
      } else if (random() < 0.5 / FAULT_EVERY) {
        // A kill at another moment: while the reader looks at the next page.
        void http(dirs, `/articles/${articleId}`, { cookie }).catch(() => undefined);
        await killSite('SIGKILL');
        stats.siteKills += 1;
        say(`view ${stats.paidViews}: site killed mid-request`);
      }
    }
  }

  await ensureSite();
  // Give the watcher a bounded time to credit the last settlements, then count.
  const count = async () => {
    const c = db();
    await c.connect();
    try {
      const rows = await c.query<{ payment_hash: string; status: string }>(
        `SELECT i.payment_hash, p.status FROM payment_invoices i JOIN payments p ON p.id = i.payment_id WHERE i.payment_hash = ANY($1)`,
        [paid.map((p) => p.paymentHash)],
      );
      const complete = new Set(rows.rows.filter((r) => r.status === 'complete').map((r) => r.payment_hash));
      return paid.filter((p) => !complete.has(p.paymentHash));
    } finally {
      await c.end();
    }
  };
  let lost = await count();
  for (let i = 0; i < 60 && lost.length > 0; i += 1) {
    await sleep(500);
    lost = await count();
  }
  const payouts = await withdrawals.verify(`postgres://postgres:postgres@127.0.0.1:${dirs.pgPort}/paywall`, 60_000);
  const payoutsOk =
    payouts.stillOpen === 0 &&
    payouts.paidButNotSucceeded === 0 &&
    payouts.succeededButNotPaid === 0 &&
    payouts.paidTwice === 0 &&
    payouts.books.balanced;
  const summary = {
    seed: startSeed,
    ...stats,
    lostPayments: lost.length,
    lost: lost.slice(0, 10),
    withdrawals: payouts,
    seconds: Math.round((Date.now() - (deadline - SECONDS * 1000)) / 1000),
  };
  say(`summary ${JSON.stringify(summary)}`);

  await killSite('SIGTERM');
  devnet.proc.kill('SIGTERM');
  await devnet.exited;
  for (const pid of postgresPids(dirs.dataDir)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(dirs.root, { recursive: true, force: true });
  process.exitCode = lost.length === 0 && stats.paidViews >= VIEWS && payoutsOk ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
