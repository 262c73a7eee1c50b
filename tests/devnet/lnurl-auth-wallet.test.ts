/**
 * The devnet wallet's LNURL-auth pieces against published vectors: BIP-32 (test vector 1), the
 * LUD-05 path for a domain, LUD-01's bech32 LNURL, LUD-04's signature vector, and a signed callback
 * that @noble/curves verifies with the linking key it carries.
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { derivePath, HARDENED } from '../../src/devnet/bip32';
import { linkingPathSuffix, linkingPrivateKey, signLnurlAuth } from '../../src/devnet/lnurl-auth-wallet';
import { decodeLnurl, encodeLnurl, keyauthUrl, lnurlToUrl } from '../../src/lib/lnurl';

const H = HARDENED;
/** A DER signature as the 64 bytes noble's verify takes. */
const hex = (s: string) => Buffer.from(s, 'hex');
const der = (hex: string) => secp256k1.Signature.fromDER(hex).toCompactRawBytes();
const seed = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');

test('BIP-32 test vector 1: private keys along m/0H/1/2H/2/1000000000', () => {
  const key = (path: number[]) => derivePath(seed, path).key.toString('hex');
  expect(key([])).toBe('e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35');
  expect(key([0 + H])).toBe('edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea');
  expect(key([0 + H, 1])).toBe('3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368');
  expect(key([0 + H, 1, 2 + H])).toBe('cbce0d719ecf7431d88e6a89fa1483e02e35092af60c042b1df2ff59fa424dca');
  expect(key([0 + H, 1, 2 + H, 2])).toBe('0f479245fb19a38a1954c5c7c0ebab2f9bdfd96a17563ef28a6a4b1a2a764ef4');
  expect(key([0 + H, 1, 2 + H, 2, 1000000000])).toBe('471b76e389e528d6de6d816857e012c5455051cad6660850e58372a6c3e6e7c8');
});

test("LUD-05's vector: site.com and its hashing key give the path suffix", () => {
  const hashingKey = Buffer.from('7d417a6a5e9a6a4a879aeaba11a11838764c8fa2b959c242d43dea682b3e409b', 'hex');
  expect(linkingPathSuffix(hashingKey, 'site.com')).toEqual([1588488367, 2659270754, 38110259, 4136336762]);
});

test("LUD-01's vector: an https URL and its LNURL, both ways", () => {
  const url = 'https://service.com/api?q=3fc3645b439ce8e7f2553a69e5267081d96dcd340693afabe04be7b0ccd178df';
  const lnurl =
    'LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS';
  expect(encodeLnurl(url)).toBe(lnurl);
  expect(decodeLnurl(lnurl.toLowerCase())).toBe(url);
  expect(lnurlToUrl(`lightning:${lnurl}`)).toBe(url);
  expect(lnurlToUrl(keyauthUrl(url))).toBe(url);
  expect(() =>
    decodeLnurl(
      'LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNQ',
    ),
  ).toThrow();
});

test("LUD-04's signature vector verifies with @noble/curves (k1 is the message hash, DER)", () => {
  const k1 = 'e2af6254a8df433264fa23f67eb8188635d15ce883e8fc020989d5f82ae6f11e';
  const key = '02c3b844b8104f0c1b15c507774c9ba7fc609f58f343b9b149122e944dd20c9362';
  const sig =
    '304402203767faf494f110b139293d9bab3c50e07b3bf33c463d4aa767256cd09132dc5102205821f8efacdb5c595b92ada255876d9201e126e2f31a140d44561cc1f7e9e43d';
  expect(secp256k1.verify(der(sig), hex(k1), hex(key))).toBe(true);
  expect(secp256k1.verify(der(sig), hex(k1.replace(/^e2/, 'e3')), hex(key))).toBe(false);
});

test('the wallet signs k1 with its per-domain linking key; each domain gets another key', () => {
  const k1 = 'ab'.repeat(32);
  const lnurl = encodeLnurl(`https://reads.example/lnurl-auth?tag=login&k1=${k1}&action=login`);
  const signed = signLnurlAuth(seed, lnurl);
  const url = new URL(signed.callbackUrl);
  expect(url.origin + url.pathname).toBe('https://reads.example/lnurl-auth');
  expect(url.searchParams.get('k1')).toBe(k1);
  const key = url.searchParams.get('key') as string;
  expect(key).toBe(signed.linkingKey);
  expect(key).toBe(Buffer.from(secp256k1.getPublicKey(linkingPrivateKey(seed, 'reads.example'), true)).toString('hex'));
  expect(secp256k1.verify(der(url.searchParams.get('sig') as string), hex(k1), hex(key))).toBe(true);
  expect(signLnurlAuth(seed, lnurl.toLowerCase()).linkingKey).toBe(key);
  expect(signLnurlAuth(seed, `https://other.example/x?tag=login&k1=${k1}`).linkingKey).not.toBe(key);
  expect(() => signLnurlAuth(seed, `https://reads.example/x?tag=withdrawRequest&k1=${k1}`)).toThrow(/tag/);
  expect(() => signLnurlAuth(seed, 'https://reads.example/x?tag=login&k1=abc')).toThrow(/k1/);
});
