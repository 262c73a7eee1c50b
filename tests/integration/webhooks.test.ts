/**
 * Webhooks end to end: an admin registers an endpoint on the admin pages, changes on the site land
 * in the outbox in their own transaction, and the delivery worker sends them to a real HTTP
 * receiver that checks every signature with the independent `standardwebhooks` package. Time is
 * the worker's injected clock, so the retry schedule is walked without waiting.
 */
import request from 'supertest';
import { payInvoice } from '../../src/devnet/pay';
import { createWebhookDelivery } from '../../src/webhooks/start-delivery';
import type { WebhookWorker } from '../../src/webhooks/delivery-worker';
import { startTestSite, loggedInAgent, csrfFrom, paymentRequestFrom, type TestSite } from '../helpers/site';
import { startReceiver, verifyWith, type Receiver } from '../helpers/webhook-receiver';
import { createLogger } from '../../src/lib/logger';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let receiver: Receiver;
let admin: Awaited<ReturnType<typeof loggedInAgent>>;
let worker: WebhookWorker;
let offset = 0;
const now = () => new Date(Date.now() + offset);
const advance = (seconds: number) => (offset += seconds * 1000);

beforeAll(async () => {
  site = await startTestSite();
  receiver = await startReceiver();
  admin = await loggedInAgent(site.app, 'admin');
  worker = createWebhookDelivery({
    knex: site.knex,
    logger: createLogger({ level: 'error', write: () => undefined }),
    settings: { timeoutMs: 1500, guardAddresses: false, allowedHosts: [] },
    now,
  });
});
afterAll(async () => {
  await receiver.stop();
  await site.close();
});
afterEach(async () => {
  await site.knex('webhook_endpoints').del();
  receiver.answer = () => ({ status: 200, body: 'ok' });
  receiver.received.length = 0;
  offset = 0;
});

async function addEndpoint(events: string[], url = receiver.url): Promise<{ id: number; secret: string; html: string }> {
  const form = await admin.get('/admin/webhooks');
  const res = await admin
    .post('/admin/webhooks')
    .type('form')
    .send(`_csrf=${encodeURIComponent(csrfFrom(form.text))}&url=${encodeURIComponent(url)}&${events.map((e) => `events=${e}`).join('&')}`);
  expect(res.status).toBe(201);
  const secret = /value="(whsec_[A-Za-z0-9+/=]+)"/.exec(res.text)![1];
  const row = await site.knex('webhook_endpoints').where({ url }).orderBy('id', 'desc').first();
  return { id: row.id, secret, html: res.text };
}

async function postButton(page: string, action: string) {
  const html = (await admin.get(page)).text;
  return admin
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(html) });
}

const deliveryRows = (endpointId: number) => site.knex('webhook_deliveries').where({ endpoint_id: endpointId }).orderBy('id');

