/**
 * Where a webhook may go. In production, a delivery to a loopback, private, link-local, unique-local,
 * multicast or unspecified address is refused unless the allow-list names its host or address. The
 * check runs on the addresses DNS gives at connect time, and the connection uses the checked
 * address, so a name that resolves differently a moment later (DNS rebinding) cannot slip past.
 */
import dns from 'node:dns';
import net from 'node:net';

export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
}

function ipv4Forbidden(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224 // multicast and reserved
  );
}

/** True for addresses a public webhook receiver never has. */
export function isForbiddenAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return ipv4Forbidden(ip);
  const v6 = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return ipv4Forbidden(mapped[1]);
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}

export interface AddressPolicy {
  /** Refuse forbidden addresses (production); false lets tests deliver to 127.0.0.1. */
  guard: boolean;
  /** Host names or literal addresses allowed even when forbidden (WEBHOOK_ALLOWED_HOSTS). */
  allow: string[];
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that resolves, checks every address, and connects to the first. */
export function guardedLookup(policy: AddressPolicy, hostname: string) {
  const allowed = (addr: string) => policy.allow.includes(hostname.toLowerCase()) || policy.allow.includes(addr);
  return (host: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(host, { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as dns.LookupAddress[];
      const bad = policy.guard ? list.find((a) => isForbiddenAddress(a.address) && !allowed(a.address)) : undefined;
      if (bad)
        return callback(
          new ForbiddenAddressError(
            `${host} resolves to ${bad.address}, a private or local address; add it to WEBHOOK_ALLOWED_HOSTS to allow it`,
          ),
          [],
        );
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** Node connects to a literal IP without a lookup, so literal addresses are checked here. */
export function literalAddressRefusal(policy: AddressPolicy, hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (!policy.guard || net.isIP(host) === 0) return null;
  if (!isForbiddenAddress(host) || policy.allow.includes(host)) return null;
  return `${host} is a private or local address; add it to WEBHOOK_ALLOWED_HOSTS to allow it`;
}
