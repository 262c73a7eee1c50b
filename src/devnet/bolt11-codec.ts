/**
 * BOLT 11 for the devnet's regtest network, via the `bolt11` package: encoding and signing
 * invoices the way LND writes them (tag order p, d|h, c, x, f, r, s, 9; always an `x`; c=80;
 * features 8 and 14 required, 17 and 25 optional) and decoding them with LND's defaults.
 */
import * as bolt11 from 'bolt11';

export const REGTEST = { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] };
export const NETWORK_NAME = 'regtest';
const HRP_PREFIX = 'lnbcrt';
/** zpay32.DefaultAssumedFinalCLTVDelta up to LND v0.20. */
const DEFAULT_DECODE_CLTV = 18;
const DEFAULT_DECODE_EXPIRY = 3600;

export const FEATURE_NAMES: Readonly<Record<number, string>> = {
  0: 'data-loss-protect',
  1: 'data-loss-protect',
  4: 'upfront-shutdown-script',
  5: 'upfront-shutdown-script',
  6: 'gossip-queries',
  7: 'gossip-queries',
  8: 'tlv-onion',
  9: 'tlv-onion',
  12: 'static-remote-key',
  13: 'static-remote-key',
  14: 'payment-addr',
  15: 'payment-addr',
  16: 'multi-path-payments',
  17: 'multi-path-payments',
  18: 'wumbo-channels',
  19: 'wumbo-channels',
  22: 'anchors-zero-fee-htlc-tx',
  23: 'anchors-zero-fee-htlc-tx',
  24: 'route-blinding',
  25: 'route-blinding',
  26: 'shutdown-any-segwit',
  27: 'shutdown-any-segwit',
  30: 'amp',
  31: 'amp',
  44: 'explicit-commitment-type',
  45: 'explicit-commitment-type',
};

/** Feature bits LND (v0.18+) puts in every invoice. */
export const INVOICE_FEATURE_BITS = [8, 14, 17, 25];

export interface RpcFeature {
  name: string;
  is_required: boolean;
  is_known: boolean;
}

export function featureMap(bits: number[]): Record<number, RpcFeature> {
  const out: Record<number, RpcFeature> = {};
  for (const bit of bits) {
    const name = FEATURE_NAMES[bit];
    out[bit] = { name: name ?? 'unknown', is_required: bit % 2 === 0, is_known: name !== undefined };
  }
  return out;
}

export interface HopHintInput {
  node_id: string;
  chan_id: string;
  fee_base_msat: number;
  fee_proportional_millionths: number;
  cltv_expiry_delta: number;
}

export interface EncodeInput {
  privateKeyHex: string;
  amountMsat: bigint;
  timestamp: number;
  paymentHash: string;
  memo: string;
  descriptionHash: string;
  cltvExpiry: number;
  expiry: number;
  fallbackAddr: string;
  routeHints: HopHintInput[][];
  paymentAddr: string;
}

export function encodeInvoice(input: EncodeInput): string {
  const tags: Array<{ tagName: string; data: bolt11.TagData }> = [];
  tags.push({ tagName: 'payment_hash', data: input.paymentHash });
  if (input.descriptionHash) tags.push({ tagName: 'purpose_commit_hash', data: input.descriptionHash });
  else tags.push({ tagName: 'description', data: input.memo });
  tags.push({ tagName: 'min_final_cltv_expiry', data: input.cltvExpiry });
  tags.push({ tagName: 'expire_time', data: input.expiry });
  if (input.fallbackAddr) tags.push({ tagName: 'fallback_address', data: { address: input.fallbackAddr } as never });
  for (const hint of input.routeHints) {
    tags.push({
      tagName: 'routing_info',
      data: hint.map((h) => ({
        pubkey: h.node_id,
        short_channel_id: BigInt(h.chan_id).toString(16).padStart(16, '0'),
        fee_base_msat: h.fee_base_msat,
        fee_proportional_millionths: h.fee_proportional_millionths,
        cltv_expiry_delta: h.cltv_expiry_delta,
      })),
    });
  }
  tags.push({ tagName: 'payment_secret', data: input.paymentAddr });
  tags.push({
    tagName: 'feature_bits',
    data: {
      word_length: 6,
      var_onion_optin: { required: true, supported: false },
      payment_secret: { required: true, supported: false },
      basic_mpp: { required: false, supported: true },
      extra_bits: { start_bit: 20, bits: [false, false, false, false, false, true], has_required: false },
    },
  });
  const unsigned = bolt11.encode(
    {
      network: REGTEST,
      ...(input.amountMsat > 0n ? { millisatoshis: input.amountMsat.toString() } : {}),
      timestamp: input.timestamp,
      tags,
    },
    false,
  );
  const signed = bolt11.sign(unsigned, input.privateKeyHex);
  if (!signed.paymentRequest) throw new Error('bolt11 signing produced no payment request');
  return signed.paymentRequest;
}

