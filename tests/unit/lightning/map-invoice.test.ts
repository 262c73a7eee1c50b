import { mapInvoice, RawInvoice } from '../../../src/lightning/map-invoice';
import { LightningError } from '../../../src/lightning/types';

const HASH = 'ab'.repeat(32);
const CREATED = 1_700_000_000;

/** An LND invoice as proto-loader delivers it: strings for int64, Buffer for bytes, enum names. */
function rawInvoice(overrides: Partial<RawInvoice> = {}): RawInvoice {
  return {
    memo: 'Article 7 for alice',
    r_hash: Buffer.from(HASH, 'hex'),
    value: '1000',
    value_msat: '1000000',
    creation_date: String(CREATED),
    settle_date: '0',
    payment_request: 'lnbcrt10u1pexample',
    expiry: '86400',
    add_index: '3',
    settle_index: '0',
    amt_paid_sat: '0',
    amt_paid_msat: '0',
    state: 'OPEN',
    ...overrides,
  };
}

describe('mapping LND invoices to the site Invoice', () => {
  test('an open invoice has its hash as hex, its amount, its expiry and no settlement', () => {
    expect(mapInvoice(rawInvoice())).toEqual({
      paymentHash: HASH,
      paymentRequest: 'lnbcrt10u1pexample',
      memo: 'Article 7 for alice',
      valueSat: 1000,
      amtPaidSat: 0,
      state: 'OPEN',
      createdAt: new Date(CREATED * 1000),
      expiresAt: new Date((CREATED + 86_400) * 1000),
      settledAt: null,
      addIndex: 3,
      settleIndex: 0,
      preimage: null,
    });
  });

  test('a settled invoice carries the amount paid, the settle date and the settle index', () => {
    const invoice = mapInvoice(
      rawInvoice({
        state: 'SETTLED',
        settle_date: String(CREATED + 60),
        settle_index: '2',
        amt_paid_sat: '1000',
        amt_paid_msat: '1000000',
        r_preimage: Buffer.from('cd'.repeat(32), 'hex'),
      }),
    );
    expect(invoice.state).toBe('SETTLED');
    expect(invoice.preimage).toBe('cd'.repeat(32));
    expect(invoice.amtPaidSat).toBe(1000);
    expect(invoice.settledAt).toEqual(new Date((CREATED + 60) * 1000));
    expect(invoice.settleIndex).toBe(2);
  });

  test('a canceled invoice has no settlement date even if LND sent one', () => {
    const invoice = mapInvoice(rawInvoice({ state: 'CANCELED', settle_date: String(CREATED + 5) }));
    expect(invoice.state).toBe('CANCELED');
    expect(invoice.settledAt).toBeNull();
  });

  test('an accepted (held) invoice maps to ACCEPTED without a settlement', () => {
    const invoice = mapInvoice(rawInvoice({ state: 'ACCEPTED', amt_paid_sat: '1000', amt_paid_msat: '1000000' }));
    expect(invoice.state).toBe('ACCEPTED');
    expect(invoice.settledAt).toBeNull();
  });

  test('an overpaid invoice reports what was really received', () => {
    const invoice = mapInvoice(
      rawInvoice({ state: 'SETTLED', settle_date: String(CREATED + 1), amt_paid_sat: '1500', amt_paid_msat: '1500000' }),
    );
    expect(invoice.valueSat).toBe(1000);
    expect(invoice.amtPaidSat).toBe(1500);
  });

  test('when only msat amounts are present, sats are the floor of msat / 1000', () => {
    const invoice = mapInvoice(
      rawInvoice({ value: '0', value_msat: '1000999', amt_paid_sat: '0', amt_paid_msat: '1000999', state: 'SETTLED' }),
    );
    expect(invoice.valueSat).toBe(1000);
    expect(invoice.amtPaidSat).toBe(1000);
  });

  test('an any-amount invoice has value 0', () => {
    expect(mapInvoice(rawInvoice({ value: '0', value_msat: '0' })).valueSat).toBe(0);
  });

  test('an expired invoice expires at creation date plus expiry, in the past', () => {
    const invoice = mapInvoice(rawInvoice({ state: 'CANCELED', expiry: '60' }));
    expect(invoice.expiresAt).toEqual(new Date((CREATED + 60) * 1000));
    expect(invoice.expiresAt.getTime()).toBeLessThan(Date.now());
  });

  test('an invoice without an expiry uses the BOLT 11 default of one hour', () => {
    expect(mapInvoice(rawInvoice({ expiry: '0' })).expiresAt).toEqual(new Date((CREATED + 3600) * 1000));
  });

  test('an invoice whose hash is not 32 bytes is rejected', () => {
    expect(() => mapInvoice(rawInvoice({ r_hash: Buffer.alloc(5) }))).toThrow(LightningError);
  });

  test('an unknown invoice state is rejected rather than guessed', () => {
    expect(() => mapInvoice(rawInvoice({ state: '7' }))).toThrow(/unknown invoice state: 7/);
  });

  test('a 64-bit number beyond what a double holds exactly is rejected', () => {
    expect(() => mapInvoice(rawInvoice({ add_index: '18446744073709551615' }))).toThrow(/add_index/);
  });
});
