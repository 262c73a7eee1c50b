import { withCircuitBreaker, CircuitOpenError } from '../../src/lightning/circuit-breaker';
import { InvoiceNotFoundError, LightningUnavailableError, type LightningNode, type NodeInfo } from '../../src/lightning/types';
import { silentLogger } from '../../src/lib/logger';

/** A node double whose next answers the test decides. */
function scriptedNode() {
  let mode: 'up' | 'down' | 'not-found' = 'up';
  let calls = 0;
  const info: NodeInfo = { identityPubkey: '02ab', alias: 'x', version: 'v', network: 'regtest', syncedToChain: true, blockHeight: 1 };
  const answer = async <T>(value: T): Promise<T> => {
    calls += 1;
    if (mode === 'down') throw new LightningUnavailableError('down');
    if (mode === 'not-found') throw new InvoiceNotFoundError('nope');
    return value;
  };
  const node: LightningNode = {
    getInfo: () => answer(info),
    createInvoice: () => answer({ paymentHash: 'h', paymentRequest: 'lnbcrt1', addIndex: 1, expiresAt: new Date() }),
    lookupInvoice: () => answer(null as never),
    subscribeInvoices: () => ({ cancel() {} }),
    close() {},
  };
  return { node, set: (m: typeof mode) => (mode = m), calls: () => calls };
}

test('repeated unavailability opens the circuit; calls then fail at once without reaching the node', async () => {
  const s = scriptedNode();
  let now = 0;
  const b = withCircuitBreaker(s.node, { failureThreshold: 3, openMs: 1000, logger: silentLogger, now: () => now });
  s.set('down');
  for (let i = 0; i < 3; i += 1) await expect(b.getInfo()).rejects.toBeInstanceOf(LightningUnavailableError);
  expect(b.circuit().state).toBe('open');
  await expect(b.createInvoice({ valueSat: 1, memo: '' })).rejects.toBeInstanceOf(CircuitOpenError);
  expect(s.calls()).toBe(3);

  // After openMs one probe goes through; a failed probe opens it again.
  now = 1000;
  expect(b.circuit().state).toBe('half-open');
  await expect(b.getInfo()).rejects.toBeInstanceOf(LightningUnavailableError);
  expect(s.calls()).toBe(4);
  expect(b.circuit().state).toBe('open');

  // A successful probe closes it.
  now = 2000;
  s.set('up');
  await expect(b.getInfo()).resolves.toMatchObject({ alias: 'x' });
  expect(b.circuit()).toEqual({ state: 'closed', consecutiveFailures: 0 });
});

test('an answer that is an error (not found) means the node is up and resets the count', async () => {
  const s = scriptedNode();
  const b = withCircuitBreaker(s.node, { failureThreshold: 2, logger: silentLogger });
  s.set('down');
  await expect(b.getInfo()).rejects.toBeInstanceOf(LightningUnavailableError);
  s.set('not-found');
  await expect(b.lookupInvoice('00'.repeat(32))).rejects.toBeInstanceOf(InvoiceNotFoundError);
  s.set('down');
  await expect(b.getInfo()).rejects.toBeInstanceOf(LightningUnavailableError);
  expect(b.circuit().state).toBe('closed');
});
