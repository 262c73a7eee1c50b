/**
 * Invoices on a devnet node over real gRPC: creation, lookup, listing, BOLT 11 encoding checked
 * with an independent decoder and signature check, expiry, cancel, single-invoice subscriptions
 * and LND's error codes and texts.
 */
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { secp256k1 } from '@noble/curves/secp256k1';
import { decode as lightDecode } from 'light-bolt11-decoder';
import { clientFor, collect, nextMessages, startTestDevnet, type TestClient, type TestDevnet } from '../helpers/devnet';

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Recomputes the BOLT 11 signed message and verifies the signature against a node key with noble. */
function verifyInvoiceSignature(pr: string, pubkeyHex: string): boolean {
  const sep = pr.lastIndexOf('1');
  const hrp = pr.slice(0, sep);
  const words = [...pr.slice(sep + 1, -6)].map((c) => BECH32.indexOf(c));
  const dataWords = words.slice(0, -104);
  const sigWords = words.slice(-104);
  const toBytes = (ws: number[]) => {
    const out: number[] = [];
    let acc = 0;
    let bits = 0;
    for (const w of ws) {
      acc = (acc << 5) | w;
      bits += 5;
      while (bits >= 8) {
        bits -= 8;
        out.push((acc >> bits) & 0xff);
      }
    }
    if (bits > 0) out.push((acc << (8 - bits)) & 0xff);
    return Buffer.from(out);
  };
  const sig = toBytes(sigWords).subarray(0, 64);
  const msgHash = createHash('sha256')
    .update(Buffer.concat([Buffer.from(hrp, 'utf8'), toBytes(dataWords)]))
    .digest();
  return secp256k1.verify(sig, msgHash, Buffer.from(pubkeyHex, 'hex'));
}

const rpcError = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected an error');
    },
    (e: { code: number; details: string }) => ({ code: e.code, details: e.details }),
  );

let devnet: TestDevnet;
let site: TestClient;

beforeAll(async () => {
  devnet = await startTestDevnet();
  site = clientFor(devnet.nodes.site);
});
afterAll(async () => {
  site.close();
  await devnet.stop();
});

