/**
 * Reads the environment once into a typed, frozen Config. Every bad variable is named at once, so a
 * person starting the site fixes them in one go instead of one restart per mistake.
 */
import path from 'node:path';
import { loadPriceConfig, type PriceConfig } from './prices/price-config';
import { readLimits, type SiteLimits } from './accounts/limits';

export type NodeEnv = 'development' | 'production' | 'test';

export type LightningConfig =
  | { kind: 'lndconnect'; connectUri: string }
  | { kind: 'lnd'; grpcHost: string; tlsCertPath: string; macaroonPath: string }
  | { kind: 'devnet'; dir: string; ports: { site: number; alice: number; bob: number } };

export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  siteName: string;
  /** Absolute URL the site is reached at, used in memos and links. */
  publicUrl: string;
  /** null: start the embedded PostgreSQL in dataDir/postgres. */
  databaseUrl: string | null;
  dataDir: string;
  embeddedPgPort: number;
  /** null in development: server.ts keeps a generated one in dataDir. */
  sessionSecret: string | null;
  seedDemoData: boolean;
  bcryptCost: number;
  invoiceExpirySeconds: number;
  /** Bounds of an article's price, in sats (ARTICLE_MIN_PRICE_SAT, ARTICLE_MAX_PRICE_SAT). */
  articleMinPriceSat: number;
  articleMaxPriceSat: number;
  /** The smallest paid upvote, in sats (UPVOTE_MIN_SAT). */
  upvoteMinSat: number;
  lightning: LightningConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Compile each EJS view once and keep it (VIEW_CACHE, on by default in production). */
  viewCache: boolean;
  /** Worker processes (WEB_CONCURRENCY); 1 runs the site in this process alone. */
  webConcurrency: number;
  /** /metrics: served to anyone (METRICS_PUBLIC, on outside production) or with `Authorization: Bearer METRICS_TOKEN`. */
  metricsPublic: boolean;
  metricsToken: string | null;
  /** Webhook delivery: WEBHOOK_TIMEOUT_MS, WEBHOOK_ALLOWED_HOSTS; private addresses refused in production. */
  webhooks: { timeoutMs: number; guardAddresses: boolean; allowedHosts: string[] };
  /** Admin pages warn when inbound capacity is below this many times the dearest article's price (LOW_INBOUND_ARTICLE_PRICES). */
  lowInboundArticlePrices: number;
  /** Prices in fiat (FIAT_CURRENCY, PRICE_*): src/prices/. */
  prices: PriceConfig;
  /** The L402 API (src/api/): credential lifetime, challenge invoice expiry, challenge limits. */
  machineApi: {
    credentialTtlSeconds: number;
    invoiceExpirySeconds: number;
    limits: { perClient: number; total: number; windowSeconds: number };
  };
  /** Express's `trust proxy` (TRUST_PROXY): false, a hop count, or the proxies' addresses. */
  trustProxy: boolean | number | string[];
  /** What is limited against hostile use, and by how much (src/accounts/limits.ts). */
  limits: SiteLimits;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Readers of the environment's variables (trimmed; empty counts as unset). A bad value is added to
 * `problems` and the fallback returned, so every bad variable can be named at once.
 */
