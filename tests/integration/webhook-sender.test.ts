/**
 * The webhook sender on its own, against a real local receiver: the production address guard
 * (checked after DNS, literal addresses too, an allow-list to open it), and the response cap.
 */
import { createWebhookSender } from '../../src/webhooks/send-webhook';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.stop());
afterEach(() => {
  receiver.received.length = 0;
  receiver.answer = () => ({ status: 200, body: 'ok' });
});

const sender = (allow: string[] = []) =>
  createWebhookSender({
    timeoutMs: 2000,
    maxResponseBytes: 1024,
    policy: { guard: true, allow, allowSetting: 'WEBHOOK_ALLOWED_HOSTS' },
    now: () => new Date(),
  });

describe('the address guard (production)', () => {
  // Which addresses are forbidden: tests/unit/address-guard.test.ts. Here: that the sender applies it.
  test('a literal loopback address is refused without a connection', async () => {
    const r = await sender()(`http://127.0.0.1:${receiver.port}/hook`, {}, '{}');
    expect(r).toMatchObject({ httpStatus: null });
    expect(r.error).toContain('127.0.0.1 is a private or local address; add it to WEBHOOK_ALLOWED_HOSTS');
    expect(receiver.received).toHaveLength(0);
  });

  test('a name that resolves to loopback is refused after DNS', async () => {
    const r = await sender()(`http://localhost:${receiver.port}/hook`, {}, '{}');
    expect(r.httpStatus).toBeNull();
    expect(r.error).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a private or local address/);
    expect(receiver.received).toHaveLength(0);
  });

  test('the allow-list opens a named host or address', async () => {
    expect((await sender(['localhost'])(`http://localhost:${receiver.port}/hook`, {}, '{}')).httpStatus).toBe(200);
    expect((await sender(['127.0.0.1'])(`http://127.0.0.1:${receiver.port}/hook`, {}, '{}')).httpStatus).toBe(200);
    expect(receiver.received).toHaveLength(2);
  });

  test('only http and https are spoken', async () => {
    const r = await sender()('file:///etc/passwd', {}, '{}');
    expect(r.error).toBe('only http and https URLs are delivered to');
  });
});

test('a huge response is read only up to the cap; the status still counts', async () => {
  receiver.answer = () => ({ status: 200, body: 'x'.repeat(2_000_000) });
  const r = await sender(['127.0.0.1'])(`http://127.0.0.1:${receiver.port}/hook`, {}, '{}');
  expect(r.httpStatus).toBe(200);
  expect(r.excerpt.length).toBeLessThanOrEqual(500);
});
