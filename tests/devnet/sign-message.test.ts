/**
 * SignMessage and VerifyMessage as LND does them: the published test vectors (rust-lightning's
 * message_signing.rs, from Core Lightning), the devnet over gRPC with TLS and macaroons, LND's
 * error texts and permissions, and an independent check of every signature with @noble/curves
 * and a z-base-32 decoder written here, so the devnet's own code is not checking itself.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { secp256k1 } from '@noble/curves/secp256k1';
import { signMessage as libSignMessage, verifyMessage as libVerifyMessage, authenticatedLndGrpc } from 'lightning';
import { recoverFromZbase32, signMessage } from '../../src/devnet/message-signing';
import { zbase32Decode, zbase32Encode } from '../../src/devnet/zbase32';
import { clientFor, startTestDevnet, type TestDevnet, type TestClient } from '../helpers/devnet';

/** The vectors, verbatim. */
const VECTORS = [
  {
    message: 'test message',
    signature: 'd9tibmnic9t5y41hg7hkakdcra94akas9ku3rmmj4ag9mritc8ok4p5qzefs78c9pqfhpuftqqzhydbdwfg7u6w6wdxcqpqn4sj4e73e',
    pubkey: '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
  },
  {
    message: 'is this compatible?',
    signature: 'rbgfioj114mh48d8egqx8o9qxqw4fmhe8jbeeabdioxnjk8z3t1ma1hu1fiswpakgucwwzwo6ofycffbsqusqdimugbh41n1g698hr9t',
    pubkey: '02b80cabdf82638aac86948e4c06e82064f547768dcef977677b9ea931ea75bab5',
  },
  {
    message: 'hi',
    signature: 'rnrphcjswusbacjnmmmrynh9pqip7sy5cx695h6mfu64iac6qmcmsd8xnsyczwmpqp9shqkth3h4jmkgyqu5z47jfn1q7gpxtaqpx4xg',
    pubkey: '02de60d194e1ca5947b59fe8e2efd6aadeabfb67f2e89e13ae1a799c1e08e4a43b',
  },
  {
    message: 'hi',
    signature: 'ry8bbsopmduhxy3dr5d9ekfeabdpimfx95kagdem7914wtca79jwamtbw4rxh69hg7n6x9ty8cqk33knbxaqftgxsfsaeprxkn1k48p3',
    pubkey: '022b8ece90ee891cbcdac0c1cc6af46b73c47212d8defbce80265ac81a6b794931',
  },
];
const VECTOR_1_RAW =
  '1fe350ac5567e3b06a5c3778ac286c263fac2b16faa7922d69d60df592b161e0ad376eba0b6e9d9f6b8bc6ccb173afc00c23a14dd9fa9ea0dec735c2d593a47728';

/** An independent z-base-32 decoder (the reference card's algorithm, reversed). */
function independentZbase32(text: string): Uint8Array {
  const Z = 'ybndrfg8ejkmcpqxot1uwisza345h769';
  let bits = '';
  for (const c of text) bits += Z.indexOf(c).toString(2).padStart(5, '0');
  const out: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Uint8Array.from(out);
}

/** Recovers the signer with @noble/curves alone: LND's digest, header 31..34 = compressed + recid. */
function independentRecover(signature: string, message: string): string {
  const raw = independentZbase32(signature);
  expect(raw).toHaveLength(65);
  expect(raw[0]).toBeGreaterThanOrEqual(31);
  expect(raw[0]).toBeLessThanOrEqual(34);
  const h = (b: Buffer) => createHash('sha256').update(b).digest();
  const digest = h(h(Buffer.from(`Lightning Signed Message:${message}`, 'utf8')));
  const sig = secp256k1.Signature.fromCompact(raw.slice(1)).addRecoveryBit(raw[0] - 31);
  const pub = sig.recoverPublicKey(digest);
  expect(secp256k1.verify(sig.toCompactRawBytes(), digest, pub.toRawBytes(true))).toBe(true);
  return pub.toHex(true);
}

describe('the published vectors', () => {
  test.each(VECTORS)('"$message" recovers $pubkey, with our code and independently', ({ message, signature, pubkey }) => {
    expect(signature).toHaveLength(104);
    expect(recoverFromZbase32(signature, Buffer.from(message))).toBe(pubkey);
    expect(independentRecover(signature, message)).toBe(pubkey);
  });

  test('vector 1 is reproduced exactly by signing with private key 1 (RFC 6979)', () => {
    const one = '0'.repeat(63) + '1';
    expect(signMessage(one, Buffer.from('test message'))).toBe(VECTORS[0].signature);
    expect(zbase32Decode(VECTORS[0].signature).toString('hex')).toBe(VECTOR_1_RAW);
    expect(zbase32Encode(Buffer.from(VECTOR_1_RAW, 'hex'))).toBe(VECTORS[0].signature);
  });

  test('a signature over another message recovers another key', () => {
    expect(recoverFromZbase32(VECTORS[1].signature, Buffer.from('is this compatible!'))).not.toBe(VECTORS[1].pubkey);
  });
});

