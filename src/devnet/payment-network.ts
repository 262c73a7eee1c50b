/**
 * The devnet's "network": paying an invoice from one node to another. It does what LND's router
 * and the payee's invoice registry do between them, in one synchronous step so two payments can
 * never both settle one invoice: check the request, find a route, settle the invoice at the
 * destination, move channel balances on every hop, and persist all touched nodes together.
 */
import type { DecodedPayReq } from './bolt11-codec';
import type { InvoiceRegistry } from './invoice-registry';
import type { DevnetNodeName, NodeState, StoredPayment } from './node-state';
import { saveNodeStates } from './node-store';
import { applyRoute, findRoute } from './route-finder';
import { NO_ROUTING_FEE, type RoutingFee } from './routing-fee';

export interface NetworkNode {
  name: DevnetNodeName;
  pubkey: string;
  state: NodeState;
  registry: InvoiceRegistry;
}

export type PaymentListener = (payment: StoredPayment) => void;

export interface PaymentNetwork {
  nodeByPubkey(pubkey: string): NetworkNode | undefined;
  nodeByName(name: DevnetNodeName): NetworkNode | undefined;
  /** Records a new IN_FLIGHT payment at the payer (not yet persisted). */
  begin(payer: DevnetNodeName, req: DecodedPayReq, amountMsat: bigint, feeLimitMsat: bigint): StoredPayment;
  /** Resolves an IN_FLIGHT payment to SUCCEEDED or FAILED, persists and announces it. */
  resolve(payer: DevnetNodeName, payment: StoredPayment, req: DecodedPayReq): void;
  onPayment(node: DevnetNodeName, listener: PaymentListener): () => void;
  /**
   * While held, resolve() queues payments instead of finishing them (they stay IN_FLIGHT, as an HTLC
   * waiting on a slow hop would); release() finishes the queue. For tests of a node stopped mid-payment.
   */
  hold(on: boolean): void;
  /** After close, pending resolutions are dropped; the payment stays IN_FLIGHT on disk and is resumed at the next start. */
  close(): void;
}

const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();
const INTERMEDIATE_CLTV_DELTA = 40;

