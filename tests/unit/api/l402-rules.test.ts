/** The L402 pieces on their own: the identifier layout, tokens and caveats, header forms, limits. */
import { createHash, randomBytes } from 'node:crypto';
import { importMacaroon } from 'macaroon';
import { decodeIdentifier, encodeIdentifier } from '../../../src/api/l402/identifier';
import { checkToken, exportToken, mintToken, parseToken } from '../../../src/api/l402/macaroon-token';
import { challengeHeaders, readCredential } from '../../../src/api/l402/auth-header';
import { problemFor } from '../../../src/api/problem';
import { InvoiceNotFoundError, LightningError, LightningUnavailableError } from '../../../src/lightning/types';

const preimage = randomBytes(32);
const paymentHash = createHash('sha256').update(preimage).digest('hex');

describe('the macaroon identifier', () => {
  test('is 66 bytes: uint16 version 0, payment hash, token id', () => {
    const tokenId = randomBytes(32);
    const id = encodeIdentifier({ paymentHash: Buffer.from(paymentHash, 'hex'), tokenId });
    expect(id).toHaveLength(66);
    expect(id.subarray(0, 2).toString('hex')).toBe('0000');
    expect(id.subarray(2, 34).toString('hex')).toBe(paymentHash);
    expect(id.subarray(34).equals(tokenId)).toBe(true);
    expect(decodeIdentifier(id)).toEqual({ version: 0, paymentHash: Buffer.from(paymentHash, 'hex'), tokenId });
  });
  test('anything else is not one', () => {
    expect(decodeIdentifier(Buffer.alloc(65))).toBeNull();
    expect(decodeIdentifier(Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(64)]))).toBeNull();
  });
});

describe('tokens', () => {
  const validUntil = new Date(Date.UTC(2030, 0, 1));
  const minted = mintToken({ paymentHash, articleId: 7, validUntil });
  const parsed = parseToken(Buffer.from(minted.token, 'base64'))!;
  const ctx = { articleId: 7, now: new Date(Date.UTC(2029, 0, 1)), preimage: preimage.toString('hex') };

  test('our V2 binary export is what the macaroon package reads back, signature included', () => {
    const again = importMacaroon(exportToken(parsed.mac));
    expect(Buffer.from(again.signature).equals(Buffer.from(parsed.mac.signature))).toBe(true);
    expect(parsed.id.tokenId.toString('hex')).toBe(minted.tokenId);
  });
  test('checks the signature and every caveat', () => {
    expect(checkToken(parsed.mac, minted.rootKey, ctx)).toEqual({ ok: true });
    expect(checkToken(parsed.mac, randomBytes(32), ctx)).toEqual({ ok: false, reason: 'signature' });
    expect(checkToken(parsed.mac, minted.rootKey, { ...ctx, articleId: 8 })).toEqual({ ok: false, reason: 'other_article' });
    expect(checkToken(parsed.mac, minted.rootKey, { ...ctx, now: validUntil })).toEqual({ ok: false, reason: 'expired' });
  });
  test('a caveat the client adds can only narrow; an unknown one refuses', () => {
    const narrowed = parseToken(Buffer.from(minted.token, 'base64'))!;
    narrowed.mac.addFirstPartyCaveat('articles_valid_until=1');
    expect(checkToken(narrowed.mac, minted.rootKey, ctx)).toEqual({ ok: false, reason: 'expired' });
    const odd = parseToken(Buffer.from(minted.token, 'base64'))!;
    odd.mac.addFirstPartyCaveat('admin=true');
    expect(checkToken(odd.mac, minted.rootKey, ctx)).toEqual({ ok: false, reason: 'caveat' });
  });
  test('garbage is not a token', () => {
    expect(parseToken(Buffer.from('hello'))).toBeNull();
    expect(parseToken(Buffer.alloc(0))).toBeNull();
  });
});

describe('credentials in headers', () => {
  const tok = Buffer.from('abc').toString('base64');
  const pre = 'ab'.repeat(32);
  test.each([
    [`L402 ${tok}:${pre}`, 'L402'],
    [`LSAT ${tok}:${pre}`, 'LSAT'],
    [`l402 ${tok}:${pre.toUpperCase()}`, 'L402'],
    [`L402 token="${tok}", preimage="${pre}"`, 'L402'],
    [`LSAT macaroon="${tok}", preimage="${pre}"`, 'LSAT'],
  ])('%s', (value, scheme) => {
    expect(readCredential({ authorization: value })).toEqual({ kind: 'l402', tokens: [Buffer.from('abc')], preimage: pre, scheme });
  });
  test('several tokens, the Macaroon header, Bearer, nothing, and what cannot be read', () => {
    expect(readCredential({ authorization: `L402 ${tok},${tok}:${pre}` })).toMatchObject({
      kind: 'l402',
      tokens: [Buffer.from('abc'), Buffer.from('abc')],
    });
    expect(readCredential({ macaroon: 'abcd' })).toEqual({
      kind: 'l402',
      tokens: [Buffer.from('abcd', 'hex')],
      preimage: null,
      scheme: 'Macaroon',
    });
    expect(readCredential({ authorization: 'Bearer lr_abcdefghijkl' })).toEqual({ kind: 'bearer', secret: 'lr_abcdefghijkl' });
    expect(readCredential({})).toEqual({ kind: 'none' });
    for (const bad of ['L402', `L402 ${tok}`, `L402 ${tok}:12`, 'Basic dXNlcjpwYXNz', `L402 token="${tok}"`, 'Bearer x'])
      expect(readCredential({ authorization: bad })).toEqual({ kind: 'malformed' });
    expect(readCredential({ macaroon: 'xyz' })).toEqual({ kind: 'malformed' });
  });
  test('a token whose base64 has only letters and digits before its padding is still the spec form, not key=value', () => {
    // About 1 in 100 real tokens looks so ("AbC...xyz=" reads like `name=`); they were refused as malformed.
    const wordy = Buffer.from('ABCD');
    expect(wordy.toString('base64')).toBe('QUJDRA==');
    expect(readCredential({ authorization: `L402 QUJDRA==:${pre}` })).toEqual({
      kind: 'l402',
      tokens: [wordy],
      preimage: pre,
      scheme: 'L402',
    });
    expect(readCredential({ authorization: `LSAT QUJDRA==,${tok}:${pre}` })).toMatchObject({
      kind: 'l402',
      tokens: [wordy, Buffer.from('abc')],
    });
  });
  test('the two challenges: the spec form first, then the LSAT form', () => {
    expect(challengeHeaders('T', 'lnbcrt1x')).toEqual([
      'L402 version="0", token="T", invoice="lnbcrt1x"',
      'LSAT macaroon="T", invoice="lnbcrt1x"',
    ]);
  });
});

describe('problems', () => {
  test('the node and unknown errors become problems without internals', () => {
    expect(problemFor(new LightningUnavailableError('14 UNAVAILABLE: connect ECONNREFUSED'))).toMatchObject({
      status: 503,
      code: 'node_unavailable',
    });
    for (const err of [new InvoiceNotFoundError('invoice not found'), new LightningError('wallet locked', 2)])
      expect(problemFor(err)).toMatchObject({ status: 503, code: 'node_unavailable', headers: { 'Retry-After': '30' } });
    const p = problemFor(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(p).toMatchObject({ status: 500, code: 'internal_error' });
    expect(p.detail).not.toMatch(/undefined/);
  });
});