describe('the devnet over gRPC', () => {
  let devnet: TestDevnet;
  let alice: TestClient;
  let site: TestClient;
  beforeAll(async () => {
    devnet = await startTestDevnet();
    alice = clientFor(devnet.nodes.alice);
    site = clientFor(devnet.nodes.site);
  });
  afterAll(async () => {
    alice?.close();
    site?.close();
    await devnet?.stop();
  });

  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (e) {
      const err = e as { code: number; details: string };
      return { code: err.code, details: err.details };
    }
    throw new Error('expected the call to fail');
  };

  test("alice signs, the site's node recovers alice's key (valid: she is in its graph), noble agrees", async () => {
    const message = 'Log in to reads.test with code 0123abcd';
    const { signature } = await alice.call('lightning', 'SignMessage', { msg: Buffer.from(message) });
    expect(signature).toMatch(/^[ybndrfg8ejkmcpqxot1uwisza345h769]{104}$/);
    const verified = await site.call('lightning', 'VerifyMessage', { msg: Buffer.from(message), signature });
    expect(verified).toEqual({ valid: true, pubkey: devnet.nodes.alice.identityPubkey });
    expect(independentRecover(signature, message)).toBe(devnet.nodes.alice.identityPubkey);
  });

  test('single_hash signs SHA256 once; VerifyMessage (always double) then recovers some other key', async () => {
    const msg = Buffer.from('hello');
    const { signature } = await alice.call('lightning', 'SignMessage', { msg, single_hash: true });
    const raw = zbase32Decode(signature);
    const once = createHash('sha256')
      .update(Buffer.concat([Buffer.from('Lightning Signed Message:'), msg]))
      .digest();
    const pub = secp256k1.Signature.fromCompact(raw.subarray(1))
      .addRecoveryBit(raw[0] - 31)
      .recoverPublicKey(once)
      .toHex(true);
    expect(pub).toBe(devnet.nodes.alice.identityPubkey);
    const verified = await site.call('lightning', 'VerifyMessage', { msg, signature });
    expect(verified.pubkey).not.toBe(devnet.nodes.alice.identityPubkey);
  });

  test('a key outside the graph: valid is false but the pubkey is still the signer (the vectors)', async () => {
    const v = VECTORS[1];
    expect(await site.call('lightning', 'VerifyMessage', { msg: Buffer.from(v.message), signature: v.signature })).toEqual({
      valid: false,
      pubkey: v.pubkey,
    });
  });

  test("LND's answers to bad input", async () => {
    expect(await failure(alice.call('lightning', 'SignMessage', { msg: Buffer.alloc(0) }))).toEqual({
      code: status.UNKNOWN,
      details: 'need a message to sign',
    });
    expect(await failure(site.call('lightning', 'VerifyMessage', { signature: VECTORS[0].signature }))).toEqual({
      code: status.UNKNOWN,
      details: 'need a message to verify',
    });
    expect(await failure(site.call('lightning', 'VerifyMessage', { msg: Buffer.from('x'), signature: 'y0ur' }))).toEqual({
      code: status.UNKNOWN,
      details: 'failed to decode signature: illegal z-base-32 data at input byte 1',
    });
    // Decodes, but is no recoverable signature: no error, valid false, no key.
    expect(await site.call('lightning', 'VerifyMessage', { msg: Buffer.from('x'), signature: 'ybndrf' })).toEqual({
      valid: false,
      pubkey: '',
    });
    expect(await site.call('lightning', 'VerifyMessage', { msg: Buffer.from('x'), signature: 'y'.repeat(104) })).toEqual({
      valid: false,
      pubkey: '',
    });
  });

  test('permissions: readonly may verify but not sign (message:write), invoice.macaroon may do neither', async () => {
    const readonly = clientFor(devnet.nodes.site, fs.readFileSync(`${devnet.dir}/site/readonly.macaroon`).toString('hex'));
    const invoice = clientFor(devnet.nodes.site, fs.readFileSync(`${devnet.dir}/site/invoice.macaroon`).toString('hex'));
    try {
      const v = VECTORS[2];
      expect((await readonly.call('lightning', 'VerifyMessage', { msg: Buffer.from(v.message), signature: v.signature })).pubkey).toBe(
        v.pubkey,
      );
      expect(await failure(readonly.call('lightning', 'SignMessage', { msg: Buffer.from('x') }))).toEqual({
        code: status.UNKNOWN,
        details: 'permission denied',
      });
      expect(await failure(invoice.call('lightning', 'VerifyMessage', { msg: Buffer.from('x'), signature: v.signature }))).toEqual({
        code: status.UNKNOWN,
        details: 'permission denied',
      });
    } finally {
      readonly.close();
      invoice.close();
    }
  });

  test('the `lightning` npm library signs and verifies against the devnet unchanged', async () => {
    const connect = (n: { grpcHost: string; tlsCertPath: string; macaroonPath: string }) =>
      authenticatedLndGrpc({
        cert: fs.readFileSync(n.tlsCertPath).toString('base64'),
        macaroon: fs.readFileSync(n.macaroonPath).toString('base64'),
        socket: n.grpcHost,
      }).lnd;
    const { signature } = await libSignMessage({ lnd: connect(devnet.nodes.alice), message: 'third party' });
    const { signed_by } = await libVerifyMessage({ lnd: connect(devnet.nodes.site), message: 'third party', signature });
    expect(signed_by).toBe(devnet.nodes.alice.identityPubkey);
  });
});
