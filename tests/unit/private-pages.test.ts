/** Pages for a signed-in user are never cached, and a session nobody signed in to lives an hour. */
import type { Request, Response } from 'express';
import { ANONYMOUS_SESSION_MS, noStoreForSignedIn, sessionLifetime } from '../../src/web/private-pages';

const THIRTY_DAYS = 30 * 24 * 3600 * 1000;
const response = () => {
  const headers: Record<string, string> = {};
  return { headers, res: { setHeader: (k: string, v: string) => void (headers[k.toLowerCase()] = v) } as unknown as Response };
};

test('a signed-in request gets Cache-Control: private, no-store; an anonymous one is left alone', () => {
  const signedIn = response();
  noStoreForSignedIn({ user: { id: 1 } } as unknown as Request, signedIn.res, () => undefined);
  expect(signedIn.headers['cache-control']).toBe('private, no-store');
  const anonymous = response();
  noStoreForSignedIn({} as Request, anonymous.res, () => undefined);
  expect(anonymous.headers['cache-control']).toBeUndefined();
});

test('a session without a user is kept one hour; a signed-in one keeps its 30 days', () => {
  const anonymous = { session: { cookie: { maxAge: THIRTY_DAYS } } } as unknown as Request;
  sessionLifetime(anonymous, {} as Response, () => undefined);
  expect(anonymous.session.cookie.maxAge).toBe(ANONYMOUS_SESSION_MS);
  const signedIn = { user: { id: 1 }, session: { cookie: { maxAge: THIRTY_DAYS } } } as unknown as Request;
  sessionLifetime(signedIn, {} as Response, () => undefined);
  expect(signedIn.session.cookie.maxAge).toBe(THIRTY_DAYS);
});
