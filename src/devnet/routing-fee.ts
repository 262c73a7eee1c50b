/**
 * The devnet's forwarding fee, LND's `bitcoin.basefee` (msat) and `bitcoin.feerate` (ppm), the same
 * for every node: DEVNET_ROUTING_FEE_BASE_MSAT and DEVNET_ROUTING_FEE_PPM (both 0 by default, so
 * payments are free unless a fee is asked for). With a fee set, alice also opens a channel to bob
 * (topology.ts), so the site's payment to bob goes site -> alice -> bob whenever its own channel to
 * bob cannot carry it, and alice charges the fee, as a node forwarding in the real network does.
 */
export interface RoutingFee {
  baseMsat: bigint;
  ppm: bigint;
}

export const NO_ROUTING_FEE: RoutingFee = Object.freeze({ baseMsat: 0n, ppm: 0n });

/** LND's ComputeFee: base + amount * rate / 1,000,000 (integer division), on the amount forwarded. */
export function forwardingFee(fee: RoutingFee, amountToForwardMsat: bigint): bigint {
  return fee.baseMsat + (amountToForwardMsat * fee.ppm) / 1_000_000n;
}

export const chargesFees = (fee: RoutingFee) => fee.baseMsat > 0n || fee.ppm > 0n;

export function routingFeeFromEnv(env: Record<string, string | undefined>): RoutingFee {
  const read = (name: string): bigint => {
    const raw = env[name];
    if (raw === undefined || raw === '') return 0n;
    if (!/^\d{1,10}$/.test(raw) || Number(raw) > 4_294_967_295)
      throw new Error(`${name} must be a whole number from 0 to 4294967295 (got "${raw}")`);
    return BigInt(raw);
  };
  return { baseMsat: read('DEVNET_ROUTING_FEE_BASE_MSAT'), ppm: read('DEVNET_ROUTING_FEE_PPM') };
}