describe('AddInvoice and LookupInvoice', () => {
  test('an invoice is a signed regtest BOLT 11 request with LND defaults, readable back by hash', async () => {
    const added = await site.call('lightning', 'AddInvoice', { value: 2100, memo: 'an article' });
    expect(added.payment_request).toMatch(/^lnbcrt21u1/);
    expect(added.add_index).toBe('1');
    expect(added.payment_addr).toHaveLength(32);

    const inv = await site.call('lightning', 'LookupInvoice', { r_hash: added.r_hash });
    expect(inv).toMatchObject({
      memo: 'an article',
      value: '2100',
      value_msat: '2100000',
      state: 'OPEN',
      settled: false,
      expiry: '86400',
      cltv_expiry: '80',
      add_index: '1',
      settle_index: '0',
      amt_paid_sat: '0',
    });
    expect(createHash('sha256').update(inv.r_preimage).digest()).toEqual(added.r_hash);
    expect(Object.keys(inv.features).sort()).toEqual(['14', '17', '25', '8']);
    expect(inv.features['8']).toEqual({ name: 'tlv-onion', is_required: true, is_known: true });

    // Independent decoder: the fields LND writes.
    const sections = Object.fromEntries(
      lightDecode(added.payment_request).sections.map((s: { name: string; value?: unknown }) => [s.name, s.value]),
    );
    expect(sections.amount).toBe('2100000');
    expect(sections.payment_hash).toBe(added.r_hash.toString('hex'));
    expect(sections.payment_secret).toBe(added.payment_addr.toString('hex'));
    expect(sections.description).toBe('an article');
    expect(sections.expiry).toBe(86400);
    expect(sections.min_final_cltv_expiry).toBe(80);
    const features = sections.feature_bits as Record<string, unknown>;
    expect(features.var_onion_optin).toBe('required');
    expect(features.payment_secret).toBe('required');
    expect(features.basic_mpp).toBe('supported');
    expect(verifyInvoiceSignature(added.payment_request, devnet.nodes.site.identityPubkey)).toBe(true);
    expect(verifyInvoiceSignature(added.payment_request, devnet.nodes.alice.identityPubkey)).toBe(false);
  });

  test('a zero-value invoice has no amount; a given preimage is used; r_hash_str works', async () => {
    const preimage = Buffer.alloc(32, 7);
    const added = await site.call('lightning', 'AddInvoice', { r_preimage: preimage });
    expect(added.payment_request).toMatch(/^lnbcrt1p/);
    expect(added.r_hash).toEqual(createHash('sha256').update(preimage).digest());
    const inv = await site.call('lightning', 'LookupInvoice', { r_hash_str: added.r_hash.toString('hex') });
    expect(inv.r_preimage).toEqual(preimage);
    const decoded = await site.call('lightning', 'DecodePayReq', { pay_req: added.payment_request });
    expect(decoded).toMatchObject({
      num_satoshis: '0',
      num_msat: '0',
      destination: devnet.nodes.site.identityPubkey,
      expiry: '86400',
      cltv_expiry: '80',
    });
  });

  test('AddInvoice refuses what LND refuses, with its texts', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ value: 1, value_msat: 1000 }, 'sat and msat arguments are mutually exclusive'],
      [{ value: -1 }, 'amount cannot be negative'],
      [{ r_preimage: Buffer.alloc(5) }, 'invalid preimage length of 5, want 32'],
      [{ memo: 'x'.repeat(1025) }, 'memo too large: 1025 bytes (maxsize=1024)'],
      [{ memo: 'x'.repeat(640) }, 'data length too big to fit within 10 bits: 1024'],
      [{ description_hash: Buffer.alloc(31) }, 'description hash is 31 bytes, must be 32'],
      [{ expiry: 31_536_001 }, 'expiry of 31536001 seconds greater than max expiry of 3.1536e+07 seconds'],
      [{ r_preimage: Buffer.alloc(32, 7) }, 'invoice with payment hash already exists'],
    ];
    for (const [req, details] of cases) {
      expect(await rpcError(site.call('lightning', 'AddInvoice', req))).toEqual({ code: status.UNKNOWN, details });
    }
    // 639 bytes fit in a BOLT 11 `d` field; with a description hash the memo is not encoded.
    await site.call('lightning', 'AddInvoice', { memo: 'y'.repeat(639) });
    await site.call('lightning', 'AddInvoice', { memo: 'z'.repeat(1000), description_hash: Buffer.alloc(32, 1) });
  });

  test('LookupInvoice errors: unknown hash, wrong length, bad hex', async () => {
    expect(await rpcError(site.call('lightning', 'LookupInvoice', { r_hash: Buffer.alloc(32, 9) }))).toEqual({
      code: status.NOT_FOUND,
      details: 'unable to locate invoice',
    });
    expect(await rpcError(site.call('lightning', 'LookupInvoice', { r_hash: Buffer.alloc(31) }))).toEqual({
      code: status.UNKNOWN,
      details: 'payment hash must be exactly 32 bytes, is instead 31',
    });
    expect(await rpcError(site.call('lightning', 'LookupInvoice', { r_hash_str: 'zz' }))).toEqual({
      code: status.UNKNOWN,
      details: "encoding/hex: invalid byte: U+007A 'z'",
    });
    expect(await rpcError(site.call('lightning', 'LookupInvoice', { r_hash_str: 'abc' }))).toEqual({
      code: status.UNKNOWN,
      details: 'encoding/hex: odd length hex string',
    });
  });

  test('DecodePayReq refuses other networks and garbage', async () => {
    const mainnet =
      'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh';
    expect(await rpcError(site.call('lightning', 'DecodePayReq', { pay_req: mainnet }))).toEqual({
      code: status.UNKNOWN,
      details: "invoice not for current active network 'regtest'",
    });
    expect((await rpcError(site.call('lightning', 'DecodePayReq', { pay_req: 'hello' }))).code).toBe(status.UNKNOWN);
  });
});