export function createPaymentNetwork(
  devnetDir: string,
  nodes: ReadonlyMap<DevnetNodeName, NetworkNode>,
  routingFee: RoutingFee = NO_ROUTING_FEE,
): PaymentNetwork {
  const listeners = new Map<DevnetNodeName, Set<PaymentListener>>();
  let closed = false;
  let held = false;
  const queue: Array<() => void> = [];
  const states = new Map([...nodes].map(([name, n]) => [name, n.state]));

  const announce = (node: DevnetNodeName, payment: StoredPayment) => {
    for (const l of [...(listeners.get(node) ?? [])]) l(payment);
  };

  const fail = (payer: NetworkNode, payment: StoredPayment, reason: string) => {
    payment.status = 'FAILED';
    payment.failureReason = reason;
    payment.resolveTimeNs = nowNs();
    saveNodeStates(devnetDir, [payer.state]);
    announce(payer.name, payment);
  };

  return {
    nodeByPubkey: (pubkey) => [...nodes.values()].find((n) => n.pubkey === pubkey),
    nodeByName: (name) => nodes.get(name),
    begin(payerName, req, amountMsat, feeLimitMsat) {
      const payer = nodes.get(payerName);
      if (!payer) throw new Error(`unknown node ${payerName}`);
      const payment: StoredPayment = {
        paymentHash: req.paymentHash,
        paymentPreimage: '',
        valueMsat: amountMsat.toString(),
        feeMsat: '0',
        creationTimeNs: nowNs(),
        resolveTimeNs: '0',
        paymentRequest: req.paymentRequest,
        status: 'IN_FLIGHT',
        failureReason: 'FAILURE_REASON_NONE',
        paymentIndex: payer.state.payments.length + 1,
        paymentAddr: req.paymentAddr,
        route: [],
        totalTimeLock: 0,
        feeLimitMsat: feeLimitMsat.toString(),
      };
      payer.state.payments.push(payment);
      // Persisted as IN_FLIGHT before any HTLC moves, as LND's control tower does: a node stopped
      // mid-payment still knows it at the next start (TrackPaymentV2, ALREADY_EXISTS) and finishes it.
      saveNodeStates(devnetDir, [payer.state]);
      return payment;
    },
    resolve(payerName, payment, req) {
      const payer = nodes.get(payerName);
      if (!payer) throw new Error(`unknown node ${payerName}`);
      if (closed) return;
      if (held) {
        queue.push(() => this.resolve(payerName, payment, req));
        return;
      }
      if (payment.status !== 'IN_FLIGHT') return;
      const dest = [...nodes.values()].find((n) => n.pubkey === req.destination);
      const amount = BigInt(payment.valueMsat);
      if (!dest) return fail(payer, payment, 'FAILURE_REASON_NO_ROUTE');
      const route = findRoute(states, payer.name, dest.name, amount, {
        fee: routingFee,
        feeLimitMsat: payment.feeLimitMsat === undefined ? null : BigInt(payment.feeLimitMsat),
      });
      if (!route.ok) return fail(payer, payment, route.reason);

      // What the payee's invoice registry checks when the HTLC arrives (invoices/update.go).
      const invoice = dest.registry.findByHash(req.paymentHash);
      const acceptable =
        invoice &&
        invoice.state === 'OPEN' &&
        invoice.paymentAddr === req.paymentAddr &&
        amount >= BigInt(invoice.valueMsat) &&
        (BigInt(invoice.valueMsat) === 0n || amount <= 2n * BigInt(invoice.valueMsat));
      const height = dest.state.blockHeight;
      const finalExpiry = height + req.cltvExpiry;
      // As LND reports a route: each hop forwards the amount on, keeps its fee (Route.HopFee), and the
      // payment's fee is what the payer sent beyond the amount.
      payment.route = route.hops.map((h) => ({
        chanId: h.chanId,
        pubKey: nodes.get(h.to)?.pubkey ?? '',
        amtToForwardMsat: amount.toString(),
        feeMsat: h.feeMsat.toString(),
        expiry: finalExpiry,
      }));
      payment.totalTimeLock = finalExpiry + INTERMEDIATE_CLTV_DELTA * (route.hops.length - 1);
      if (!invoice || !acceptable) return fail(payer, payment, 'FAILURE_REASON_INCORRECT_PAYMENT_DETAILS');

      const lastHop = route.hops[route.hops.length - 1];
      dest.registry.markSettled(invoice, {
        chanId: lastHop.chanId,
        amtMsat: amount.toString(),
        acceptHeight: height,
        acceptTime: Math.floor(Date.now() / 1000),
        expiryHeight: finalExpiry,
        mppTotalAmtMsat: amount.toString(),
      });
      applyRoute(states, route.hops);
      payment.status = 'SUCCEEDED';
      // Only a settled HTLC's fee is paid (LND sums the fees of the HTLCs that did not fail).
      payment.feeMsat = route.feeMsat.toString();
      payment.paymentPreimage = invoice.rPreimage;
      payment.resolveTimeNs = nowNs();

      const touched = new Set<DevnetNodeName>([payer.name, dest.name, ...route.hops.map((h) => h.to)]);
      saveNodeStates(
        devnetDir,
        [...touched].map((n) => states.get(n) as NodeState),
      );
      dest.registry.announce(invoice, 'settled');
      announce(payer.name, payment);
    },
    onPayment(node, listener) {
      const set = listeners.get(node) ?? new Set<PaymentListener>();
      listeners.set(node, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    hold(on) {
      held = on;
      if (!on) for (const next of queue.splice(0)) next();
    },
    close() {
      closed = true;
      queue.length = 0;
      listeners.clear();
    },
  };
}
