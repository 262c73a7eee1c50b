/**
 * What the site limits against hostile or careless use, and by how much: one object, read once
 * from the environment by config.ts (each value has its own variable, listed in README's security
 * section) and handed to createApp.
 */
export interface SiteLimits {
  /** Failed logins from one client address, any usernames, per window (LOGIN_LIMIT_PER_IP). */
  loginPerIp: number;
  /** Failed logins for one username from one client address (LOGIN_LIMIT_PER_USER_IP). */
  loginPerUserIp: number;
  /**
   * Failed logins for one account from every address together, from browsers that have not logged
   * in to it before (LOGIN_LIMIT_PER_ACCOUNT). Its owner's browser is never counted, so nobody can
   * lock the owner out by failing on purpose.
   */
  loginPerAccount: number;
  loginWindowMs: number;
  /** Signups attempted from one client address per hour (SIGNUP_LIMIT_PER_IP). */
  signupPerIpPerHour: number;
  /** Password hashes and checks (bcrypt) running at once; the rest queue (BCRYPT_CONCURRENCY). */
  bcryptConcurrency: number;
  /** Waiting bcrypt jobs beyond which a request is told the site is busy. */
  bcryptQueue: number;
  /** Markdown previews per writer per 10 minutes (PREVIEW_LIMIT_PER_USER). */
  previewPerUserPer10Min: number;
  /** Markdown render workers (MARKDOWN_WORKERS) and the renders that may wait for one. */
  markdownWorkers: number;
  markdownQueue: number;
  /** A render taking longer is stopped and the text refused as too complex (ms). */
  markdownTimeoutMs: number;
  /** The largest upvote (UPVOTE_MAX_SAT). */
  upvoteMaxSat: number;
  /** Unpaid upvote invoices one reader may hold at once (UPVOTE_OPEN_PER_READER). */
  upvoteOpenPerReader: number;
  /** Unpaid upvote invoices on one article from all readers at once (UPVOTE_OPEN_PER_ARTICLE). */
  upvoteOpenPerArticle: number;
  /** Open live-update streams per user and in this process (EVENT_STREAMS_PER_USER, EVENT_STREAMS_TOTAL). */
  streamsPerUser: number;
  streamsTotal: number;
}

export const DEFAULT_LIMITS: Readonly<SiteLimits> = Object.freeze({
  loginPerIp: 50,
  loginPerUserIp: 5,
  loginPerAccount: 20,
  loginWindowMs: 15 * 60 * 1000,
  signupPerIpPerHour: 10,
  bcryptConcurrency: 2,
  bcryptQueue: 100,
  previewPerUserPer10Min: 30,
  markdownWorkers: 1,
  markdownQueue: 8,
  markdownTimeoutMs: 5_000,
  upvoteMaxSat: 1_000_000,
  upvoteOpenPerReader: 5,
  upvoteOpenPerArticle: 50,
  streamsPerUser: 4,
  streamsTotal: 1_000,
});

/** The environment variables of the limits that have one, with their bounds. */
export const LIMIT_VARIABLES: ReadonlyArray<readonly [keyof SiteLimits, string, number, number]> = [
  ['loginPerIp', 'LOGIN_LIMIT_PER_IP', 1, 100_000],
  ['loginPerUserIp', 'LOGIN_LIMIT_PER_USER_IP', 1, 1_000],
  ['loginPerAccount', 'LOGIN_LIMIT_PER_ACCOUNT', 1, 100_000],
  ['signupPerIpPerHour', 'SIGNUP_LIMIT_PER_IP', 1, 100_000],
  ['bcryptConcurrency', 'BCRYPT_CONCURRENCY', 1, 64],
  ['previewPerUserPer10Min', 'PREVIEW_LIMIT_PER_USER', 1, 100_000],
  ['markdownWorkers', 'MARKDOWN_WORKERS', 1, 16],
  ['upvoteMaxSat', 'UPVOTE_MAX_SAT', 1, 100_000_000],
  ['upvoteOpenPerReader', 'UPVOTE_OPEN_PER_READER', 1, 10_000],
  ['upvoteOpenPerArticle', 'UPVOTE_OPEN_PER_ARTICLE', 1, 100_000],
  ['streamsPerUser', 'EVENT_STREAMS_PER_USER', 1, 1_000],
  ['streamsTotal', 'EVENT_STREAMS_TOTAL', 1, 1_000_000],
];

export function readLimits(int: (name: string, fallback: number, min: number, max: number) => number): SiteLimits {
  const limits: SiteLimits = { ...DEFAULT_LIMITS };
  for (const [field, name, min, max] of LIMIT_VARIABLES) limits[field] = int(name, DEFAULT_LIMITS[field], min, max);
  return limits;
}
