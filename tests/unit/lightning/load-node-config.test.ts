import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeLndconnect } from '../../../src/lightning/lndconnect';
import { loadNodeConfig, NodeConfigError } from '../../../src/lightning/load-node-config';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const MACAROON = Buffer.from('0201036c6e640258030a10', 'hex');

describe('loading the Lightning node settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(name: string, content: string | Buffer): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  test('a host with cert and macaroon files gives the PEM and the raw macaroon bytes', () => {
    const conn = loadNodeConfig({
      grpcHost: '127.0.0.1:10009',
      tlsCertPath: write('tls.cert', PEM),
      macaroonPath: write('admin.macaroon', MACAROON),
    });
    expect(conn).toEqual({ host: '127.0.0.1:10009', tlsCert: Buffer.from(PEM), macaroon: MACAROON });
  });

  test('a macaroon file holding hex text is decoded to the same bytes', () => {
    const conn = loadNodeConfig({
      grpcHost: 'localhost:10009',
      tlsCertPath: write('tls.cert', PEM),
      macaroonPath: write('admin.macaroon.hex', MACAROON.toString('hex') + '\n'),
    });
    expect(conn.macaroon.equals(MACAROON)).toBe(true);
  });

  test('a missing cert file is named by its setting and path', () => {
    const missing = path.join(dir, 'nope.cert');
    expect(() => loadNodeConfig({ grpcHost: 'localhost:10009', tlsCertPath: missing, macaroonPath: write('m', MACAROON) })).toThrow(
      `LND_TLS_CERT_PATH: file not found: ${missing}`,
    );
  });

  test('a missing macaroon file is named by its setting', () => {
    const missing = path.join(dir, 'admin.macaroon');
    let error: unknown;
    try {
      loadNodeConfig({ grpcHost: 'localhost:10009', tlsCertPath: write('tls.cert', PEM), macaroonPath: missing });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NodeConfigError);
    expect(error).toMatchObject({ setting: 'LND_MACAROON_PATH', message: `LND_MACAROON_PATH: file not found: ${missing}` });
  });

  test('a key file given as the cert is refused as not a certificate', () => {
    const key = write('tls.key', '-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n');
    expect(() => loadNodeConfig({ grpcHost: 'localhost:10009', tlsCertPath: key, macaroonPath: write('m', MACAROON) })).toThrow(
      /^LND_TLS_CERT_PATH: not a PEM certificate/,
    );
  });

  test('an empty macaroon file is refused', () => {
    expect(() => loadNodeConfig({ grpcHost: 'localhost:10009', tlsCertPath: write('c', PEM), macaroonPath: write('m', '') })).toThrow(
      /^LND_MACAROON_PATH: file is empty/,
    );
  });

  test('a directory given as a path is refused', () => {
    expect(() => loadNodeConfig({ grpcHost: 'localhost:10009', tlsCertPath: dir, macaroonPath: write('m', MACAROON) })).toThrow(
      /^LND_TLS_CERT_PATH: is a directory/,
    );
  });

  test('a host without a port is named', () => {
    expect(() => loadNodeConfig({ grpcHost: 'localhost', tlsCertPath: write('c', PEM), macaroonPath: write('m', MACAROON) })).toThrow(
      /^LND_GRPC_HOST: expected host:port/,
    );
  });

  test('an lndconnect URI without a cert means: trust the system CA roots', () => {
    const uri = encodeLndconnect({ host: 'node.example:10009', tlsCertPem: null, macaroon: MACAROON });
    expect(loadNodeConfig({ connectUri: uri })).toEqual({ host: 'node.example:10009', tlsCert: null, macaroon: MACAROON });
  });

  test('a bad lndconnect URI is named as LND_CONNECT', () => {
    expect(() => loadNodeConfig({ connectUri: 'lndconnect://x:1' })).toThrow(
      'LND_CONNECT: Invalid lndconnect URI: the macaroon parameter is missing',
    );
  });
});
