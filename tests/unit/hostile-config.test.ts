/** The settings that decide who a client is and what is limited, read once at start. */
import { loadConfig, ConfigError, parseTrustProxy } from '../../src/config';
import { DEFAULT_LIMITS } from '../../src/accounts/limits';

const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LND_CONNECT: 'lndconnect://node:10009?macaroon=AgEDbG5k' };

test('production refuses to start without PUBLIC_URL (feeds, sitemap and Open Graph would say localhost)', () => {
  expect(() => loadConfig(production)).toThrow(ConfigError);
  expect(() => loadConfig(production)).toThrow(/PUBLIC_URL is required when NODE_ENV=production/);
  expect(loadConfig({ ...production, PUBLIC_URL: 'https://reads.example/' }).publicUrl).toBe('https://reads.example');
  // Development keeps its default.
  expect(loadConfig({}).publicUrl).toBe('http://localhost:3000');
});

test('TRUST_PROXY is off by default; a hop count or proxy addresses as Express understands them', () => {
  expect(loadConfig({}).trustProxy).toBe(false);
  expect(loadConfig({ ...production, PUBLIC_URL: 'https://r.example' }).trustProxy).toBe(false);
  expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
  expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
  const problems: string[] = [];
  expect(parseTrustProxy('true', problems)).toBe(false);
  expect(parseTrustProxy('evil host', problems)).toBe(false);
  expect(problems).toHaveLength(2);
  expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true would let any client choose its address/);
});

test('the limits have defaults and each has its variable', () => {
  expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
  const c = loadConfig({
    LOGIN_LIMIT_PER_USER_IP: '3',
    SIGNUP_LIMIT_PER_IP: '2',
    UPVOTE_MAX_SAT: '5000',
    EVENT_STREAMS_PER_USER: '1',
    BCRYPT_CONCURRENCY: '3',
  });
  expect(c.limits).toMatchObject({ loginPerUserIp: 3, signupPerIpPerHour: 2, upvoteMaxSat: 5000, streamsPerUser: 1, bcryptConcurrency: 3 });
  expect(() => loadConfig({ LOGIN_LIMIT_PER_IP: '0' })).toThrow(/LOGIN_LIMIT_PER_IP must be a whole number from 1/);
});
