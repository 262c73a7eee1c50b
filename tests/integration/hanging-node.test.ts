/**
 * A node that accepts the connection and then never answers (a hung process, a black-holed
 * network): every call ends at its deadline, and after repeated failures the circuit breaker
 * answers "payments unavailable" without waiting at all.
 */
import net from 'node:net';
import { createLndClient } from '../../src/lightning/lnd-grpc-client';
import { loadNodeConfig } from '../../src/lightning/load-node-config';
import { withCircuitBreaker, type CircuitBreakerNode } from '../../src/lightning/circuit-breaker';
import { silentLogger } from '../../src/lib/logger';
import { startTestSite, loggedInAgent, articleBody, type TestSite } from '../helpers/site';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let hung: net.Server;
const sockets = new Set<net.Socket>();
let breaker: CircuitBreakerNode;
const outcomes: string[] = [];

beforeAll(async () => {
  // Accepts TCP connections and never writes a byte: the TLS handshake never completes.
  hung = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
  const port = (hung.address() as net.AddressInfo).port;
  site = await startTestSite();
  // A real client with the devnet node's cert and macaroon, aimed at the hanging port.
  const s = site.devnet.nodes.site;
  const client = createLndClient({
    ...loadNodeConfig({ grpcHost: `127.0.0.1:${port}`, tlsCertPath: s.tlsCertPath, macaroonPath: s.macaroonPath }),
    logger: silentLogger,
    deadlineMs: 800,
  });
  breaker = withCircuitBreaker(client, {
    failureThreshold: 2,
    openMs: 60_000,
    logger: silentLogger,
    onCall: (_m, outcome) => outcomes.push(outcome),
  });
});
afterAll(async () => {
  breaker.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => hung.close(() => r()));
  await site.close();
});

test('calls to a hanging node end at the deadline; then the open circuit answers at once', async () => {
  for (let i = 0; i < 2; i += 1) await expect(breaker.getInfo()).rejects.toMatchObject({ name: 'LightningUnavailableError' });
  expect(outcomes).toEqual(['error', 'error']);
  expect(breaker.circuit().state).toBe('open');
  await expect(breaker.createInvoice({ valueSat: 10, memo: 'x' })).rejects.toMatchObject({ name: 'LightningUnavailableError' });
  expect(outcomes).toEqual(['error', 'error', 'rejected']);
});

test('the article page behind a hanging node is a 503 "payments unavailable" page', async () => {
  // A second site whose payments service is wired to the hanging node (through the breaker).
  const hangingSite = await startTestSite({ node: breaker });
  try {
    const bob = await loggedInAgent(hangingSite.app, 'bob');
    const [article] = await adminArticles(hangingSite.knex);
    const res = await bob.get(`/articles/${article.id}`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Payments are unavailable right now');
    expect(articleBody(res.text)).toBeNull();
  } finally {
    await hangingSite.close();
  }
});
