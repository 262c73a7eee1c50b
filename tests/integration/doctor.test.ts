/**
 * `npm run doctor` against a real database and the devnet, through the same environment `npm start`
 * reads: healthy, then one broken thing at a time, each named on its own line with a fix.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { runDoctor } from '../../src/ops/doctor/doctor';
import { nodePaths } from '../../src/devnet/node-store';
import { startTestSite, type TestSite } from '../helpers/site';
import { buildSite, BUILD_DIR } from '../helpers/site-process';
import { repoRoot } from '../../src/lib/paths';

jest.setTimeout(180_000);
let site: TestSite;

beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

function lndEnv(overrides: Partial<Record<'host' | 'cert' | 'macaroon', string>> = {}): Record<string, string> {
  const n = site.devnet.nodes.site;
  return {
    NODE_ENV: 'development',
    DATABASE_URL: site.db.url,
    LND_GRPC_HOST: overrides.host ?? n.grpcHost,
    LND_TLS_CERT_PATH: overrides.cert ?? n.tlsCertPath,
    LND_MACAROON_PATH: overrides.macaroon ?? n.macaroonPath,
  };
}

async function doctor(env: Record<string, string>): Promise<{ code: number; lines: string[]; line: (name: string) => string }> {
  const lines: string[] = [];
  const code = await runDoctor({ env, cwd: site.devnet.dir, write: (l) => lines.push(l) });
  return { code, lines, line: (name) => lines.find((l) => l.slice(5).startsWith(name)) ?? `(no ${name} line)` };
}

test('a healthy site: every check ok, exit 0', async () => {
  const r = await doctor(lndEnv());
  expect(r.code).toBe(0);
  expect(r.line('database')).toMatch(/^ok {3}database +connected to .* \(PostgreSQL \d+/);
  expect(r.line('migrations')).toMatch(/^ok .*all \d+ applied/);
  expect(r.line('node reachable')).toContain('site');
  expect(r.line('node TLS')).toMatch(/^ok /);
  expect(r.line('node permissions')).toBe(
    'ok   node permissions       allowed: GetInfo, AddInvoice, LookupInvoice, SubscribeInvoices, ListChannels, SendPaymentV2',
  );
  expect(r.line('node synced')).toMatch(/^ok .*block 200/);
  const dearest = Number((await site.knex('articles').where({ status: 'published' }).max('price_sat as p').first())!.p);
  expect(r.line('inbound capacity')).toBe(
    `ok   inbound capacity       1,980,000 sats inbound over 2 active channels (a warning below 10 x the dearest article, ${(10 * dearest).toLocaleString('en-US')} sats)`,
  );
  expect(r.line('webhook endpoints')).toBe('ok   webhook endpoints      none registered (add one on /admin/webhooks to hear of payments)');
  expect(r.lines[r.lines.length - 1].trim()).toBe('Everything the site needs is in order.');
});

test('the invoice macaroon: GetInfo and ListChannels are denied, so the permissions line fails with a fix', async () => {
  const r = await doctor(lndEnv({ macaroon: nodePaths(site.devnet.dir, 'site').invoiceMacaroon }));
  expect(r.code).toBe(1);
  expect(r.line('node permissions')).toMatch(
    /^FAIL node permissions +allowed: LookupInvoice; denied: GetInfo, ListChannels; not checked .*: AddInvoice, SubscribeInvoices, SendPaymentV2 -> fix: bake a macaroon/,
  );
});

test('the readonly macaroon: checked with CheckMacaroonPermissions, AddInvoice denied', async () => {
  const r = await doctor(lndEnv({ macaroon: nodePaths(site.devnet.dir, 'site').readonlyMacaroon }));
  expect(r.code).toBe(1);
  expect(r.line('node permissions')).toMatch(
    /allowed: GetInfo, LookupInvoice, SubscribeInvoices, ListChannels; denied: AddInvoice, SendPaymentV2 -> fix/,
  );
});

test("another node's macaroon is named as such", async () => {
  const r = await doctor(lndEnv({ macaroon: site.devnet.nodes.alice.macaroonPath }));
  expect(r.code).toBe(1);
  expect(r.line('node macaroon')).toMatch(
    /^FAIL node macaroon .*verification failed.* -> fix: LND_MACAROON_PATH must be a macaroon of THIS node/,
  );
});

test("another node's certificate fails TLS", async () => {
  const r = await doctor(lndEnv({ cert: site.devnet.nodes.alice.tlsCertPath }));
  expect(r.code).toBe(1);
  expect(r.line('node TLS')).toMatch(/^FAIL node TLS .* -> fix: LND_TLS_CERT_PATH must be this node's current tls.cert/);
});

test('a node that is not there', async () => {
  const r = await doctor(lndEnv({ host: '127.0.0.1:1' }));
  expect(r.code).toBe(1);
  expect(r.line('node reachable')).toBe(
    "FAIL node reachable         no answer from 127.0.0.1:1: connection refused (ECONNREFUSED): nothing listens there -> fix: start LND and check LND_GRPC_HOST (LND's gRPC port is 10009 unless its rpclisten says otherwise)",
  );
  // One line per check: the ones that need the node say why they did not run.
  for (const name of ['node TLS', 'node permissions', 'node synced', 'inbound capacity'])
    expect(r.line(name)).toMatch(new RegExp(`^skip ${name} +the node did not answer$`));
});

test("the devnet's site node not running: the fix says to start the site, on which port it listens", async () => {
  const r = await doctor({ NODE_ENV: 'development', DATABASE_URL: site.db.url, DEVNET_DIR: site.devnet.dir, DEVNET_SITE_PORT: '1' });
  expect(r.code).toBe(1);
  expect(r.line('node settings')).toBe(
    `ok   node settings          the devnet's site node (files in ${site.devnet.dir}): certificate and macaroon read`,
  );
  expect(r.line('node reachable')).toBe(
    'FAIL node reachable         no answer from 127.0.0.1:1: connection refused (ECONNREFUSED): nothing listens there -> fix: the devnet runs inside `npm start` in development: start the site (its site node listens on DEVNET_SITE_PORT, here 127.0.0.1:1)',
  );
});

test('a database without the schema: migrations fail, the rest is skipped', async () => {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  const name = `doctor_empty_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(site.db.url);
    url.pathname = `/${name}`;
    const r = await doctor({ ...lndEnv(), DATABASE_URL: url.toString() });
    expect(r.code).toBe(1);
    expect(r.line('migrations')).toMatch(
      /^FAIL migrations +\d+ not applied: 20261121000001_initial_schema, .* -> fix: start the site once/,
    );
    expect(r.line('webhook endpoints')).toMatch(/^skip /);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});

test('a database that is not there', async () => {
  const r = await doctor({ ...lndEnv(), DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:1/nothing' });
  expect(r.code).toBe(1);
  expect(r.line('database')).toMatch(
    /^FAIL database +cannot connect .*ECONNREFUSED.* -> fix: start PostgreSQL or correct the host and port in DATABASE_URL/,
  );
});

test('a disabled webhook endpoint is a warning with what to do; the exit status stays 0', async () => {
  const [row] = await site
    .knex('webhook_endpoints')
    .insert({ url: 'https://example.com/h', events: ['payment.completed'], secret: 'whsec_x', enabled: false, disabled_reason: 'x' })
    .returning('id');
  try {
    const r = await doctor(lndEnv());
    expect(r.code).toBe(0);
    expect(r.line('webhook endpoints')).toContain(`WARN webhook endpoints      1 endpoints, disabled: ${row.id}`);
    expect(r.line('webhook endpoints')).toContain('press Enable on /admin/webhooks/<id>');
  } finally {
    await site.knex('webhook_endpoints').del();
  }
});

test('bad configuration is named and nothing else is tried', async () => {
  const r = await doctor({ NODE_ENV: 'production', LND_GRPC_HOST: 'nohost' });
  expect(r.code).toBe(1);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]).toMatch(/^FAIL configuration .*SESSION_SECRET is required.*LND_GRPC_HOST must be host:port/);
});

test("npm run doctor's program, run as `npm start` would be configured for the devnet, exits 0", async () => {
  buildSite();
  const n = site.devnet.nodes.site;
  // Not spawnSync: the devnet answers from this very process.
  const child = spawn(process.execPath, [path.join(repoRoot(), BUILD_DIR, 'src/ops/doctor-cli.js')], {
    cwd: path.dirname(site.devnet.dir),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: site.db.url,
      DEVNET_DIR: site.devnet.dir,
      DEVNET_SITE_PORT: n.grpcHost.split(':')[1],
    },
  });
  const res = { stdout: '', stderr: '', status: null as number | null };
  child.stdout.on('data', (c: Buffer) => (res.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (res.stderr += c.toString()));
  res.status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  expect(res.stderr).toBe('');
  expect(res.stdout).toContain("ok   node settings          the devnet's site node (files in");
  expect(res.stdout).toContain('Everything the site needs is in order.');
  expect(res.status).toBe(0);
});
