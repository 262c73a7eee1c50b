import { X509Certificate } from 'node:crypto';
import { encodeLndconnect, parseLndconnect } from '../../../src/lightning/lndconnect';

/** A throwaway self-signed P-256 certificate like LND's (no key is needed to test encoding). */
const CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIB3DCCAYGgAwIBAgIUJjctyEbrgaMt1bvZWmTEtmRWvz0wCgYIKoZIzj0EAwIw
NTEfMB0GA1UECgwWbG5kIGF1dG9nZW5lcmF0ZWQgY2VydDESMBAGA1UEAwwJbG9j
YWxob3N0MB4XDTI2MTEyMTIzMDExNVoXDTM2MTExODIzMDExNVowNTEfMB0GA1UE
CgwWbG5kIGF1dG9nZW5lcmF0ZWQgY2VydDESMBAGA1UEAwwJbG9jYWxob3N0MFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEE5/5/6EAWroPLvt1AnjPm18Q8LeHoOlT
0n2qG6e+hBOtYOUNLl3/tq/0tBdsh9a2sUZltRub7Ay0gqdHHIlWXKNvMG0wHQYD
VR0OBBYEFMuAcD5QjSXwqA/H6OI2vLzmPEdlMB8GA1UdIwQYMBaAFMuAcD5QjSXw
qA/H6OI2vLzmPEdlMA8GA1UdEwEB/wQFMAMBAf8wGgYDVR0RBBMwEYIJbG9jYWxo
b3N0hwR/AAABMAoGCCqGSM49BAMCA0kAMEYCIQCJSrC/A6jpt0fY2fBkAA5E7nqM
Mpu4d979f0dlHe4VagIhAMdJYCSU/zDk+Qc9rahBaKDsZ+seXMcg9es+5mtQ2LWq
-----END CERTIFICATE-----
`;
/** An LND-style V2 macaroon prefix ("\x02\x01\x03lnd") followed by bytes that produce '-' and '_' in base64url. */
const MACAROON = Buffer.concat([Buffer.from('0201036c6e64', 'hex'), Buffer.from([0xfb, 0xff, 0xfe, 0x3e, 0x3f])]);

function derBase64url(pem: string): string {
  return new X509Certificate(pem).raw.toString('base64url');
}

describe('lndconnect URIs', () => {
  test('a URI with cert and macaroon parses to host, PEM cert and raw macaroon', () => {
    const uri = `lndconnect://127.0.0.1:10009?cert=${derBase64url(CERT_PEM)}&macaroon=${MACAROON.toString('base64url')}`;
    const parsed = parseLndconnect(uri);
    expect(parsed.host).toBe('127.0.0.1:10009');
    expect(parsed.macaroon.equals(MACAROON)).toBe(true);
    expect(parsed.tlsCert).not.toBeNull();
    expect(new X509Certificate(parsed.tlsCert as Buffer).fingerprint256).toBe(new X509Certificate(CERT_PEM).fingerprint256);
  });

  test('a macaroon given in hex (as some tools write it) is read as hex, not as base64', () => {
    const uri = `lndconnect://127.0.0.1:10009?cert=${derBase64url(CERT_PEM)}&macaroon=${MACAROON.toString('hex')}`;
    expect(parseLndconnect(uri).macaroon.equals(MACAROON)).toBe(true);
  });

  test('encode then parse gives back the same host, certificate and macaroon', () => {
    const uri = encodeLndconnect({ host: 'node.example:10009', tlsCertPem: CERT_PEM, macaroon: MACAROON });
    expect(uri).toMatch(/^lndconnect:\/\/node\.example:10009\?cert=[A-Za-z0-9_-]+&macaroon=[A-Za-z0-9_-]+$/);
    const parsed = parseLndconnect(uri);
    expect(parsed.host).toBe('node.example:10009');
    expect(parsed.macaroon.equals(MACAROON)).toBe(true);
    expect(new X509Certificate(parsed.tlsCert as Buffer).raw.equals(new X509Certificate(CERT_PEM).raw)).toBe(true);
  });

  test('the cert is encoded as base64url DER without padding, as the spec and its shell recipe do', () => {
    const uri = encodeLndconnect({ host: 'h:1', tlsCertPem: Buffer.from(CERT_PEM), macaroon: MACAROON });
    const cert = new URL(uri.replace('lndconnect:', 'http:')).searchParams.get('cert');
    expect(cert).toBe(derBase64url(CERT_PEM));
    expect(cert).not.toMatch(/[=+/]/);
  });

  test('without a cert (a CA-signed node) the cert is null and is left out of the encoding', () => {
    const uri = encodeLndconnect({ host: 'node.example:443', tlsCertPem: null, macaroon: MACAROON });
    expect(uri).toBe(`lndconnect://node.example:443?macaroon=${MACAROON.toString('base64url')}`);
    expect(parseLndconnect(uri)).toEqual({ host: 'node.example:443', tlsCert: null, macaroon: MACAROON });
  });

  test('the host may be given as a query parameter', () => {
    const parsed = parseLndconnect(`lndconnect://?host=10.0.0.2:10009&macaroon=${MACAROON.toString('base64url')}`);
    expect(parsed.host).toBe('10.0.0.2:10009');
  });

  test('standard base64 (with + and /) is accepted as well as base64url', () => {
    const uri = `lndconnect://[::1]:10009/?macaroon=${encodeURIComponent(MACAROON.toString('base64'))}`;
    const parsed = parseLndconnect(uri);
    expect(parsed.host).toBe('[::1]:10009');
    expect(parsed.macaroon.equals(MACAROON)).toBe(true);
  });

  test.each([
    ['https://127.0.0.1:10009?macaroon=AgED', /must start with lndconnect:\/\//],
    ['lndconnect://127.0.0.1:10009', /macaroon parameter is missing/],
    ['lndconnect://127.0.0.1:10009?macaroon=', /macaroon parameter is missing/],
    ['lndconnect://127.0.0.1:10009?macaroon=not*base64', /macaroon parameter is not base64url/],
    ['lndconnect://?macaroon=AgED', /no host/],
    ['lndconnect://127.0.0.1?macaroon=AgED', /host must be host:port/],
    ['lndconnect://127.0.0.1:10009?macaroon=AgED&cert=AgED', /cert parameter is not a DER X.509 certificate/],
    ['lndconnect://127.0.0.1:10009?macaroon=%E0%A4%A', /not valid percent-encoding/],
    ['lndconnect://127.0.0.1:10009?macaroon=deadbeef', /not an LND macaroon/],
    ['lndconnect://127.0.0.1:10009?macaroon=bG5kIG1hY2Fyb29u', /not an LND macaroon/],
  ])('%s is rejected with a clear message', (uri, message) => {
    expect(() => parseLndconnect(uri)).toThrow(message);
    expect(() => parseLndconnect(uri)).toThrow(/^Invalid lndconnect URI: /);
  });
});
