import { askedPriceIsStale } from '../../src/payments/invoice-price';

const EUR5 = { currency: 'EUR', minor: 500 };
const quote = (minor: number, rate: number) => ({ currency: 'EUR', minor, rate });

describe("askedPriceIsStale: whether a reader's open invoice is replaced at the current price", () => {
  test('a sats price: stale when the article asks other sats, or the invoice was converted from fiat', () => {
    expect(askedPriceIsStale({ priceSat: 100, priceFiat: null }, { amountSat: 100, fiat: null })).toBe(false);
    expect(askedPriceIsStale({ priceSat: 120, priceFiat: null }, { amountSat: 100, fiat: null })).toBe(true);
    expect(askedPriceIsStale({ priceSat: 100, priceFiat: null }, { amountSat: 100, fiat: quote(500, 50_000) })).toBe(true);
  });

  test('a fiat price: the rate moving keeps the invoice; another fiat price or currency replaces it', () => {
    expect(askedPriceIsStale({ priceSat: 10_000, priceFiat: EUR5 }, { amountSat: 12_500, fiat: quote(500, 40_000) })).toBe(false);
    expect(
      askedPriceIsStale({ priceSat: 12_000, priceFiat: { currency: 'EUR', minor: 600 } }, { amountSat: 10_000, fiat: quote(500, 50_000) }),
    ).toBe(true);
    expect(
      askedPriceIsStale({ priceSat: 10_000, priceFiat: { currency: 'USD', minor: 500 } }, { amountSat: 10_000, fiat: quote(500, 50_000) }),
    ).toBe(true);
  });

  test('a fiat price whose invoice was issued without a fresh rate (the saved sats): stale when those sats changed', () => {
    expect(askedPriceIsStale({ priceSat: 10_000, priceFiat: EUR5 }, { amountSat: 10_000, fiat: null })).toBe(false);
    expect(askedPriceIsStale({ priceSat: 12_000, priceFiat: { currency: 'EUR', minor: 600 } }, { amountSat: 10_000, fiat: null })).toBe(
      true,
    );
  });
});
