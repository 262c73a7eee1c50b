import { loadConfig, ConfigError } from '../../src/config';
import { safeReturnPath } from '../../src/accounts/guards';
import { parseId } from '../../src/web/params';
import { passwordProblem } from '../../src/accounts/passwords';
import { invoiceMemo } from '../../src/payments/payments-service';
import { mayUpvote } from '../../src/payments/payable-article';
import { testBcryptCost } from '../helpers/test-bcrypt-cost';

describe('configuration', () => {
  test('development defaults: port 3000, embedded Postgres, devnet on LND ports, bcrypt cost 12', () => {
    const c = loadConfig({}, '/srv/site');
    expect(c).toMatchObject({ nodeEnv: 'development', port: 3000, databaseUrl: null, bcryptCost: 12, seedDemoData: true });
    expect(c.lightning).toEqual({ kind: 'devnet', dir: '/srv/site/.devnet', ports: { site: 10009, alice: 10010, bob: 10011 } });
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('every bad variable is named at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', NODE_ENV: 'production', DATABASE_URL: 'mysql://x', LND_GRPC_HOST: 'nohostport' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    for (const name of ['PORT', 'SESSION_SECRET', 'DATABASE_URL', 'LND_GRPC_HOST', 'LND_TLS_CERT_PATH', 'LND_MACAROON_PATH'])
      expect(msg).toContain(name);
  });

  test('production needs a real node and never seeds demo accounts unless DEMO_DATA=true', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).toThrow(/no Lightning node configured/);
    const base = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      LND_CONNECT: 'lndconnect://node:10009?macaroon=AgEDbG5k',
      PUBLIC_URL: 'https://reads.example',
    };
    expect(loadConfig(base).seedDemoData).toBe(false);
    expect(loadConfig({ ...base, DEMO_DATA: 'true' }).seedDemoData).toBe(true);
  });

  test('a low bcrypt cost is for tests and development: production refuses it', () => {
    const base = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      LND_CONNECT: 'lndconnect://node:10009?macaroon=AgEDbG5k',
      PUBLIC_URL: 'https://reads.example',
    };
    expect(() => loadConfig({ ...base, BCRYPT_COST: '4' })).toThrow(/BCRYPT_COST must be at least 10 in production/);
    expect(loadConfig({ ...base, BCRYPT_COST: '10' }).bcryptCost).toBe(10);
    expect(loadConfig({ BCRYPT_COST: '4' }, '/srv/site').bcryptCost).toBe(4);
  });

  test('test users are hashed at cost 4 unless TEST_BCRYPT_COST says otherwise, and never under NODE_ENV=production', () => {
    expect(testBcryptCost({})).toBe(4);
    expect(testBcryptCost({ TEST_BCRYPT_COST: '6' })).toBe(6);
    expect(() => testBcryptCost({ TEST_BCRYPT_COST: '3' })).toThrow(/TEST_BCRYPT_COST/);
    expect(() => testBcryptCost({ NODE_ENV: 'production' })).toThrow(/never run with NODE_ENV=production/);
  });
});

describe('the can-upvote rule', () => {
  test('a published article whose view payment is complete, and nothing else', () => {
    expect(mayUpvote({ status: 'published' }, { status: 'complete' })).toBe(true);
    expect(mayUpvote({ status: 'published' }, { status: 'pending_payment' })).toBe(false);
    expect(mayUpvote({ status: 'published' }, null)).toBe(false);
    expect(mayUpvote({ status: 'deleted by admin' }, { status: 'complete' })).toBe(false);
  });
});

describe('small rules', () => {
  test('return paths stay on this site', () => {
    expect(safeReturnPath('/articles/3')).toBe('/articles/3');
    for (const bad of ['//evil.example', '/\\evil', 'https://evil.example', 'javascript:alert(1)', undefined, ['/a']])
      expect(safeReturnPath(bad)).toBe('/');
  });

  test('article ids are positive integers and nothing else', () => {
    expect(parseId('42')).toBe(42);
    for (const bad of ['0', '-1', '01', '1.5', 'abc', '1e3', '99999999999999999999', '']) expect(parseId(bad)).toBeNull();
  });

  test('passwords are 8 to 72 bytes, counted in UTF-8', () => {
    expect(passwordProblem('1234567')).toMatch(/at least 8/);
    expect(passwordProblem('12345678')).toBeNull();
    expect(passwordProblem('a'.repeat(72))).toBeNull();
    expect(passwordProblem('a'.repeat(73))).toMatch(/at most 72/);
    expect(passwordProblem('€'.repeat(25))).toMatch(/at most 72/); // 75 bytes
  });

  test('invoice memos name the site, the article and the reader, and fit in a BOLT 11 description', () => {
    expect(invoiceMemo('Lightning Reads', { id: 7, title: 'On Paying' }, 'alice')).toBe(
      'Lightning Reads: article #7 "On Paying" for alice',
    );
    const long = invoiceMemo('Lightning Reads', { id: 7, title: 'ü'.repeat(400) }, 'alice');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(300);
    expect(long).toContain('for alice');
  });
});
