/**
 * At start, every payment a node left IN_FLIGHT (persisted when it began) is resolved again through
 * the network, as LND's router resumes in-flight payments after a restart. An invoice that was settled
 * meanwhile by another payment fails it with INCORRECT_PAYMENT_DETAILS, as the payee would.
 */
import { decodePaymentRequest } from './bolt11-codec';
import type { DevnetNodeName } from './node-state';
import type { NetworkNode, PaymentNetwork } from './payment-network';

export function resumeInFlightPayments(nodes: ReadonlyMap<DevnetNodeName, NetworkNode>, network: PaymentNetwork): void {
  for (const [name, node] of nodes) {
    for (const payment of node.state.payments.filter((p) => p.status === 'IN_FLIGHT')) {
      setImmediate(() => {
        try {
          network.resolve(name, payment, decodePaymentRequest(payment.paymentRequest));
        } catch {
          // A request the devnet itself decoded when the payment began: cannot fail to decode now.
        }
      });
    }
  }
}