export function envReaders(env: Env, problems: string[]) {
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  return { str, int, bool };
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const { str, int, bool } = envReaders(env, problems);

  const rawEnv = str('NODE_ENV') ?? 'development';
  let nodeEnv: NodeEnv = 'development';
  if (rawEnv === 'development' || rawEnv === 'production' || rawEnv === 'test') nodeEnv = rawEnv;
  else problems.push(`NODE_ENV must be development, production or test (got "${rawEnv}")`);
  const production = nodeEnv === 'production';

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST') ?? (production ? '0.0.0.0' : '127.0.0.1');
  const dataDir = path.resolve(cwd, str('DATA_DIR') ?? '.data');

  const databaseUrl = str('DATABASE_URL') ?? null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const sessionSecret = str('SESSION_SECRET') ?? null;
  if (production && !sessionSecret) problems.push('SESSION_SECRET is required when NODE_ENV=production');
  if (sessionSecret && sessionSecret.length < 32) problems.push('SESSION_SECRET must be at least 32 characters');

  // Feeds, the sitemap and Open Graph tags carry absolute links: a production site must say its address.
  if (production && !str('PUBLIC_URL')) problems.push('PUBLIC_URL is required when NODE_ENV=production (the https:// address readers use)');
  const publicUrl = (str('PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl)) problems.push('PUBLIC_URL must start with http:// or https://');

  const articleMinPriceSat = int('ARTICLE_MIN_PRICE_SAT', 1, 1, 100_000_000);
  const articleMaxPriceSat = int('ARTICLE_MAX_PRICE_SAT', 1_000_000, 1, 100_000_000);
  if (articleMinPriceSat > articleMaxPriceSat) problems.push('ARTICLE_MIN_PRICE_SAT must not be greater than ARTICLE_MAX_PRICE_SAT');

  const lightning = loadLightningConfig(str, int, production, cwd, problems);

  const bcryptCost = int('BCRYPT_COST', 12, 4, 15);
  // A low cost is for tests and development (fast logins); production never hashes below 10.
  if (production && bcryptCost < 10)
    problems.push('BCRYPT_COST must be at least 10 in production (lower costs are for tests and development)');

  const logLevel = str('LOG_LEVEL') ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be debug, info, warn or error (got "${logLevel}")`);
  }

  const config: Config = {
    nodeEnv,
    port,
    host,
    siteName: str('SITE_NAME') ?? 'Lightning Reads',
    publicUrl,
    databaseUrl,
    dataDir,
    embeddedPgPort: int('EMBEDDED_PG_PORT', 54329, 1024, 65535),
    sessionSecret,
    seedDemoData: bool('DEMO_DATA', !production),
    bcryptCost,
    invoiceExpirySeconds: int('INVOICE_EXPIRY_SECONDS', 3600, 60, 31_536_000),
    articleMinPriceSat,
    articleMaxPriceSat,
    upvoteMinSat: int('UPVOTE_MIN_SAT', 10, 1, 100_000_000),
    lightning,
    logLevel: logLevel as Config['logLevel'],
    viewCache: bool('VIEW_CACHE', production),
    webConcurrency: int('WEB_CONCURRENCY', 1, 1, 64),
    metricsPublic: bool('METRICS_PUBLIC', !production),
    metricsToken: str('METRICS_TOKEN') ?? null,
    webhooks: {
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 15_000, 100, 60_000),
      guardAddresses: production,
      allowedHosts: (str('WEBHOOK_ALLOWED_HOSTS') ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    },
    lowInboundArticlePrices: int('LOW_INBOUND_ARTICLE_PRICES', 10, 0, 1_000_000),
    prices: loadPriceConfig(str, int, problems),
    machineApi: {
      credentialTtlSeconds: int('L402_CREDENTIAL_TTL_SECONDS', 30 * 86400, 60, 366 * 86400),
      invoiceExpirySeconds: int('L402_INVOICE_EXPIRY_SECONDS', 600, 60, 86400),
      limits: {
        perClient: int('L402_CHALLENGES_PER_CLIENT', 30, 1, 100_000),
        total: int('L402_CHALLENGES_TOTAL', 600, 1, 1_000_000),
        windowSeconds: int('L402_CHALLENGE_WINDOW_SECONDS', 60, 1, 86400),
      },
    },
    trustProxy: parseTrustProxy(str('TRUST_PROXY'), problems),
    limits: readLimits(int),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * TRUST_PROXY as Express understands it: unset, false or 0 trusts nobody (the client address is the
 * connection's); a number trusts that many proxy hops; otherwise a comma list of addresses, subnets
 * (10.0.0.0/8) or Express's names (loopback, linklocal, uniquelocal). `true` (trust any sender of
 * X-Forwarded-For) is refused: anyone could then choose their address and escape every limit.
 */
export function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string[] {
  if (raw === undefined || /^(false|off|no|0)$/i.test(raw)) return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  if (/^(true|on|yes)$/i.test(raw)) {
    problems.push(
      'TRUST_PROXY=true would let any client choose its address: give the number of proxies in front of the site or their addresses',
    );
    return false;
  }
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const ok = parts.every((p) => /^(loopback|linklocal|uniquelocal)$/.test(p) || /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p));
  if (!ok || parts.length === 0) {
    problems.push(`TRUST_PROXY must be a number of proxy hops or a comma list of proxy addresses (got "${raw}")`);
    return false;
  }
  return parts;
}

function loadLightningConfig(
  str: (n: string) => string | undefined,
  int: (n: string, f: number, min: number, max: number) => number,
  production: boolean,
  cwd: string,
  problems: string[],
): LightningConfig {
  const connectUri = str('LND_CONNECT');
  const grpcHost = str('LND_GRPC_HOST');
  const tlsCertPath = str('LND_TLS_CERT_PATH');
  const macaroonPath = str('LND_MACAROON_PATH');
  const anyLnd = grpcHost || tlsCertPath || macaroonPath;
  if (connectUri) {
    if (anyLnd) problems.push('set either LND_CONNECT or LND_GRPC_HOST/LND_TLS_CERT_PATH/LND_MACAROON_PATH, not both');
    if (!connectUri.startsWith('lndconnect://')) problems.push('LND_CONNECT must be an lndconnect:// URI');
    return { kind: 'lndconnect', connectUri };
  }
  if (anyLnd) {
    if (!grpcHost) problems.push('LND_GRPC_HOST is required with LND_TLS_CERT_PATH/LND_MACAROON_PATH (host:port)');
    else if (!/^[^\s:]+:\d{1,5}$/.test(grpcHost)) problems.push(`LND_GRPC_HOST must be host:port (got "${grpcHost}")`);
    if (!tlsCertPath) problems.push('LND_TLS_CERT_PATH is required with LND_GRPC_HOST');
    if (!macaroonPath) problems.push('LND_MACAROON_PATH is required with LND_GRPC_HOST');
    return {
      kind: 'lnd',
      grpcHost: grpcHost ?? '',
      tlsCertPath: path.resolve(cwd, tlsCertPath ?? ''),
      macaroonPath: path.resolve(cwd, macaroonPath ?? ''),
    };
  }
  if (production) {
    problems.push(
      'no Lightning node configured: set LND_CONNECT, or LND_GRPC_HOST, LND_TLS_CERT_PATH and LND_MACAROON_PATH (the devnet is for development only)',
    );
  }
  return {
    kind: 'devnet',
    dir: path.resolve(cwd, str('DEVNET_DIR') ?? '.devnet'),
    ports: {
      site: int('DEVNET_SITE_PORT', 10009, 0, 65535),
      alice: int('DEVNET_ALICE_PORT', 10010, 0, 65535),
      bob: int('DEVNET_BOB_PORT', 10011, 0, 65535),
    },
  };
}
