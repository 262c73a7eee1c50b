/** The devnet's pathfinding with forwarding fees (src/devnet/route-finder.ts, routing-fee.ts): LND's fee rule and fee limit. */
import { createNodeState, newChain } from '../../src/devnet/node-store';
import type { DevnetNodeName, NodeState } from '../../src/devnet/node-state';
import { applyRoute, findRoute } from '../../src/devnet/route-finder';
import { forwardingFee, routingFeeFromEnv } from '../../src/devnet/routing-fee';
import { openRoutingChannel } from '../../src/devnet/topology';

const fee = { baseMsat: 20_000n, ppm: 1_000n };

function network(): Map<DevnetNodeName, NodeState> {
  const chain = newChain();
  const states = new Map<DevnetNodeName, NodeState>((['site', 'alice', 'bob'] as const).map((n) => [n, createNodeState(n, chain)]));
  expect(openRoutingChannel(states)).toHaveLength(2);
  expect(openRoutingChannel(states)).toHaveLength(0); // once
  // Readers paid 50,000 sats in through alice's channel: the site can pay that much towards alice.
  const siteToAlice = states.get('site')!.channels.find((c) => c.peer === 'alice')!;
  const aliceToSite = states.get('alice')!.channels.find((c) => c.peer === 'site')!;
  siteToAlice.localMsat = '50000000';
  siteToAlice.remoteMsat = '950000000';
  aliceToSite.localMsat = '950000000';
  aliceToSite.remoteMsat = '50000000';
  return states;
}

test("LND's fee rule: base + amount forwarded x ppm / 1,000,000, rounded down", () => {
  expect(forwardingFee(fee, 10_000_000n)).toBe(30_000n);
  expect(forwardingFee({ baseMsat: 1n, ppm: 1n }, 999_999n)).toBe(1n);
});

test('a direct channel that can carry the amount costs nothing', () => {
  const r = findRoute(network(), 'site', 'alice', 10_000_000n, { fee, feeLimitMsat: 0n });
  expect(r).toMatchObject({ ok: true, feeMsat: 0n, hops: [{ from: 'site', to: 'alice', amountMsat: 10_000_000n, feeMsat: 0n }] });
});

test('through alice when the channel to bob is empty: alice keeps her fee, each channel moves what crosses it', () => {
  const states = network();
  const r = findRoute(states, 'site', 'bob', 10_000_000n, { fee, feeLimitMsat: 30_000n });
  expect(r).toMatchObject({
    ok: true,
    feeMsat: 30_000n,
    hops: [
      { from: 'site', to: 'alice', amountMsat: 10_030_000n, feeMsat: 30_000n },
      { from: 'alice', to: 'bob', amountMsat: 10_000_000n, feeMsat: 0n },
    ],
  });
  if (!r.ok) return;
  applyRoute(states, r.hops);
  expect(states.get('site')!.channels.find((c) => c.peer === 'alice')!.localMsat).toBe('39970000');
  expect(states.get('alice')!.channels.find((c) => c.peer === 'bob')!.localMsat).toBe('990000000');
  expect(states.get('bob')!.channels.find((c) => c.peer === 'alice')!.localMsat).toBe('10000000');
});

test('a fee above the limit (or any fee with a limit of 0) leaves no route; no limit (a resumed old payment) lets it through', () => {
  expect(findRoute(network(), 'site', 'bob', 10_000_000n, { fee, feeLimitMsat: 29_999n })).toEqual({
    ok: false,
    reason: 'FAILURE_REASON_NO_ROUTE',
  });
  expect(findRoute(network(), 'site', 'bob', 10_000_000n, { fee, feeLimitMsat: 0n })).toEqual({
    ok: false,
    reason: 'FAILURE_REASON_NO_ROUTE',
  });
  expect(findRoute(network(), 'site', 'bob', 10_000_000n, { fee, feeLimitMsat: null })).toMatchObject({ ok: true, feeMsat: 30_000n });
});

test('the first hop must carry the amount and the fee; more than the payer has is INSUFFICIENT_BALANCE', () => {
  expect(findRoute(network(), 'site', 'bob', 49_990_000n, { fee, feeLimitMsat: 1_000_000n })).toEqual({
    ok: false,
    reason: 'FAILURE_REASON_NO_ROUTE',
  });
  expect(findRoute(network(), 'site', 'bob', 60_000_000n, { fee, feeLimitMsat: 1_000_000n })).toEqual({
    ok: false,
    reason: 'FAILURE_REASON_INSUFFICIENT_BALANCE',
  });
});

test('the settings are whole numbers', () => {
  expect(routingFeeFromEnv({})).toEqual({ baseMsat: 0n, ppm: 0n });
  expect(routingFeeFromEnv({ DEVNET_ROUTING_FEE_BASE_MSAT: '1000', DEVNET_ROUTING_FEE_PPM: '1' })).toEqual({ baseMsat: 1000n, ppm: 1n });
  expect(() => routingFeeFromEnv({ DEVNET_ROUTING_FEE_PPM: '-1' })).toThrow('DEVNET_ROUTING_FEE_PPM must be a whole number');
});
