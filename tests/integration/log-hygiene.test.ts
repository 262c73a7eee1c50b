/**
 * Logs are structured JSON with a request id, and a whole journey (sign up, fail a login, log in,
 * pay, read, log out) leaves no password, macaroon, session id or preimage in them.
 */
import fs from 'node:fs';
import request from 'supertest';
import { payInvoice } from '../../src/devnet/pay';
import { createLogger } from '../../src/lib/logger';
import { startTestSite, csrfFrom, paymentRequestFrom, articleBody, type TestSite } from '../helpers/site';
import { eventually } from '../helpers/http';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

test('a journey leaves no secrets in the logs, and every request line carries a request id', async () => {
  const password = 'correct-horse-battery-staple';
  const agent = request.agent(site.app);
  const signup = await agent.get('/signup');
  const firstSid = /paywall\.sid=s%3A([^.;]+)/.exec(String(signup.headers['set-cookie']))?.[1];
  const created = await agent
    .post('/signup')
    .type('form')
    .send({ username: 'carol', password, passwordConfirm: password, _csrf: csrfFrom(signup.text) });
  expect(created.status).toBe(302);
  const sid = /paywall\.sid=s%3A([^.;]+)/.exec(String(created.headers['set-cookie']))?.[1];
  expect(sid).toBeDefined();

  const other = request.agent(site.app);
  const form = await other.get('/login');
  await other
    .post('/login')
    .type('form')
    .send({ username: 'carol', password: 'a-wrong-password-guess', _csrf: csrfFrom(form.text) });

  const article = await site.knex('articles').where({ status: 'published' }).orderBy('id').first('id');
  const page = await agent.get(`/articles/${article.id}`);
  const paid = await payInvoice(site.devnet.nodes.alice, paymentRequestFrom(page.text));
  expect(paid.status).toBe('SUCCEEDED');
  const unlocked = await eventually(async () => {
    const r = await agent.get(`/articles/${article.id}?check=true`);
    return articleBody(r.text) !== null ? r : undefined;
  }, 'the article to unlock');
  await agent
    .post('/logout')
    .type('form')
    .send({ _csrf: csrfFrom(unlocked.text) });

  const logs = site.logs.join('\n');
  const secrets: Record<string, string> = {
    password,
    'wrong password': 'a-wrong-password-guess',
    'session id': sid!,
    'session id before login': firstSid ?? sid!,
    preimage: (paid as { preimage: string }).preimage,
    'site macaroon': fs.readFileSync(site.devnet.nodes.site.macaroonPath).toString('hex'),
    'alice macaroon': fs.readFileSync(site.devnet.nodes.alice.macaroonPath).toString('hex'),
  };
  for (const [name, secret] of Object.entries(secrets)) {
    expect({ name, found: logs.includes(secret) }).toEqual({ name, found: false });
  }
  expect(logs).not.toMatch(/\$2[aby]\$\d\d\$/); // no bcrypt hash either

  const lines = site.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
  const requests = lines.filter((l) => l.msg === 'request');
  expect(requests.length).toBeGreaterThan(5);
  for (const r of requests) {
    expect(r).toMatchObject({ level: expect.any(String), time: expect.any(String), reqId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(typeof r.status).toBe('number');
  }
});

test('fields named like secrets are redacted by the logger itself', () => {
  const out: string[] = [];
  const logger = createLogger({ write: (l) => out.push(l) }).child({ component: 'test' });
  logger.info('careless', {
    password: 'hunter22',
    macaroon: 'abcdef',
    nested: { preimage: 'ff00', cookie: 'paywall.sid=x' },
    paymentHash: 'kept',
  });
  const line = JSON.parse(out[0]);
  expect(line).toMatchObject({
    level: 'info',
    msg: 'careless',
    component: 'test',
    password: '[redacted]',
    macaroon: '[redacted]',
    paymentHash: 'kept',
  });
  expect(line.nested).toEqual({ preimage: '[redacted]', cookie: '[redacted]' });
});