describe('registering endpoints', () => {
  test('an admin adds an endpoint: the secret is shown once, stored, and never listed again', async () => {
    const { id, secret, html } = await addEndpoint(['payment.completed', 'article.hidden']);
    expect(html).toContain('it is not shown again');
    expect(Buffer.from(secret.slice(6), 'base64').length).toBe(32);
    const row = await site.knex('webhook_endpoints').where({ id }).first();
    expect(row).toMatchObject({ url: receiver.url, events: ['payment.completed', 'article.hidden'], secret, enabled: true });
    const page = await admin.get(`/admin/webhooks/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(secret);
    expect(page.text).toContain(receiver.url);
    const list = await admin.get('/admin/webhooks');
    expect(list.text).toContain(`href="/admin/webhooks/${id}"`);
    expect(list.text).not.toContain(secret);
  });

  test('a URL that is not http(s) or no events chosen: a clear message and nothing stored', async () => {
    const form = await admin.get('/admin/webhooks');
    const res = await admin
      .post('/admin/webhooks')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), url: 'ftp://example.com/x' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The URL must be a full http:// or https:// address.');
    expect(res.text).toContain('Choose at least one event.');
    expect(await site.knex('webhook_endpoints').count('* as n').first()).toEqual({ n: 0 });
  });

  test('readers cannot see the webhook pages', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    expect((await alice.get('/admin/webhooks')).status).toBe(403);
    expect((await request(site.app).get('/admin/webhooks')).status).toBe(302);
  });
});

describe('events from the site', () => {
  test('a paid view is told as payment.completed, signed so that standardwebhooks verifies it, and listed as delivered', async () => {
    const { id, secret } = await addEndpoint(['payment.completed']);
    const [article] = await adminArticles(site.knex);
    const alice = await loggedInAgent(site.app, 'alice');
    const pr = paymentRequestFrom((await alice.get(`/articles/${article.id}`)).text);
    expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
    await alice.get(`/articles/${article.id}?check=true`);

    // In the outbox with the payment, before anything was sent.
    const payment = await site.knex('payments').where({ article_id: article.id, purpose: 'view' }).first();
    expect(payment.status).toBe('complete');
    expect(await deliveryRows(id)).toHaveLength(1);
    expect(await worker.runOnce()).toBe(1);

    const [got] = await receiver.waitFor(1);
    const body = verifyWith(secret, got, now) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(body.type).toBe('payment.completed');
    expect(body.data).toMatchObject({
      paymentId: payment.id,
      purpose: 'view',
      articleId: article.id,
      priceSat: article.price_sat,
      amountPaidSat: article.price_sat,
      paymentHash: payment.payment_hash,
    });
    expect(got.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(() => verifyWith('whsec_' + Buffer.alloc(32, 7).toString('base64'), got, now)).toThrow('No matching signature found');

    const [delivery] = await deliveryRows(id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, last_http_status: 200 });
    const page = await admin.get(`/admin/webhooks/${id}`);
    expect(page.text).toMatch(new RegExp(`data-delivery="${delivery.id}" data-status="succeeded"`));
    expect(page.text).toContain('payment.completed');
  });

  test('hiding, restoring and publishing articles are told; a hide that changes nothing tells nothing', async () => {
    const { id, secret } = await addEndpoint(['article.hidden', 'article.restored', 'article.published']);
    const article = await site.knex('articles').where({ status: 'published' }).orderBy('id').first('id');
    await postButton('/admin', `/admin/articles/${article.id}/hide`);
    await postButton('/admin', `/admin/articles/${article.id}/hide`); // already hidden: no second event
    await postButton('/admin', `/admin/articles/${article.id}/restore`);
    const alice = await loggedInAgent(site.app, 'alice');
    const write = await alice.get('/write');
    const made = await alice
      .post('/write')
      .type('form')
      .send({
        _csrf: csrfFrom(write.text),
        title: 'Hooked',
        teaser: 'Teaser text here',
        body: 'Body text of the article.',
        priceSat: '21',
        intent: 'publish',
      });
    expect(made.status).toBe(302);

    expect(await worker.runOnce()).toBe(3);
    const bodies = (await receiver.waitFor(3)).map((r) => verifyWith(secret, r, now) as { type: string; data: Record<string, unknown> });
    const types = bodies.map((b) => b.type).sort();
    expect(types).toEqual(['article.hidden', 'article.published', 'article.restored']);
    expect(bodies.find((b) => b.type === 'article.hidden')!.data).toMatchObject({ articleId: article.id });
    expect(bodies.find((b) => b.type === 'article.published')!.data).toMatchObject({ title: 'Hooked', priceSat: 21 });
    expect(await deliveryRows(id)).toHaveLength(3);
  });

  test('an event nobody subscribed to writes nothing', async () => {
    await addEndpoint(['withdrawal.failed']);
    const before = await site.knex('webhook_events').count('* as n').first();
    const article = await site.knex('articles').where({ status: 'published' }).orderBy('id').first('id');
    await postButton('/admin', `/admin/articles/${article.id}/hide`);
    await postButton('/admin', `/admin/articles/${article.id}/restore`);
    expect(await site.knex('webhook_events').count('* as n').first()).toEqual(before);
  });
});

describe('delivery', () => {
  test('a 500 is retried after 5 s with the same webhook-id; a Retry-After longer than the schedule is honoured', async () => {
    const { id, secret } = await addEndpoint(['payment.completed']);
    await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
    receiver.answer = () => ({ status: 500, body: 'boom' });
    expect(await worker.runOnce()).toBe(1);
    let [d] = await deliveryRows(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_http_status: 500 });
    expect(d.next_attempt_at.getTime() - now().getTime()).toBeGreaterThan(3000);
    expect(await worker.runOnce()).toBe(0); // not due yet

    advance(5);
    receiver.answer = () => ({ status: 503, headers: { 'retry-after': '3600' } });
    expect(await worker.runOnce()).toBe(1);
    [d] = await deliveryRows(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 2, last_http_status: 503 });
    // The schedule says 5 minutes; the receiver asked for an hour.
    expect(d.next_attempt_at.getTime() - now().getTime()).toBeGreaterThan(3500 * 1000);
    advance(301);
    expect(await worker.runOnce()).toBe(0);

    advance(3600);
    receiver.answer = () => ({ status: 204 });
    expect(await worker.runOnce()).toBe(1);
    const got = await receiver.waitFor(3);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    // Each attempt is signed at its own time: the last one verifies now (the older ones are too old to).
    expect((verifyWith(secret, got[2], now) as { type: string }).type).toBe('webhook.test');
    expect(Number(got[2].headers['webhook-timestamp']) - Number(got[0].headers['webhook-timestamp'])).toBeGreaterThanOrEqual(3605);
    [d] = await deliveryRows(id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, last_http_status: 204 });
    const attempts = await site.knex('webhook_attempts').where({ delivery_id: d.id }).orderBy('attempt');
    expect(attempts.map((a) => [a.attempt, a.http_status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 204],
    ]);
  });

  test('a receiver that is down gets the event once it is back', async () => {
    const { id, secret } = await addEndpoint(['payment.completed']);
    await receiver.stop();
    try {
      await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
      expect(await worker.runOnce()).toBe(1);
      const [d] = await deliveryRows(id);
      expect(d).toMatchObject({ status: 'pending', attempts: 1, last_http_status: null });
      expect(d.last_error).toMatch(/ECONNREFUSED/);
    } finally {
      await receiver.start();
    }
    advance(5);
    expect(await worker.runOnce()).toBe(1);
    const [got] = await receiver.waitFor(1);
    expect(verifyWith(secret, got, now)).toMatchObject({ type: 'webhook.test' });
    expect((await deliveryRows(id))[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  test('a receiver slower than the deadline counts as a failure and is tried again', async () => {
    const { id } = await addEndpoint(['payment.completed']);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    receiver.answer = () => ({ hold: held, status: 200 });
    await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
    try {
      expect(await worker.runOnce()).toBe(1);
    } finally {
      release();
    }
    const [d] = await deliveryRows(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_http_status: null, last_error: 'no answer within 1500 ms' });
    receiver.answer = () => ({ status: 200 });
    advance(5);
    expect(await worker.runOnce()).toBe(1);
    expect((await deliveryRows(id))[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  test('a redirect is not followed: it is a failed attempt', async () => {
    const { id } = await addEndpoint(['payment.completed']);
    receiver.answer = (r) => (r.path === '/hook' ? { status: 302, headers: { location: `${receiver.url}-elsewhere` } } : { status: 200 });
    await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
    expect(await worker.runOnce()).toBe(1);
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook']);
    expect((await deliveryRows(id))[0]).toMatchObject({ status: 'pending', last_http_status: 302 });
  });

  test('an endpoint failing for a day is disabled, the page says so, and nothing more is sent until it is enabled', async () => {
    const { id } = await addEndpoint(['payment.completed']);
    receiver.answer = () => ({ status: 500 });
    await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
    // Walk the schedule: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h ... until a day has passed.
    let attempts = 0;
    for (const wait of [0, 5, 300, 1800, 7200, 18000, 36000, 50400]) {
      advance(wait);
      attempts += await worker.runOnce();
      const endpoint = await site.knex('webhook_endpoints').where({ id }).first();
      if (!endpoint.enabled) break;
    }
    const endpoint = await site.knex('webhook_endpoints').where({ id }).first();
    expect(endpoint).toMatchObject({ enabled: false, disabled_reason: 'Every delivery failed for a day.' });
    expect(attempts).toBe(8); // the 8th attempt is 31 h 35 min after the first
    const page = await admin.get(`/admin/webhooks/${id}`);
    expect(page.text).toContain('This endpoint is disabled: Every delivery failed for a day.');
    expect((await admin.get('/admin/webhooks')).text).toContain('Every delivery failed for a day.');

    advance(24 * 3600);
    expect(await worker.runOnce()).toBe(0);
    receiver.answer = () => ({ status: 200 });
    await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/enable`);
    expect(await worker.runOnce()).toBe(1);
    expect((await deliveryRows(id))[0]).toMatchObject({ status: 'succeeded', attempts: 9 });
  });

  test('"deliver again" sends a delivered event once more with the same webhook-id', async () => {
    const { id } = await addEndpoint(['payment.completed']);
    await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
    await worker.runOnce();
    const [d] = await deliveryRows(id);
    const res = await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/deliveries/${d.id}/retry`);
    expect(res.status).toBe(302);
    expect(await worker.runOnce()).toBe(1);
    const got = await receiver.waitFor(2);
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
    expect((await deliveryRows(id))[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect((await admin.get(`/admin/webhooks/${id}`)).text).toMatch(/data-attempt>2</);
  });

  test('after a rotation both secrets sign, so receivers holding either one accept the delivery', async () => {
    const { id, secret: oldSecret } = await addEndpoint(['payment.completed']);
    const html = (await admin.get(`/admin/webhooks/${id}`)).text;
    const rotated = await admin
      .post(`/admin/webhooks/${id}/rotate`)
      .type('form')
      .send({ _csrf: csrfFrom(html) });
    const newSecret = /value="(whsec_[A-Za-z0-9+/=]+)"/.exec(rotated.text)![1];
    expect(newSecret).not.toBe(oldSecret);
    await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
    await worker.runOnce();
    const [got] = await receiver.waitFor(1);
    expect(got.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWith(oldSecret, got, now)).toMatchObject({ type: 'webhook.test' });
    expect(verifyWith(newSecret, got, now)).toMatchObject({ type: 'webhook.test' });

    // A day later only the new secret signs.
    advance(24 * 3600 + 60);
    await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
    await worker.runOnce();
    const later = (await receiver.waitFor(2))[1];
    expect(later.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => verifyWith(oldSecret, later, now)).toThrow('No matching signature found');
  });

  test('two workers running at once send each event to each endpoint once', async () => {
    const { id } = await addEndpoint(['payment.completed']);
    for (let i = 0; i < 6; i += 1) await postButton(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`);
    const other = createWebhookDelivery({
      knex: site.knex,
      logger: createLogger({ level: 'error', write: () => undefined }),
      settings: { timeoutMs: 1500, guardAddresses: false, allowedHosts: [] },
      now,
    });
    const [a, b] = await Promise.all([worker.runOnce(), other.runOnce()]);
    expect(a + b).toBe(6);
    const got = await receiver.waitFor(6);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(6);
    expect(
      await site
        .knex('webhook_attempts')
        .join('webhook_deliveries as d', 'd.id', 'webhook_attempts.delivery_id')
        .where('d.endpoint_id', id)
        .count('* as n')
        .first(),
    ).toEqual({ n: 6 });
  });
});
