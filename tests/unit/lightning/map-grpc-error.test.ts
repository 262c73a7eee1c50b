import { mapGrpcError } from '../../../src/lightning/map-grpc-error';
import { InvoiceNotFoundError, LightningError, LightningUnavailableError, NodeNotReadyError } from '../../../src/lightning/types';

/** Builds what grpc-js rejects with: an Error carrying code, details and metadata. */
function serviceError(code: number, details: string): Error & { code: number; details: string } {
  return Object.assign(new Error(`${code} STATUS: ${details}`), { code, details });
}

describe('mapping gRPC errors to Lightning errors', () => {
  test('UNAVAILABLE (node down) means the Lightning service is unavailable', () => {
    const err = serviceError(14, 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1');
    const mapped = mapGrpcError(err);
    expect(mapped).toBeInstanceOf(LightningUnavailableError);
    expect(mapped.message).toMatch(/ECONNREFUSED/);
    expect(mapped.cause).toBe(err);
  });

  test('DEADLINE_EXCEEDED (node too slow) also means unavailable', () => {
    expect(mapGrpcError(serviceError(4, 'Deadline exceeded'))).toBeInstanceOf(LightningUnavailableError);
  });

  test('NOT_FOUND means the node does not know the invoice', () => {
    const mapped = mapGrpcError(serviceError(5, 'unable to locate invoice'));
    expect(mapped).toBeInstanceOf(InvoiceNotFoundError);
    expect(mapped.message).toBe('unable to locate invoice');
  });

  test("any other status keeps its code and LND's own text", () => {
    const mapped = mapGrpcError(serviceError(2, 'invoice with payment hash already exists'));
    expect(mapped).toBeInstanceOf(LightningError);
    expect(mapped).toMatchObject({ code: 2, message: 'invoice with payment hash already exists' });
  });

  test.each([
    [2, 'wallet locked, unlock it to enable full RPC access', 'locked'],
    [2, 'wallet not created, create one to enable full RPC access', 'locked'],
    [2, 'the RPC server is in the process of starting up, but not yet ready to accept calls', 'starting'],
    [2, 'waiting to start, RPC services not available', 'starting'],
    [2, 'verification failed: signature mismatch after caveat verification', 'macaroon-refused'],
    [2, 'expected 1 macaroon, got 0', 'macaroon-refused'],
    [2, 'permission denied', 'permission-denied'],
    [7, 'permission denied', 'permission-denied'],
    [8, 'grpc: received message larger than max', 'overloaded'],
    [13, 'some internal failure', 'internal-error'],
  ])('LND\'s "not now" answer %i %s is a NodeNotReadyError (%s) naming the call', (code, text, reason) => {
    const mapped = mapGrpcError(serviceError(code, text), 'GetInfo');
    expect(mapped).toBeInstanceOf(NodeNotReadyError);
    expect(mapped).toBeInstanceOf(LightningUnavailableError);
    expect(mapped).toMatchObject({ reason, nodeText: text, method: 'GetInfo' });
    expect(mapped.message).toContain('(GetInfo)');
    expect(mapped.message).toContain(text);
  });

  test('UNIMPLEMENTED (an RPC the node does not have) is a LightningError with code 12', () => {
    expect(mapGrpcError(serviceError(12, 'unknown method SendPaymentSync for service lnrpc.Lightning'))).toMatchObject({
      name: 'LightningError',
      code: 12,
    });
  });

  test('a stream status object (code and details, no Error) maps the same way', () => {
    expect(mapGrpcError({ code: 14, details: 'Connection dropped', metadata: {} })).toBeInstanceOf(LightningUnavailableError);
  });

  test('something that is not a gRPC error becomes a LightningError with code UNKNOWN', () => {
    expect(mapGrpcError(new TypeError('boom'))).toMatchObject({ name: 'LightningError', code: 2, message: 'boom' });
    expect(mapGrpcError('text')).toMatchObject({ name: 'LightningError', code: 2, message: 'text' });
  });

  test('errors that are already mapped pass through unchanged', () => {
    const original = new InvoiceNotFoundError('unable to locate invoice');
    expect(mapGrpcError(original)).toBe(original);
  });
});
