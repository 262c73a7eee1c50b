/**
 * `npm run soak`: paid views and writers' withdrawals while the Lightning node and the site are
 * killed at random points, then a count of sats lost or paid twice. Loopback only, bounded in time.
 *
 * The devnet runs as its own process (the way a real LND does), the site as another, built by
 * `npm run build`, pointed at it with LND_GRPC_HOST/LND_TLS_CERT_PATH/LND_MACAROON_PATH.
 * - Readers (SOAK_READERS loops at once) sign up, open articles and pay from the devnet wallets.
 * - Writers (admin, alice and bob, the demo articles' authors, one loop each) withdraw small random
 *   amounts (SOAK_WITHDRAWAL_MIN_SAT..SOAK_WITHDRAWAL_MAX_SAT) to the wallets' invoices as soon as
 *   their balance covers one, without waiting for the last one to finish. SOAK_FAILING_PERCENT
 *   (default 10) of the invoices are cancelled by the wallet first, so those withdrawals must fail
 *   and give the sats back exactly once.
 * - After a paid view or a withdrawal request, one time in SOAK_FAULT_EVERY, a fault: the site
 *   SIGKILLed (right after a payment or a withdrawal request, before the site could record what
 *   followed), the site stopped with SIGTERM, or the node SIGKILLed (under the site's payments in flight).
 * At the end: every invoice a wallet paid for a view belongs to a complete payment, and every
 * withdrawal is audited against the database and both nodes (tests/soak/withdrawal-audit.ts).
 *
 * SOAK_VIEWS (default 200) paid views and SOAK_WITHDRAWALS (default 200) withdrawals,
 * SOAK_SECONDS (default 900) at most, SOAK_FAULT_EVERY (default 16) events between faults on average, SOAK_READERS (default 3),
 * SOAK_SEED for a repeatable choice of faults.
 */
import fs from 'node:fs';
import path from 'node:path';
import { nodePaths } from '../../src/devnet/node-store';
import { createKnex } from '../../src/db/knex';
import { repoRoot } from '../../src/lib/paths';
import { loginCookie } from '../helpers/http';
import { siteDirs, postgresPids, alive, type SiteDirs } from '../helpers/site-process';
import { startProcesses } from './soak-processes';
import { createRpc, createWithdrawalDriver, type RpcReply, type Wallet } from './withdrawals';
import { auditWithdrawals, waitForWithdrawals } from './withdrawal-audit';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const VIEWS = env('SOAK_VIEWS', 200);
const SECONDS = env('SOAK_SECONDS', 900);
const FAULT_EVERY = env('SOAK_FAULT_EVERY', 16);
const READERS = env('SOAK_READERS', 3);
const WITHDRAWALS = env('SOAK_WITHDRAWALS', 200);
const W_MIN = env('SOAK_WITHDRAWAL_MIN_SAT', 10);
const W_MAX = env('SOAK_WITHDRAWAL_MAX_SAT', 40);
const FAILING_PERCENT = env('SOAK_FAILING_PERCENT', 10);
const WRITERS = ['admin', 'alice', 'bob'];
let seed = env('SOAK_SEED', Date.now() % 100_000);
const startSeed = seed;
/** A small deterministic generator (mulberry32), so SOAK_SEED repeats the choice of faults. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const started = Date.now();
const say = (line: string) => process.stdout.write(`[soak ${Math.round((Date.now() - started) / 1000)}s] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

/** Kills what the run started (set once it started them). */
let leftovers = () => {};