describe('ListInvoices', () => {
  test('pages forward and backward, always ascending by add_index', async () => {
    const all = await site.call('lightning', 'ListInvoices', {});
    const indexes = all.invoices.map((i: { add_index: string }) => Number(i.add_index));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(all.first_index_offset).toBe(String(indexes[0]));
    const page = await site.call('lightning', 'ListInvoices', { index_offset: 1, num_max_invoices: 2 });
    expect(page.invoices.map((i: { add_index: string }) => i.add_index)).toEqual(['2', '3']);
    expect(page.last_index_offset).toBe('3');
    const back = await site.call('lightning', 'ListInvoices', { index_offset: 4, num_max_invoices: 2, reversed: true });
    expect(back.invoices.map((i: { add_index: string }) => i.add_index)).toEqual(['2', '3']);
    expect(await rpcError(site.call('lightning', 'ListInvoices', { creation_date_start: 10, creation_date_end: 5 }))).toEqual({
      code: status.UNKNOWN,
      details: 'start date(10) must be before end date(5)',
    });
  });
});

describe('expiry, cancel and SubscribeSingleInvoice', () => {
  test('an unpaid invoice becomes CANCELED at expiry; the single-invoice stream sees it and closes with OK', async () => {
    const added = await site.call('lightning', 'AddInvoice', { value: 10, expiry: 1 });
    const { messages, error } = await collect(site.stream('invoices', 'SubscribeSingleInvoice', { r_hash: added.r_hash }));
    expect(error).toBeUndefined();
    expect(messages.map((m) => m.state)).toEqual(['OPEN', 'CANCELED']);
    const inv = await site.call('lightning', 'LookupInvoice', { r_hash: added.r_hash });
    expect(inv.state).toBe('CANCELED');
  });

  test('CancelInvoice cancels an open invoice (idempotently) and refuses unknown or settled ones', async () => {
    const added = await site.call('lightning', 'AddInvoice', { value: 10 });
    const stream = site.stream('invoices', 'SubscribeSingleInvoice', { r_hash: added.r_hash });
    const done = collect(stream);
    await site.call('invoices', 'CancelInvoice', { payment_hash: added.r_hash });
    await site.call('invoices', 'CancelInvoice', { payment_hash: added.r_hash });
    expect((await done).messages.map((m) => m.state)).toEqual(['OPEN', 'CANCELED']);
    expect(await rpcError(site.call('invoices', 'CancelInvoice', { payment_hash: Buffer.alloc(32, 3) }))).toEqual({
      code: status.UNKNOWN,
      details: 'unable to locate invoice',
    });
    expect(await rpcError(site.call('invoices', 'CancelInvoice', { payment_hash: Buffer.alloc(3) }))).toEqual({
      code: status.UNKNOWN,
      details: 'invalid hash length of 3, want 32',
    });
  });

  test('SubscribeSingleInvoice waits for an invoice that does not exist yet; bad hash length is refused', async () => {
    const preimage = Buffer.alloc(32, 42);
    const hash = createHash('sha256').update(preimage).digest();
    const stream = site.stream('invoices', 'SubscribeSingleInvoice', { r_hash: hash });
    const first = nextMessages(stream, 1);
    await new Promise((r) => setTimeout(r, 100));
    await site.call('lightning', 'AddInvoice', { value: 5, r_preimage: preimage });
    expect((await first)[0].state).toBe('OPEN');
    stream.cancel();
    const bad = await collect(site.stream('invoices', 'SubscribeSingleInvoice', { r_hash: Buffer.alloc(4) }));
    expect({ code: bad.error?.code, details: bad.error?.details }).toEqual({
      code: status.UNKNOWN,
      details: 'invalid hash length of 4, want 32',
    });
  });

  test('LookupInvoiceV2 by hash and by payment address, with its argument errors', async () => {
    const added = await site.call('lightning', 'AddInvoice', { value: 11 });
    expect((await site.call('invoices', 'LookupInvoiceV2', { payment_hash: added.r_hash })).value).toBe('11');
    expect((await site.call('invoices', 'LookupInvoiceV2', { payment_addr: added.payment_addr })).value).toBe('11');
    expect(await rpcError(site.call('invoices', 'LookupInvoiceV2', {}))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'invoice ref must be set',
    });
    expect(await rpcError(site.call('invoices', 'LookupInvoiceV2', { payment_hash: Buffer.alloc(2) }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'unable to parse pay hash: invalid hash length of 2, want 32',
    });
    expect(await rpcError(site.call('invoices', 'LookupInvoiceV2', { payment_hash: Buffer.alloc(32, 8) }))).toEqual({
      code: status.NOT_FOUND,
      details: 'unable to locate invoice',
    });
  });
});
