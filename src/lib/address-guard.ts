/**
 * Where the site may connect when a user gives it a URL or a host (webhooks, Lightning Addresses).
 * In production, loopback, private, link-local, unique-local, shared (CGNAT), documentation,
 * multicast, reserved and unspecified addresses are refused, IPv4 and IPv6 alike, including IPv4
 * carried inside IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16). The check runs on
 * the addresses DNS gives at connect time, and the connection uses the checked address, so a name
 * that resolves differently a moment later (DNS rebinding) cannot slip past.
 */
import dns from 'node:dns';
import net from 'node:net';

export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
}

/** a.b.c.d prefixes that are not public: [first octet, second octet range or all, prefix]. */
function ipv4Forbidden(ip: string): boolean {
  const [a, b, c] = ip.split('.').map(Number);
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // shared address space (carrier-grade NAT)
    (a === 169 && b === 254) || // link-local (cloud metadata)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224 // multicast, reserved, broadcast
  );
}

/** The 16 bytes of an IPv6 address (zone id dropped, a trailing dotted quad allowed), or null. */
export function ipv6Bytes(ip: string): number[] | null {
  const text = ip.replace(/%.*$/, '').toLowerCase();
  if (net.isIPv6(text) === false) return null;
  let head = text;
  const tail: number[] = [];
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    tail.push(...quad[1].split('.').map(Number));
    head = text.slice(0, -quad[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [left, right] = head.includes('::') ? head.split('::') : [head, null];
  const l = groups(left);
  const r = right === null ? [] : groups(right);
  const missing = 8 - tail.length / 2 - l.length - r.length;
  const all = [...l, ...Array<number>(right === null ? 0 : missing).fill(0), ...r];
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]).concat(tail);
  return bytes.length === 16 ? bytes : null;
}

const v4 = (b: number[], at: number) => b.slice(at, at + 4).join('.');
const startsWith = (b: number[], prefix: number[]) => prefix.every((x, i) => b[i] === x);

function ipv6Forbidden(b: number[]): boolean {
  const zeros = (n: number) => b.slice(0, n).every((x) => x === 0);
  if (zeros(10) && b[10] === 0xff && b[11] === 0xff) return ipv4Forbidden(v4(b, 12)); // ::ffff:a.b.c.d (mapped)
  if (zeros(12)) return true; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b]) && b.slice(4, 12).every((x) => x === 0)) return ipv4Forbidden(v4(b, 12)); // NAT64
  if (startsWith(b, [0x20, 0x02])) return ipv4Forbidden(v4(b, 2)); // 6to4
  if ((b[0] & 0xe0) !== 0x20) return true; // outside 2000::/3, global unicast: ULA, link-local, multicast, reserved
  if (startsWith(b, [0x20, 0x01]) && b[2] < 0x02) return true; // 2001::/23: Teredo, benchmarking, ORCHID...
  if (startsWith(b, [0x20, 0x01, 0x0d, 0xb8])) return true; // documentation
  if (b[0] === 0x3f && b[1] === 0xff && b[2] < 0x10) return true; // documentation (3fff::/20)
  return false;
}

/** True for every address that is not a public unicast one (anything unparseable too). */
export function isForbiddenAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return ipv4Forbidden(ip);
  const bytes = ipv6Bytes(ip);
  return bytes === null || ipv6Forbidden(bytes);
}

/** The resolver: dns.lookup by default, injectable for tests. */
export type Resolve = (host: string) => Promise<dns.LookupAddress[]>;
const systemResolve: Resolve = (host) => dns.promises.lookup(host, { all: true });

export interface AddressPolicy {
  /** Refuse forbidden addresses (production); false lets development and tests reach 127.0.0.1. */
  guard: boolean;
  /** Host names or literal addresses allowed even when forbidden. */
  allow: string[];
  /** The setting that fills `allow`, named in the refusal (e.g. WEBHOOK_ALLOWED_HOSTS). */
  allowSetting?: string;
  resolve?: Resolve;
}

const hint = (policy: AddressPolicy) => (policy.allowSetting ? `; add it to ${policy.allowSetting} to allow it` : '');

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that resolves, checks every address, and connects to the checked ones. */
export function guardedLookup(policy: AddressPolicy, hostname: string) {
  const allowed = (addr: string) => policy.allow.includes(hostname.toLowerCase()) || policy.allow.includes(addr);
  const resolve = policy.resolve ?? systemResolve;
  return (host: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolve(host).then(
      (list) => {
        const family = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 || options.family === 'IPv4' ? 4 : 0;
        const usable = family === 0 ? list : list.filter((a) => a.family === family);
        if (usable.length === 0) return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), []);
        const bad = policy.guard ? usable.find((a) => isForbiddenAddress(a.address) && !allowed(a.address)) : undefined;
        if (bad)
          return callback(new ForbiddenAddressError(`${host} resolves to ${bad.address}, a private or local address${hint(policy)}`), []);
        if (options.all) return callback(null, usable);
        callback(null, usable[0].address, usable[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}

/** Node connects to a literal IP without a lookup, so literal addresses are checked here. */
export function literalAddressRefusal(policy: AddressPolicy, hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (!policy.guard || net.isIP(host) === 0) return null;
  if (!isForbiddenAddress(host) || policy.allow.includes(host)) return null;
  return `${host} is a private or local address${hint(policy)}`;
}
