/**
 * For the Lightning login tests: a cookie-keeping HTTP client (a browser without JavaScript),
 * SignMessage on a devnet node over gRPC (what `npm run sign` does), a devnet node's wallet seed
 * (what `npm run lnurl-auth` uses), and readers for what the pages show.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DevnetNodeInfo } from '../../src/devnet';
import { clientFor } from './devnet';

export interface CookieClient {
  cookie(): string;
  get(p: string): Promise<{ status: number; text: string; location: string | null }>;
  post(p: string, form: Record<string, string>): Promise<{ status: number; text: string; location: string | null }>;
}

export function cookieClient(baseUrl: string): CookieClient {
  // A jar as a browser keeps it: every cookie by name (the session, the CSRF and known-browser cookies).
  const jar = new Map<string, string>();
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const send = async (p: string, init: RequestInit) => {
    const res = await fetch(`${baseUrl}${p}`, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: header() } });
    for (const set of res.headers.getSetCookie()) {
      const [pair, ...attrs] = set.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()),
      );
      if (!value || expired) jar.delete(name);
      else jar.set(name, value);
    }
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  };
  return {
    cookie: header,
    get: (p) => send(p, {}),
    post: (p, form) =>
      send(p, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
  };
}

export function csrf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf on the page');
  return m[1];
}

const unescape = (s: string) =>
  s
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The text of the readonly textarea with this id. */
export function textarea(html: string, id: string): string {
  const m = new RegExp(`<textarea id="${id}"[^>]*>([^<]*)</textarea>`).exec(html);
  if (!m) throw new Error(`no textarea #${id} on the page`);
  return unescape(m[1]);
}

/** SignMessage on a devnet node over gRPC with its admin macaroon: the zbase32 signature. */
export async function signWithNode(node: DevnetNodeInfo, message: string): Promise<string> {
  const client = clientFor(node);
  try {
    return (await client.call('lightning', 'SignMessage', { msg: Buffer.from(message, 'utf8') })).signature as string;
  } finally {
    client.close();
  }
}

/** The devnet wallet's BIP-32 seed for a node (src/devnet/lnurl-auth-cli.ts): its key file. */
export function walletSeed(devnetDir: string, name: 'alice' | 'bob'): Buffer {
  const state = JSON.parse(fs.readFileSync(path.join(devnetDir, name, 'state.json'), 'utf8')) as { identityKey: string };
  return Buffer.from(state.identityKey, 'hex');
}
