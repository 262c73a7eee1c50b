import { X509Certificate } from 'node:crypto';

/**
 * lndconnect URIs (LN-Zap/lndconnect `lnd_connect_uri.md`):
 *   lndconnect://<host>:<port>?cert=<base64url DER certificate>&macaroon=<base64url macaroon>
 * `cert` is optional (omitted for a CA-signed certificate); the host may also be given as `?host=`.
 */
export interface LndconnectTarget {
  /** host:port for gRPC. */
  host: string;
  /** The TLS certificate as PEM, or null to trust the system's CA roots. */
  tlsCert: Buffer | null;
  /** The raw binary macaroon. */
  macaroon: Buffer;
}

export interface LndconnectInput {
  host: string;
  tlsCertPem: string | Buffer | null;
  macaroon: Buffer;
}

const SCHEME = 'lndconnect://';
const BASE64ISH = /^[A-Za-z0-9_\-+/]+={0,2}$/;

function fail(reason: string): never {
  throw new Error(`Invalid lndconnect URI: ${reason}`);
}

/**
 * Splits the query by hand: URLSearchParams would turn a '+' (which some encoders emit, using standard
 * base64 instead of base64url) into a space and corrupt the value.
 */
function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      fail(`the ${key} parameter is not valid percent-encoding`);
    }
    params.set(decodeURIComponent(key), value);
  }
  return params;
}

/** Decodes base64url (or standard base64, padded or not); names the parameter when it is not. */
function decodeBase64(value: string, name: string): Buffer {
  if (!BASE64ISH.test(value)) fail(`the ${name} parameter is not base64url`);
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length === 0) fail(`the ${name} parameter is empty`);
  return bytes;
}

/**
 * The macaroon parameter: base64url as the spec says, or hex as some tools write it (the form LND
 * sends as gRPC metadata). An LND macaroon is V2 binary and so starts with byte 0x02: hex of it
 * starts "02", base64 of it "Ag", so the two cannot be confused. Anything that is neither is refused
 * here, at start, rather than later as an authentication error.
 */
function decodeMacaroon(value: string): Buffer {
  if (/^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0) {
    const hex = Buffer.from(value, 'hex');
    if (hex[0] === 0x02) return hex;
  }
  const bytes = decodeBase64(value, 'macaroon');
  if (bytes[0] !== 0x02) {
    fail(
      'the macaroon parameter is not an LND macaroon (expected the macaroon file as base64url, starting "AgED", or as hex, starting "0201")',
    );
  }
  return bytes;
}

function derToPem(der: Buffer): Buffer {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  const pem = `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    fail('the cert parameter is not a DER X.509 certificate');
  }
  return Buffer.from(pem);
}

function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(body, 'base64');
  if (der.length === 0) throw new Error('encodeLndconnect: tlsCertPem holds no certificate');
  return der;
}

function toBase64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Parses an lndconnect URI; throws an Error saying what is wrong (never echoing the macaroon). */
export function parseLndconnect(uri: string): LndconnectTarget {
  const trimmed = uri.trim();
  if (!trimmed.toLowerCase().startsWith(SCHEME)) fail('it must start with lndconnect://');
  const rest = trimmed.slice(SCHEME.length);
  const q = rest.indexOf('?');
  const authority = (q < 0 ? rest : rest.slice(0, q)).replace(/\/+$/, '');
  const params = parseQuery(q < 0 ? '' : rest.slice(q + 1));

  const host = authority || params.get('host') || '';
  if (host === '') fail('no host (expected lndconnect://host:port?...)');
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-_]+):\d{1,5}$/.test(host)) {
    fail(`the host must be host:port, got "${host}"`);
  }
  const macaroonParam = params.get('macaroon');
  if (macaroonParam === undefined || macaroonParam === '') fail('the macaroon parameter is missing');
  const macaroon = decodeMacaroon(macaroonParam);
  const certParam = params.get('cert');
  const tlsCert = certParam === undefined || certParam === '' ? null : derToPem(decodeBase64(certParam, 'cert'));
  return { host, tlsCert, macaroon };
}

/** Builds an lndconnect URI: the cert as base64url DER (left out when null), the macaroon as base64url. */
export function encodeLndconnect(input: LndconnectInput): string {
  const query: string[] = [];
  if (input.tlsCertPem !== null) {
    const pem = Buffer.isBuffer(input.tlsCertPem) ? input.tlsCertPem.toString('utf8') : input.tlsCertPem;
    query.push(`cert=${toBase64url(pemToDer(pem))}`);
  }
  query.push(`macaroon=${toBase64url(input.macaroon)}`);
  return `${SCHEME}${input.host}?${query.join('&')}`;
}
