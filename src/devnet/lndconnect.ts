import { certPemToDer } from './tls-cert';

const base64url = (buf: Buffer) => buf.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** lndconnect://host:port?cert=<base64url DER>&macaroon=<base64url macaroon> (LN-Zap spec). */
export function lndconnectUri(host: string, certPem: string, macaroon: Buffer): string {
  return `lndconnect://${host}?cert=${base64url(certPemToDer(certPem))}&macaroon=${base64url(macaroon)}`;
}