export interface DecodedPayReq {
  paymentRequest: string;
  destination: string;
  paymentHash: string;
  amountMsat: bigint;
  timestamp: number;
  expiry: number;
  description: string;
  descriptionHash: string;
  fallbackAddr: string;
  cltvExpiry: number;
  routeHints: HopHintInput[][];
  paymentAddr: string;
  featureBits: number[];
}

const NAMED_FEATURE_BITS: Readonly<Record<string, number>> = {
  option_data_loss_protect: 0,
  initial_routing_sync: 2,
  option_upfront_shutdown_script: 4,
  gossip_queries: 6,
  var_onion_optin: 8,
  gossip_queries_ex: 10,
  option_static_remotekey: 12,
  payment_secret: 14,
  basic_mpp: 16,
  option_support_large_channel: 18,
};

interface DecodedFeatureBits {
  [name: string]: { required?: boolean; supported?: boolean } | unknown;
  extra_bits?: { start_bit: number; bits: boolean[] };
}

function featureBitsOf(data: DecodedFeatureBits | undefined): number[] {
  if (!data) return [];
  const bits: number[] = [];
  for (const [name, even] of Object.entries(NAMED_FEATURE_BITS)) {
    const f = data[name] as { required?: boolean; supported?: boolean } | undefined;
    if (f?.required) bits.push(even);
    if (f?.supported) bits.push(even + 1);
  }
  data.extra_bits?.bits.forEach((set, i) => set && bits.push((data.extra_bits?.start_bit ?? 0) + i));
  return bits.sort((a, b) => a - b);
}

/** Decodes like LND's zpay32.Decode for regtest; throws Errors carrying LND's texts where known. */
export function decodePaymentRequest(input: string): DecodedPayReq {
  const pr = input.trim();
  const lower = pr.toLowerCase();
  if (pr !== lower && pr !== pr.toUpperCase()) throw new Error('string not all lowercase or all uppercase');
  const sep = lower.lastIndexOf('1');
  if (sep < 1) throw new Error('invalid bech32 string: no separator');
  const hrp = lower.slice(0, sep);
  if (!hrp.startsWith('ln')) throw new Error('prefix should be "ln"');
  if (!hrp.startsWith(HRP_PREFIX)) throw new Error(`invoice not for current active network '${NETWORK_NAME}'`);
  const decoded = bolt11.decode(lower, REGTEST);
  const tag = <T>(name: string): T | undefined => decoded.tags.find((t) => t.tagName === name)?.data as T | undefined;
  const fallback = tag<{ address: string | null }>('fallback_address');
  const routing = decoded.tags.filter((t) => t.tagName === 'routing_info');
  return {
    paymentRequest: lower,
    destination: decoded.payeeNodeKey ?? '',
    paymentHash: tag<string>('payment_hash') ?? '',
    amountMsat: decoded.millisatoshis ? BigInt(decoded.millisatoshis) : 0n,
    timestamp: decoded.timestamp ?? 0,
    expiry: tag<number>('expire_time') ?? DEFAULT_DECODE_EXPIRY,
    description: tag<string>('description') ?? '',
    descriptionHash: tag<string>('purpose_commit_hash') ?? '',
    fallbackAddr: fallback?.address ?? '',
    cltvExpiry: tag<number>('min_final_cltv_expiry') ?? DEFAULT_DECODE_CLTV,
    routeHints: routing.map((t) =>
      (
        t.data as Array<{
          pubkey: string;
          short_channel_id: string;
          fee_base_msat: number;
          fee_proportional_millionths: number;
          cltv_expiry_delta: number;
        }>
      ).map((h) => ({
        node_id: h.pubkey,
        chan_id: BigInt('0x' + h.short_channel_id).toString(),
        fee_base_msat: h.fee_base_msat,
        fee_proportional_millionths: h.fee_proportional_millionths,
        cltv_expiry_delta: h.cltv_expiry_delta,
      })),
    ),
    paymentAddr: tag<string>('payment_secret') ?? '',
    featureBits: featureBitsOf(tag<DecodedFeatureBits>('feature_bits')),
  };
}
