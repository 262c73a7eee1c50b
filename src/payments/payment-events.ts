/**
 * In-process fan-out of "this payment is complete" to the pages that wait for it. Listeners are
 * keyed by user, so a page can only ever hear about its own reader's payments.
 */
import { EventEmitter } from 'node:events';
import type { PaymentPurpose } from './payments-repo';

export interface PaymentCompleted {
  paymentId: number;
  userId: number;
  articleId: number;
  /** A page waiting to unlock an article wants 'view'; an upvote's panel waits for its own paymentId. */
  purpose: PaymentPurpose;
}

export interface PaymentEvents {
  completed(event: PaymentCompleted): void;
  /** Returns the function that removes the listener. */
  onCompleted(userId: number, listener: (event: PaymentCompleted) => void): () => void;
  listenerCount(): number;
}

export function createPaymentEvents(): PaymentEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // one per open page; bounded by connections, not by a magic number
  let count = 0;
  return {
    completed(event) {
      emitter.emit(`user:${event.userId}`, event);
    },
    onCompleted(userId, listener) {
      emitter.on(`user:${userId}`, listener);
      count += 1;
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        count -= 1;
        emitter.off(`user:${userId}`, listener);
      };
    },
    listenerCount: () => count,
  };
}
