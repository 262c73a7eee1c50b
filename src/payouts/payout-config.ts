/**
 * Payout settings, read once at start from the environment (server.ts). Every bad variable is named
 * at once, like src/config.ts does for the rest.
 */
import { ConfigError, envReaders } from '../config';
import type { AddressPolicy } from '../lib/address-guard';

export interface PayoutConfig {
  /** The site's share of every payment, in percent (PLATFORM_FEE_PERCENT, default 10). */
  platformFeePercent: number;
  /** Where an upvote's writer share goes (UPVOTE_SPLIT): all to the writer, or partly to earlier upvoters. */
  upvoteSplit: 'writer' | 'earlier-upvoters';
  /** With earlier-upvoters: the percent of the writer's share that goes to them (UPVOTE_SHARE_PERCENT, 50). */
  upvoteSharePercent: number;
  minSat: number;
  maxSat: number;
  dailyMaxSat: number;
  /** Withdrawal requests one user may make per hour (throttling). */
  perHour: number;
  feeReservePercent: number;
  feeReserveMinSat: number;
  /** SendPaymentV2 timeout_seconds. */
  timeoutSeconds: number;
  /** How often in-flight withdrawals are tracked and automatic withdrawals looked for. */
  reconcileSeconds: number;
  /** Plain http:// for Lightning Addresses on loopback hosts (never in production). */
  allowLoopbackHttp: boolean;
  /**
   * Where Lightning Address requests may connect: non-public addresses are refused after DNS in
   * production, and elsewhere with LIGHTNING_ADDRESS_GUARD=on (tests may add a resolver).
   */
  addressPolicy: AddressPolicy;
  /** Test-only fault: 'kill-after-send' SIGKILLs the process once the node's final answer arrived, before it is recorded. */
  fault: 'kill-after-send' | null;
}

type Env = Record<string, string | undefined>;

export function loadPayoutConfig(env: Env = process.env): PayoutConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const { str, int } = envReaders(env, problems);
  const split = str('UPVOTE_SPLIT') ?? 'writer';
  if (split !== 'writer' && split !== 'earlier-upvoters') problems.push(`UPVOTE_SPLIT must be writer or earlier-upvoters (got "${split}")`);
  const fault = str('PAYOUT_FAULT') ?? null;
  if (fault !== null && fault !== 'kill-after-send') problems.push(`PAYOUT_FAULT must be kill-after-send (got "${fault}")`);
  const guard = str('LIGHTNING_ADDRESS_GUARD') ?? (production ? 'on' : 'off');
  if (guard !== 'on' && guard !== 'off') problems.push(`LIGHTNING_ADDRESS_GUARD must be on or off (got "${guard}")`);
  if (guard === 'off' && production) problems.push('LIGHTNING_ADDRESS_GUARD=off is refused with NODE_ENV=production');
  if (fault !== null && production) problems.push('PAYOUT_FAULT is a test hook and is refused with NODE_ENV=production');
  const config: PayoutConfig = {
    platformFeePercent: int('PLATFORM_FEE_PERCENT', 10, 0, 100),
    upvoteSplit: split === 'earlier-upvoters' ? 'earlier-upvoters' : 'writer',
    upvoteSharePercent: int('UPVOTE_SHARE_PERCENT', 50, 0, 100),
    minSat: int('WITHDRAWAL_MIN_SAT', 10, 1, 100_000_000),
    maxSat: int('WITHDRAWAL_MAX_SAT', 1_000_000, 1, 100_000_000),
    dailyMaxSat: int('WITHDRAWAL_DAILY_MAX_SAT', 5_000_000, 1, 2_100_000_000_000_000),
    perHour: int('WITHDRAWALS_PER_HOUR', 20, 1, 100_000),
    feeReservePercent: int('WITHDRAWAL_FEE_RESERVE_PERCENT', 1, 0, 100),
    feeReserveMinSat: int('WITHDRAWAL_FEE_RESERVE_MIN_SAT', 2, 0, 100_000),
    timeoutSeconds: int('WITHDRAWAL_TIMEOUT_SECONDS', 60, 1, 3600),
    reconcileSeconds: int('PAYOUT_RECONCILE_SECONDS', 15, 1, 3600),
    allowLoopbackHttp: !production,
    addressPolicy: { guard: guard === 'on', allow: [] },
    fault: fault === 'kill-after-send' ? fault : null,
  };
  if (config.minSat > config.maxSat) problems.push('WITHDRAWAL_MIN_SAT must not be greater than WITHDRAWAL_MAX_SAT');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
