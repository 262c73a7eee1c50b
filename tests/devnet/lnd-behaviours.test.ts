/**
 * The devnet's LND behaviours (src/devnet/lnd-behaviours.ts) answer with LND's codes and texts, seen
 * by a plain gRPC client (TLS + macaroon) as by any LND client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { behaviourFromEnv } from '../../src/devnet/lnd-behaviours';
import { clientFor, startTestDevnet, type TestDevnet } from '../helpers/devnet';

let devnet: TestDevnet;
/** Our own directory (kept across a restart of the devnet), removed at the end. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-behaviours-'));
beforeAll(async () => {
  devnet = await startTestDevnet(dir, { site: { gcCanceledInvoices: true, clockOffsetMs: 120_000 } });
});
afterAll(async () => {
  await devnet.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const addInvoice = (c: ReturnType<typeof clientFor>) => c.call('lightning', 'AddInvoice', { value: '10', memo: 'b' });

test("locked and starting answer every call with code 2 and LND's text, before the macaroon is looked at; active again, calls work", async () => {
  const site = clientFor(devnet.nodes.site);
  const noMacaroon = clientFor(devnet.nodes.site, '');
  try {
    devnet.control.site.setRpcState('locked');
    await expect(site.call('lightning', 'GetInfo')).rejects.toMatchObject({
      code: 2,
      details: 'wallet locked, unlock it to enable full RPC access',
    });
    await expect(noMacaroon.call('lightning', 'GetInfo')).rejects.toMatchObject({
      code: 2,
      details: 'wallet locked, unlock it to enable full RPC access',
    });
    devnet.control.site.setRpcState('starting');
    await expect(site.call('lightning', 'AddInvoice', { value: '1' })).rejects.toMatchObject({
      code: 2,
      details: 'the RPC server is in the process of starting up, but not yet ready to accept calls',
    });
    devnet.control.site.setRpcState('active');
    expect((await site.call('lightning', 'GetInfo')).identity_pubkey).toBe(devnet.nodes.site.identityPubkey);
    await expect(noMacaroon.call('lightning', 'GetInfo')).rejects.toMatchObject({ code: 2, details: 'expected 1 macaroon, got 0' });
  } finally {
    devnet.control.site.setRpcState('active');
    site.close();
    noMacaroon.close();
  }
});

test('refused.macaroon is refused as LND refuses a macaroon of another node; invoice.macaroon lacks info:read', async () => {
  const refused = clientFor(devnet.nodes.site, fs.readFileSync(devnet.nodes.site.refusedMacaroonPath as string).toString('hex'));
  const invoiceOnly = clientFor(devnet.nodes.site, fs.readFileSync(devnet.nodes.site.invoiceMacaroonPath as string).toString('hex'));
  try {
    await expect(refused.call('lightning', 'GetInfo')).rejects.toMatchObject({
      code: 2,
      details: 'verification failed: signature mismatch after caveat verification',
    });
    await expect(invoiceOnly.call('lightning', 'GetInfo')).rejects.toMatchObject({ code: 2, details: 'permission denied' });
    expect((await addInvoice(invoiceOnly)).payment_request).toMatch(/^lnbcrt/);
  } finally {
    refused.close();
    invoiceOnly.close();
  }
});

test('with gc-canceled-invoices-on-the-fly a canceled invoice is deleted (NOT_FOUND) and its add_index is never reused; the clock offset shows in creation_date', async () => {
  const site = clientFor(devnet.nodes.site);
  try {
    const first = await addInvoice(site);
    const found = await site.call('lightning', 'LookupInvoice', { r_hash: first.r_hash });
    expect(Number(found.creation_date) * 1000 - Date.now()).toBeGreaterThan(60_000);
    await site.call('invoices', 'CancelInvoice', { payment_hash: first.r_hash });
    await expect(site.call('lightning', 'LookupInvoice', { r_hash: first.r_hash })).rejects.toMatchObject({
      code: 5,
      details: 'unable to locate invoice',
    });
    const second = await addInvoice(site);
    expect(Number(second.add_index)).toBe(Number(first.add_index) + 1);
    const newest = await site.call('lightning', 'ListInvoices', { reversed: true, num_max_invoices: '1' });
    expect(newest.last_index_offset).toBe(second.add_index);
  } finally {
    site.close();
  }
});

test('a node reset keeps its identity key and starts with an empty invoice database', async () => {
  const pubkey = devnet.nodes.site.identityPubkey;
  await devnet.stop();
  devnet = await startTestDevnet(dir, { site: { resetInvoices: true } });
  const site = clientFor(devnet.nodes.site);
  try {
    expect((await site.call('lightning', 'GetInfo')).identity_pubkey).toBe(pubkey);
    expect((await site.call('lightning', 'ListInvoices', {})).invoices).toEqual([]);
    expect((await addInvoice(site)).add_index).toBe('1');
  } finally {
    site.close();
  }
});

test('npm run devnet reads the behaviours of the site node from the environment', () => {
  expect(
    behaviourFromEnv({
      DEVNET_GC_CANCELED_INVOICES: '1',
      DEVNET_LOCKED_SECONDS: '30',
      DEVNET_CLOCK_OFFSET_SECONDS: '-90',
      DEVNET_RESET_INVOICES: 'true',
    }),
  ).toEqual({
    gcCanceledInvoices: true,
    clockOffsetMs: -90_000,
    resetInvoices: true,
    startState: { state: 'locked', forMs: 30_000 },
  });
  expect(behaviourFromEnv({ DEVNET_STARTING_SECONDS: '0' }).startState).toEqual({ state: 'starting', forMs: undefined });
  expect(() => behaviourFromEnv({ DEVNET_CLOCK_OFFSET_SECONDS: 'soon' })).toThrow(/DEVNET_CLOCK_OFFSET_SECONDS must be a number/);
});