async function main(): Promise<void> {
  const deadline = started + SECONDS * 1000;
  const server = path.join(repoRoot(), 'dist/src/server.js');
  if (!fs.existsSync(server)) throw new Error('build first: npm run build');
  const dirs = await siteDirs();
  const siteNode = nodePaths(dirs.devnetDir, 'site');
  const procs = await startProcesses(server, dirs, {
    LND_GRPC_HOST: `127.0.0.1:${dirs.env.DEVNET_SITE_PORT}`,
    LND_TLS_CERT_PATH: siteNode.tlsCert,
    LND_MACAROON_PATH: siteNode.adminMacaroon,
    WITHDRAWALS_PER_HOUR: '100000',
    SIGNUP_LIMIT_PER_IP: '100000',
    WITHDRAWAL_DAILY_MAX_SAT: '100000000',
    PAYOUT_RECONCILE_SECONDS: '2',
    // A withdrawal left "requested" by a killed process is sent by another after the send lease
    // (timeout + 60 s) runs out; a short payment timeout keeps the end of the run short.
    WITHDRAWAL_TIMEOUT_SECONDS: '10',
  });
  leftovers = () => {
    for (const pid of [...procs.pids(), ...postgresPids(dirs.dataDir)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
  };
  const knex = createKnex(`postgres://postgres:postgres@127.0.0.1:${dirs.pgPort}/paywall`, { max: 4 });
  const rpc = createRpc(dirs);
  const withdrawals = createWithdrawalDriver(dirs, rpc);
  say(`site ${dirs.baseUrl}, seed ${startSeed}, target ${VIEWS} paid views and ${WITHDRAWALS} withdrawals`);

  const stats = {
    paidViews: 0,
    withdrawalsRequested: 0,
    withdrawalsRefused: 0,
    siteKills: 0,
    siteKillsRightAfterPaying: 0,
    siteKillsRightAfterWithdrawing: 0,
    siteTerms: 0,
    nodeKills: 0,
    retriedRequests: 0,
    servedUnavailable: 0,
  };
  const articles = (await knex('articles').where({ status: 'published' }).orderBy('id').select('id')).map((r) => Number(r.id));
  const writerIds = new Map(
    (await knex('users').whereIn('username', WRITERS).select('id', 'username')).map((r) => [r.username as string, Number(r.id)]),
  );
  const done = () => (stats.paidViews >= VIEWS && stats.withdrawalsRequested >= WITHDRAWALS) || Date.now() > deadline;

  /** A request that survives the site restarting under it. */
  const retrying = async <T>(what: string, fn: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; ; i += 1) {
      if (Date.now() > deadline + 120_000) throw new Error(`gave up on ${what}`);
      let problem = 'no usable answer';
      try {
        await procs.ensureSite();
        const v = await fn();
        if (v !== undefined) return v;
      } catch (err) {
        problem = (err as Error).message; // connection refused while restarting
      }
      stats.retriedRequests += 1;
      if (i > 0 && i % 30 === 0) say(`still retrying ${what} (${i} times): ${problem}`);
      await sleep(Math.min(1000, 50 * 2 ** Math.min(i, 5)));
    }
  };
  const maybeFault = async (after: 'payment' | 'withdrawal', count: number) => {
    if (random() >= 1 / FAULT_EVERY) return;
    const r = random();
    await procs.fault(async () => {
      if (r < 0.45) {
        // The worst moment: the node has settled (or is paying), the site may not have recorded it yet.
        await procs.killSite('SIGKILL');
        stats.siteKills += 1;
        if (after === 'payment') stats.siteKillsRightAfterPaying += 1;
        else stats.siteKillsRightAfterWithdrawing += 1;
        say(`${after} ${count}: site killed right after it`);
      } else if (r < 0.6) {
        await procs.killSite('SIGTERM');
        stats.siteTerms += 1;
        say(`${after} ${count}: site stopped with SIGTERM`);
      } else {
        await procs.killNode();
        stats.nodeKills += 1;
        say(`${after} ${count}: node killed and restarted`);
      }
    });
  };

  /**
   * A reader's wallet pays, as a careful LND client does: a call that did not get through (the kept
   * connection still reconnecting after a node restart) is sent again; ALREADY_EXISTS means the
   * first one did get through, so it is tracked, never paid again.
   */
  const payFromWallet = async (wallet: Wallet, pr: string): Promise<RpcReply> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const updates = await rpc(wallet, 'router', 'SendPaymentV2', {
          payment_request: pr,
          timeout_seconds: 20,
          fee_limit_sat: 0,
          no_inflight_updates: true,
        });
        return updates[updates.length - 1];
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 6) {
          const hash = (await rpc(wallet, 'lightning', 'DecodePayReq', { pay_req: pr }))[0].payment_hash as string;
          const tracked = await rpc(wallet, 'router', 'TrackPaymentV2', {
            payment_hash: Buffer.from(hash, 'hex'),
            no_inflight_updates: true,
          });
          return tracked[tracked.length - 1];
        }
        if (attempt >= 20 || (code !== 14 && code !== 4)) throw err;
        stats.retriedRequests += 1;
        await sleep(500);
      }
    }
  };
  const paid: string[] = [];
  let readerCount = 0;
  const reader = async () => {
    while (!done()) {
      const n = readerCount++;
      const wallet: Wallet = n % 2 ? 'alice' : 'bob';
      const cookie = await retrying('sign-up', () => signUp(dirs, `soak${startSeed}r${n}`));
      for (const articleId of articles) {
        if (done()) break;
        const pr = await retrying('the invoice', async () => {
          const res = await http(dirs, `/articles/${articleId}`, { cookie });
          if (res.status === 503) stats.servedUnavailable += 1;
          return /<textarea id="payment-request"[^>]*>(lnbcrt[0-9a-z]+)<\/textarea>/.exec(res.text)?.[1];
        });
        // SendPaymentV2 from the reader's wallet over its kept connection, to the final update.
        const result = await procs.paying(() => payFromWallet(wallet, pr));
        if (result?.status !== 'SUCCEEDED') throw new Error(`a view's payment failed: ${String(result?.failure_reason)}`);
        paid.push(result.payment_hash as string);
        stats.paidViews += 1;
        await maybeFault('payment', stats.paidViews);
      }
    }
  };

  const writer = async (username: string) => {
    const userId = writerIds.get(username)!;
    const cookie = await retrying(`${username}'s login`, () => loginCookie(dirs.baseUrl, username));
    let turn = WRITERS.indexOf(username);
    while (!done() && stats.withdrawalsRequested < WITHDRAWALS) {
      const amount = W_MIN + Math.floor(random() * (W_MAX - W_MIN + 1));
      // Waits for earnings (a condition, not a time): the reserve is at most a few sats on top.
      const balance = await knex('balances')
        .where({ user_id: userId })
        .first('balance_sat')
        .then((r) => Number(r?.balance_sat ?? 0))
        .catch(() => 0);
      if (balance < amount + 10) {
        await sleep(200);
        continue;
      }
      const wallet: Wallet = turn++ % 2 ? 'alice' : 'bob';
      const cancelled = random() * 100 < FAILING_PERCENT;
      const outcome = await retrying(`${username}'s withdrawal`, () => withdrawals.withdraw(cookie, wallet, amount, cancelled));
      if (outcome === 'refused') {
        stats.withdrawalsRefused += 1;
        continue;
      }
      stats.withdrawalsRequested += 1;
      await maybeFault('withdrawal', stats.withdrawalsRequested);
    }
  };

  const progress = setInterval(
    () =>
      say(
        `${stats.paidViews} views, ${stats.withdrawalsRequested} withdrawals, ${procs.siteStarts} site starts, ${stats.nodeKills} node kills`,
      ),
    30_000,
  );
  await Promise.all([...Array.from({ length: READERS }, () => reader()), ...WRITERS.map((w) => writer(w))]);
  clearInterval(progress);
  const runSeconds = Math.round((Date.now() - started) / 1000);
  say(`load done after ${runSeconds} s; waiting for the last withdrawals`);

  await procs.ensureSite();
  // Bounded: the watcher credits the last settlements, open withdrawals finish (after a send lease).
  const lostViews = async () => {
    const rows = await knex('payment_invoices as i')
      .join('payments as p', 'p.id', 'i.payment_id')
      .whereIn('i.payment_hash', paid)
      .where('p.status', 'complete')
      .select('i.payment_hash');
    const complete = new Set(rows.map((r) => r.payment_hash as string));
    return paid.filter((h) => !complete.has(h));
  };
  let lost = await lostViews();
  for (let i = 0; i < 60 && lost.length > 0; i += 1) {
    await sleep(500);
    lost = await lostViews();
  }
  await waitForWithdrawals(knex, 180_000);
  const audit = await auditWithdrawals(knex, rpc, withdrawals.submitted);
  const summary = {
    seed: startSeed,
    seconds: runSeconds,
    secondsWithFinalChecks: Math.round((Date.now() - started) / 1000),
    ...stats,
    siteStarts: procs.siteStarts,
    siteRestartSecondsAvg: Math.round(procs.startMs.reduce((x, y) => x + y, 0) / Math.max(1, procs.startMs.length) / 100) / 10,
    lostViewPayments: lost.length,
    refusals: Object.fromEntries(withdrawals.refusals),
    withdrawals: audit,
  };
  say(`summary ${JSON.stringify(summary, null, 2)}`);
  const a = audit;
  say(
    `RESULT: ${stats.paidViews} paid views, ${a.withdrawals} withdrawals (${a.succeeded} succeeded, ${a.failed} failed, ${a.stillOpen} open), ` +
      `${stats.siteKills} site SIGKILLs, ${stats.siteTerms} SIGTERMs, ${stats.nodeKills} node kills, ${runSeconds} s; ` +
      `lost ${lost.length + a.paidButNotSucceeded} payments, paid twice ${a.paidTwice}, restored ${a.restoredSat} = failed ${a.failedDebitsSat} sats, ` +
      `books ${a.books.balanced ? 'balanced' : 'NOT balanced'}`,
  );

  rpc.close();
  await knex.destroy();
  await procs.stop();
  for (const pid of postgresPids(dirs.dataDir)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(dirs.root, { recursive: true, force: true });
  process.exitCode = lost.length === 0 && stats.paidViews >= VIEWS && a.withdrawals >= WITHDRAWALS && a.ok ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${(err as Error).stack ?? err}\n`);
  // The site, the devnet and PostgreSQL must not outlive the run.
  leftovers();
  process.exit(1);
});
