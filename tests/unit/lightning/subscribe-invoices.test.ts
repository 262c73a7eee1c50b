import { EventEmitter } from 'node:events';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { silentLogger } from '../../../src/lib/logger';
import { RawInvoice } from '../../../src/lightning/map-invoice';
import { driveInvoiceStream } from '../../../src/lightning/subscribe-invoices';
import { Invoice, LightningError, LightningUnavailableError } from '../../../src/lightning/types';

/** A stand-in for grpc-js's server stream: an EventEmitter the test drives, recording cancel(). */
function fakeStream() {
  const emitter = new EventEmitter() as EventEmitter & { cancelled: number; cancel(): void };
  emitter.cancelled = 0;
  emitter.cancel = () => {
    emitter.cancelled += 1;
  };
  return { stream: emitter, call: emitter as unknown as ClientReadableStream<RawInvoice> };
}

function raw(addIndex: number, state = 'OPEN'): RawInvoice {
  return {
    memo: '',
    r_hash: Buffer.alloc(32, addIndex),
    value: '100',
    value_msat: '100000',
    creation_date: '1700000000',
    settle_date: state === 'SETTLED' ? '1700000010' : '0',
    payment_request: 'lnbcrt1u1p',
    expiry: '86400',
    add_index: String(addIndex),
    settle_index: state === 'SETTLED' ? '1' : '0',
    amt_paid_sat: state === 'SETTLED' ? '100' : '0',
    amt_paid_msat: state === 'SETTLED' ? '100000' : '0',
    state,
  };
}

function collect() {
  const invoices: Invoice[] = [];
  const ends: (Error | null)[] = [];
  return { invoices, ends, handlers: { onInvoice: (i: Invoice) => invoices.push(i), onEnd: (e: Error | null) => ends.push(e) } };
}

describe('driving an invoice subscription stream', () => {
  test('every streamed invoice is mapped and delivered in order', () => {
    const { stream, call } = fakeStream();
    const seen = collect();
    driveInvoiceStream(call, seen.handlers, silentLogger);
    stream.emit('data', raw(1));
    stream.emit('data', raw(1, 'SETTLED'));
    expect(seen.invoices.map((i) => [i.addIndex, i.state])).toEqual([
      [1, 'OPEN'],
      [1, 'SETTLED'],
    ]);
    expect(seen.ends).toEqual([]);
  });

  test('a clean end (status OK) is reported once as onEnd(null), whatever order status and end come in', () => {
    for (const order of [
      ['status', 'end'],
      ['end', 'status'],
    ] as const) {
      const { stream, call } = fakeStream();
      const seen = collect();
      driveInvoiceStream(call, seen.handlers, silentLogger);
      for (const event of order) stream.emit(event, event === 'status' ? { code: 0, details: 'OK' } : undefined);
      expect(seen.ends).toEqual([null]);
    }
  });

  test('a dropped connection is reported as the node being unavailable', () => {
    const { stream, call } = fakeStream();
    const seen = collect();
    driveInvoiceStream(call, seen.handlers, silentLogger);
    const err = Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14, details: 'Connection dropped' });
    stream.emit('error', err);
    stream.emit('status', { code: 14, details: 'Connection dropped' });
    stream.emit('end');
    expect(seen.ends).toHaveLength(1);
    expect(seen.ends[0]).toBeInstanceOf(LightningUnavailableError);
  });

  test("after the caller's cancel nothing more is reported", () => {
    const { stream, call } = fakeStream();
    const seen = collect();
    const subscription = driveInvoiceStream(call, seen.handlers, silentLogger);
    subscription.cancel();
    stream.emit('data', raw(2));
    stream.emit('error', Object.assign(new Error('1 CANCELLED: Cancelled on client'), { code: 1, details: 'Cancelled on client' }));
    stream.emit('status', { code: 1, details: 'Cancelled on client' });
    stream.emit('end');
    expect(stream.cancelled).toBe(1);
    expect(seen.invoices).toEqual([]);
    expect(seen.ends).toEqual([]);
  });

  test('an invoice that cannot be mapped ends the subscription with an error so the caller resubscribes', () => {
    const { stream, call } = fakeStream();
    const seen = collect();
    driveInvoiceStream(call, seen.handlers, silentLogger);
    stream.emit('data', { ...raw(3), state: 'BOGUS' });
    stream.emit('status', { code: 1, details: 'Cancelled on client' });
    stream.emit('end');
    expect(stream.cancelled).toBe(1);
    expect(seen.ends).toHaveLength(1);
    expect(seen.ends[0]).toBeInstanceOf(LightningError);
  });

  test('with onUnreadable, an invoice that cannot be read is skipped and the stream goes on', () => {
    const { stream, call } = fakeStream();
    const seen = collect();
    const unreadable: Error[] = [];
    driveInvoiceStream(call, { ...seen.handlers, onUnreadable: (e) => unreadable.push(e) }, silentLogger);
    stream.emit('data', { ...raw(3, 'SETTLED'), amt_paid_msat: '99999999999999999999', amt_paid_sat: '99999999999999999' });
    stream.emit('data', raw(4, 'SETTLED'));
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0].message).toMatch(/amt_paid/);
    expect(seen.invoices.map((i) => i.addIndex)).toEqual([4]);
    expect(seen.ends).toEqual([]);
    expect(stream.cancelled).toBe(0);
  });
});
