/**
 * Money rules, in integer sats. The site's fee on a payment is ceil(amount * pct / 100) (computed in
 * SQL by the ledger's credit function, and here for display and tests): the site keeps at most one
 * sat more than the exact percentage. A withdrawal holds a fee reserve = max(min, ceil(amount * pct / 100))
 * back while in flight; that is also the fee limit given to the node, so the real fee never exceeds it.
 * A routing fee the node reports in msat is charged as ceil(msat / 1000) sats.
 */
export function platformFee(amountSat: number, percent: number): number {
  return Math.floor((amountSat * percent + 99) / 100);
}

export function feeReserve(amountSat: number, rule: { percent: number; minSat: number }): number {
  return Math.max(rule.minSat, Math.floor((amountSat * rule.percent + 99) / 100));
}

export function msatToSatCeil(msat: bigint): number {
  return Number((msat + 999n) / 1000n);
}

/** The largest amount whose amount + reserve fits in `available` (auto-withdraw spends the balance). */
export function largestWithdrawal(available: number, rule: { percent: number; minSat: number }): number {
  let amount = Math.max(0, available - feeReserve(available, rule));
  while (amount > 0 && amount + feeReserve(amount, rule) > available) amount -= 1;
  while (amount + 1 + feeReserve(amount + 1, rule) <= available) amount += 1;
  return amount;
}
