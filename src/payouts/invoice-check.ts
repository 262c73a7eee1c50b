/**
 * A BOLT 11 invoice a writer wants paid, decoded and checked before anything is written: the
 * right network (the site's node's), an amount in whole sats, not expired (and not about to be:
 * the payment needs time), a payment hash and a payment secret, and not one of the site's own
 * invoices (paying ourselves would move nothing but the writer's balance).
 */
import bolt11 from 'bolt11';

export interface CheckedInvoice {
  paymentRequest: string;
  paymentHash: string;
  amountSat: number;
  expiresAt: Date;
  descriptionHash: string | null;
  payee: string;
}

export type InvoiceCheck = { ok: true; invoice: CheckedInvoice } | { ok: false; message: string };

/** BOLT 11 human-readable prefixes by LND network name (longest first when matching). */
const PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['lnbcrt', 'regtest'],
  ['lntbs', 'signet'],
  ['lnbc', 'mainnet'],
  ['lntb', 'testnet'],
  ['lnsb', 'simnet'],
];
const NETWORKS: Record<string, { bech32: string; pubKeyHash: number; scriptHash: number; validWitnessVersions: number[] }> = {
  regtest: { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
  signet: { bech32: 'tbs', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
  mainnet: { bech32: 'bc', pubKeyHash: 0x00, scriptHash: 0x05, validWitnessVersions: [0, 1] },
  testnet: { bech32: 'tb', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
  testnet4: { bech32: 'tb', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
  simnet: { bech32: 'sb', pubKeyHash: 0x3f, scriptHash: 0x7b, validWitnessVersions: [0, 1] },
};

/** Less than this left before expiry and the payment might not make it. */
export const MIN_SECONDS_LEFT = 60;

export function checkInvoice(input: string, opts: { network: string; now: Date }): InvoiceCheck {
  const pr = input
    .trim()
    .toLowerCase()
    .replace(/^lightning:/, '');
  if (pr === '') return { ok: false, message: 'Paste a Lightning invoice (it starts with "ln").' };
  if (!/^ln[a-z0-9]+$/.test(pr) || pr.length > 7089)
    return { ok: false, message: 'That is not a Lightning invoice: it should start with "ln" and hold only letters and digits.' };
  const invoiceNetwork = PREFIXES.find(([p]) => pr.startsWith(p))?.[1];
  const expected = opts.network === 'testnet4' ? 'testnet' : opts.network;
  if (!invoiceNetwork) return { ok: false, message: 'That invoice is for a network this site does not know.' };
  if (invoiceNetwork !== expected) {
    return {
      ok: false,
      message: `That invoice is for ${invoiceNetwork}, but this site pays on ${opts.network}. Create the invoice on ${opts.network}.`,
    };
  }
  let decoded: ReturnType<typeof bolt11.decode>;
  try {
    decoded = bolt11.decode(pr, NETWORKS[opts.network]);
  } catch {
    return { ok: false, message: 'That invoice could not be read: check that it was copied whole.' };
  }
  const tags = decoded.tagsObject;
  if (!tags.payment_hash || !/^[0-9a-f]{64}$/.test(tags.payment_hash)) return { ok: false, message: 'That invoice has no payment hash.' };
  if (!tags.payment_secret)
    return { ok: false, message: 'That invoice has no payment secret; create a new one with an up-to-date wallet.' };
  if (decoded.millisatoshis === null || decoded.millisatoshis === undefined) {
    return { ok: false, message: 'That invoice has no amount. Create one for the amount you want to withdraw.' };
  }
  const msat = BigInt(decoded.millisatoshis);
  if (msat % 1000n !== 0n) return { ok: false, message: 'The invoice amount must be whole sats.' };
  if (msat > 2_100_000_000_000_000_000n) return { ok: false, message: 'That invoice amount is not possible.' };
  const expiresAt = new Date((decoded.timeExpireDate ?? (decoded.timestamp ?? 0) + 3600) * 1000);
  if (expiresAt.getTime() - opts.now.getTime() < MIN_SECONDS_LEFT * 1000) {
    return { ok: false, message: 'That invoice has expired (or expires within a minute). Create a new one.' };
  }
  return {
    ok: true,
    invoice: {
      paymentRequest: pr,
      paymentHash: tags.payment_hash,
      amountSat: Number(msat / 1000n),
      expiresAt,
      descriptionHash: tags.purpose_commit_hash ?? null,
      payee: decoded.payeeNodeKey ?? '',
    },
  };
}
