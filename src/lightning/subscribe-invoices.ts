import * as grpc from '@grpc/grpc-js';
import { Logger } from '../lib/logger';
import { InvoiceSubscriptionHandlers, Subscription } from './types';
import { mapInvoice, RawInvoice } from './map-invoice';
import { mapGrpcError } from './map-grpc-error';

/**
 * Drives one SubscribeInvoices server stream. Every streamed invoice is mapped and handed to
 * `onInvoice`; `onEnd` is called exactly once: `null` when LND ends the stream cleanly (status OK, e.g. a
 * node shutdown), or the mapped error (a dropped connection is UNAVAILABLE -> LightningUnavailableError).
 * After the caller's own `cancel()` nothing more is reported: the caller asked for the end.
 * If an invoice cannot be mapped the stream is cancelled and `onEnd` gets the error, so the caller
 * resubscribes rather than silently missing a settlement.
 */
export function driveInvoiceStream(
  call: grpc.ClientReadableStream<RawInvoice>,
  handlers: InvoiceSubscriptionHandlers,
  logger: Logger,
): Subscription {
  let finished = false;
  let status: grpc.StatusObject | undefined;
  let streamError: Error | undefined;
  let ended = false;

  const finish = (error: Error | null) => {
    if (finished) return;
    finished = true;
    if (error) logger.warn('invoice subscription ended with an error', { err: error });
    else logger.info('invoice subscription ended by the node');
    handlers.onEnd(error);
  };

  // grpc-js emits 'status' as soon as the status arrives, but buffered messages may still be pending;
  // 'end' fires after the last message was delivered. Report the end only once both have happened.
  const maybeFinish = () => {
    if (!status || !ended) return;
    finish(status.code === grpc.status.OK ? null : mapGrpcError(streamError ?? status));
  };

  call.on('data', (raw: RawInvoice) => {
    if (finished) return;
    let invoice;
    try {
      invoice = mapInvoice(raw);
    } catch (err) {
      finish(mapGrpcError(err));
      call.cancel();
      return;
    }
    handlers.onInvoice(invoice);
  });
  call.on('error', (err: Error) => {
    streamError = err;
  });
  call.on('status', (s: grpc.StatusObject) => {
    status = s;
    maybeFinish();
  });
  call.on('end', () => {
    ended = true;
    maybeFinish();
  });

  return {
    cancel() {
      if (finished) return;
      finished = true;
      logger.debug('invoice subscription cancelled by the caller');
      call.cancel();
    },
  };
}
