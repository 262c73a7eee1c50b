/**
 * A well-known third-party LND client, the npm `lightning` library (alexbosworth), pointed at the devnet's
 * cert and macaroon files exactly as it would be at a real LND node, works without any change. It loads its
 * own copy of LND's protos, so this checks the devnet against LND's wire format independently of ours.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import {
  authenticatedLndGrpc,
  AuthenticatedLnd,
  createInvoice,
  decodePaymentRequest,
  getChannelBalance,
  getInvoice,
  getInvoices,
  getWalletInfo,
  pay,
  subscribeToInvoice,
  subscribeToInvoices,
} from 'lightning';
import { startTestDevnet } from '../helpers/devnet';

type Devnet = Awaited<ReturnType<typeof startTestDevnet>>;
type NodeFiles = { grpcHost: string; tlsCertPath: string; macaroonPath: string };

let devnet: Devnet;
let site: AuthenticatedLnd;
let alice: AuthenticatedLnd;

/** The library's documented way in: the whole cert and macaroon files, base64, plus host:port. */
function connect(node: NodeFiles): AuthenticatedLnd {
  return authenticatedLndGrpc({
    cert: fs.readFileSync(node.tlsCertPath).toString('base64'),
    macaroon: fs.readFileSync(node.macaroonPath).toString('base64'),
    socket: node.grpcHost,
  }).lnd;
}

async function eventually(what: string, check: () => boolean, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  devnet = await startTestDevnet();
  site = connect(devnet.nodes.site);
  alice = connect(devnet.nodes.alice);
});
afterAll(async () => {
  await devnet?.stop();
});

describe('the `lightning` npm library against the devnet', () => {
  test('getWalletInfo reads the site node identity', async () => {
    const info = await getWalletInfo({ lnd: site });
    expect(info.public_key).toBe(devnet.nodes.site.identityPubkey);
    expect(info.chains).toHaveLength(1);
    expect(typeof info.version).toBe('string');
    expect(info.is_synced_to_chain).toBe(true);
  });

  test('getChannelBalance shows alice has outbound liquidity', async () => {
    const balance = await getChannelBalance({ lnd: alice });
    expect(balance.channel_balance).toBeGreaterThan(0);
  });

  test('an invoice can be created, decoded, looked up, listed, watched and paid', async () => {
    const allEvents: { id: string; is_confirmed: boolean }[] = [];
    const all = subscribeToInvoices({ lnd: site });
    all.on('invoice_updated', (inv: { id: string; is_confirmed: boolean }) => allEvents.push(inv));
    all.on('error', () => undefined);

    const created = await createInvoice({ lnd: site, tokens: 1234, description: 'third-party client' });
    expect(created.request).toMatch(/^lnbcrt/);
    expect(created.id).toMatch(/^[0-9a-f]{64}$/);
    expect(created.tokens).toBe(1234);

    const oneEvents: { is_confirmed: boolean; is_canceled?: boolean }[] = [];
    const one = subscribeToInvoice({ lnd: site, id: created.id });
    one.on('invoice_updated', (inv: { is_confirmed: boolean }) => oneEvents.push(inv));
    one.on('error', () => undefined);

    const decoded = await decodePaymentRequest({ lnd: alice, request: created.request });
    expect(decoded).toMatchObject({
      destination: devnet.nodes.site.identityPubkey,
      id: created.id,
      tokens: 1234,
      description: 'third-party client',
      cltv_delta: 80,
      is_expired: false,
    });
    // LND's invoice features since v0.18: tlv-onion and payment-addr required, MPP and route blinding optional.
    expect(decoded.features.map((f) => [f.bit, f.is_required])).toEqual([
      [8, true],
      [14, true],
      [17, false],
      [25, false],
    ]);

    const open = await getInvoice({ lnd: site, id: created.id });
    expect(open).toMatchObject({ id: created.id, tokens: 1234, is_confirmed: false, description: 'third-party client' });

    const listed = await getInvoices({ lnd: site });
    expect(listed.invoices.map((i) => i.id)).toContain(created.id);

    await eventually('the open invoice on subscribeToInvoices', () => allEvents.some((e) => e.id === created.id));
    await eventually('the current state on subscribeToInvoice', () => oneEvents.length >= 1);

    const balanceBefore = (await getChannelBalance({ lnd: alice })).channel_balance;
    const paid = await pay({ lnd: alice, request: created.request });
    expect(paid.is_confirmed).toBe(true);
    expect(paid.tokens).toBe(1234);
    expect(createHash('sha256').update(Buffer.from(paid.secret, 'hex')).digest('hex')).toBe(created.id);

    const settled = await getInvoice({ lnd: site, id: created.id });
    expect(settled).toMatchObject({ is_confirmed: true, received: 1234 });
    await eventually('the settlement on subscribeToInvoices', () => allEvents.some((e) => e.id === created.id && e.is_confirmed));
    await eventually('the settlement on subscribeToInvoice', () => oneEvents.some((e) => e.is_confirmed));

    const balanceAfter = (await getChannelBalance({ lnd: alice })).channel_balance;
    expect(balanceBefore - balanceAfter).toBe(1234 + paid.fee);

    all.removeAllListeners();
    one.removeAllListeners();
  });

  test("paying the same invoice twice is refused with LND's ALREADY_EXISTS error", async () => {
    const created = await createInvoice({ lnd: site, tokens: 10, description: 'twice' });
    await pay({ lnd: alice, request: created.request });
    const again = await pay({ lnd: alice, request: created.request }).catch((err: unknown) => err);
    expect(again).toMatchObject([503, 'UnexpectedPaymentError', { err: { code: 6, details: 'invoice is already paid' } }]);
  });
});
