import { canTransition, judgeInvoice, transition } from '../../src/payments/state-machine';
import type { Invoice } from '../../src/lightning/types';

const now = new Date('2026-11-21T12:00:00Z');
const invoice = (over: Partial<Invoice>): Invoice => ({
  paymentHash: 'aa'.repeat(32),
  paymentRequest: 'lnbcrt10u1p',
  memo: 'm',
  valueSat: 1000,
  amtPaidSat: 0,
  state: 'OPEN',
  createdAt: new Date(now.getTime() - 60_000),
  expiresAt: new Date(now.getTime() + 3_540_000),
  settledAt: null,
  addIndex: 1,
  settleIndex: 0,
  ...over,
});

describe('payment transitions', () => {
  test.each([
    ['pending_invoice', 'pending_payment', true],
    ['pending_payment', 'complete', true],
    ['pending_payment', 'pending_payment', true],
    ['pending_invoice', 'error', true],
    ['pending_invoice', 'complete', false],
    ['complete', 'pending_payment', false],
    ['complete', 'pending_invoice', false],
    ['error', 'complete', false],
    ['error', 'pending_payment', true],
    ['error', 'pending_invoice', false],
  ] as const)('%s -> %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});

test('the moves the payments repo writes come from the table, and a move it lacks is refused', () => {
  expect(transition('pending_payment', 'complete')).toEqual({ from: 'pending_payment', to: 'complete' });
  expect(() => transition('complete', 'pending_payment')).toThrow('no move complete -> pending_payment');
  expect(() => transition('error', 'complete')).toThrow();
});

describe('what an invoice from the node means for a payment', () => {
  test('settled with the full price is paid', () => {
    const settledAt = new Date(now.getTime() - 1000);
    expect(judgeInvoice(invoice({ state: 'SETTLED', amtPaidSat: 1000, settledAt }), 1000, now)).toEqual({
      kind: 'settled',
      amountPaidSat: 1000,
      settledAt,
    });
  });
  test('settled with more than the price is paid', () => {
    expect(judgeInvoice(invoice({ state: 'SETTLED', amtPaidSat: 1500, settledAt: now }), 1000, now).kind).toBe('settled');
  });
  test('settled with less than the price needs a person', () => {
    expect(judgeInvoice(invoice({ state: 'SETTLED', amtPaidSat: 999, settledAt: now }), 1000, now)).toEqual({
      kind: 'underpaid',
      amountPaidSat: 999,
    });
  });
  test('open with time left is still waiting', () => {
    expect(judgeInvoice(invoice({}), 1000, now)).toEqual({ kind: 'open' });
  });
  test('accepted (a held HTLC) is still waiting, not paid', () => {
    expect(judgeInvoice(invoice({ state: 'ACCEPTED', amtPaidSat: 1000 }), 1000, now)).toEqual({ kind: 'open' });
  });
  test('open past its expiry counts as expired even before the node cancels it', () => {
    expect(judgeInvoice(invoice({ expiresAt: new Date(now.getTime() - 1) }), 1000, now)).toEqual({ kind: 'expired' });
  });
  test('canceled at expiry is expired; canceled long before it is an early cancel', () => {
    expect(judgeInvoice(invoice({ state: 'CANCELED', expiresAt: now }), 1000, now)).toEqual({ kind: 'expired' });
    expect(judgeInvoice(invoice({ state: 'CANCELED', expiresAt: new Date(now.getTime() + 3_540_000) }), 1000, now)).toEqual({
      kind: 'canceled',
    });
  });
  test('a node clock a few minutes ahead does not make an expiry cancel look early', () => {
    expect(judgeInvoice(invoice({ state: 'CANCELED', expiresAt: new Date(now.getTime() + 5 * 60_000) }), 1000, now)).toEqual({
      kind: 'expired',
    });
  });
});
