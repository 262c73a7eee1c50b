/**
 * The Withdrawal state machine, written down once; the SQL in withdrawals-repo.ts guards every
 * transition with `WHERE status IN (<allowed from>)` taken from this table, so the table is the rule.
 *
 * | from       | to         | when                                                                  | balance                          |
 * |------------|------------|-----------------------------------------------------------------------|----------------------------------|
 * | (none)     | requested  | the writer asked; invoice checked; row + debit committed, node not yet called | - (amount + fee reserve)   |
 * | requested  | in_flight  | the node accepted the payment (SendPaymentV2 answered IN_FLIGHT, or TrackPaymentV2 found it) | unchanged |
 * | requested  | succeeded  | the node reported SUCCEEDED before we saw IN_FLIGHT                   | + (reserve - real fee)           |
 * | in_flight  | succeeded  | SendPaymentV2 / TrackPaymentV2 report SUCCEEDED                       | + (reserve - real fee)           |
 * | requested  | failed     | the node refused it and TrackPaymentV2 says it never started, or FAILED | + (amount + reserve), once     |
 * | in_flight  | failed     | SendPaymentV2 / TrackPaymentV2 report FAILED                          | + (amount + reserve), once       |
 *
 * succeeded and failed are final. Nothing else moves a withdrawal: a restart, a lost connection or an
 * answer ALREADY_EXISTS ("payment is in transition", "invoice is already paid") leads to TrackPaymentV2,
 * never to a second SendPaymentV2 for a withdrawal the node already knows.
 */
export type WithdrawalStatus = 'requested' | 'in_flight' | 'succeeded' | 'failed';

export const WITHDRAWAL_TRANSITIONS: Readonly<Record<WithdrawalStatus, readonly WithdrawalStatus[]>> = {
  requested: ['in_flight', 'succeeded', 'failed'],
  in_flight: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
};

/** The states a withdrawal may move to `to` from. */
export function allowedFrom(to: WithdrawalStatus): WithdrawalStatus[] {
  return (Object.keys(WITHDRAWAL_TRANSITIONS) as WithdrawalStatus[]).filter((from) => WITHDRAWAL_TRANSITIONS[from].includes(to));
}

export const OPEN_STATUSES: readonly WithdrawalStatus[] = ['requested', 'in_flight'];
