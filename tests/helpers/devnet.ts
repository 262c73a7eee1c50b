/**
 * Test helpers for the devnet: a devnet on free ports (0) in a fresh temp dir, removed on stop,
 * and promise wrappers around the real gRPC clients (TLS + macaroon), so tests talk to the
 * nodes exactly as the site and third-party LND clients do.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { startDevnet, type Devnet, type DevnetNodeInfo, type DevnetOptions } from '../../src/devnet';
import { createLndClients } from '../../src/devnet/client';

export type TestDevnet = Devnet & { dir: string };

/** Starts a devnet in `dir` (a new temp dir if omitted). stop() removes the dir only if we created it. */
export async function startTestDevnet(dir?: string, behaviours?: DevnetOptions['behaviours']): Promise<TestDevnet> {
  const own = dir === undefined;
  const root = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-test-'));
  const devnet = await startDevnet({ dir: root, ports: { site: 0, alice: 0, bob: 0 }, behaviours });
  return {
    ...devnet,
    dir: root,
    stop: async () => {
      await devnet.stop();
      if (own) fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

// Response messages are dynamic protobuf objects; `any` keeps test assertions on nested fields readable.
export type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

type UnaryFn = (req: unknown, cb: (err: grpc.ServiceError | null, res: Msg) => void) => void;
type StreamFn = (req: unknown) => grpc.ClientReadableStream<Msg>;

export interface TestClient {
  call(service: 'lightning' | 'invoices' | 'router', method: string, req?: unknown): Promise<Msg>;
  stream(service: 'lightning' | 'invoices' | 'router', method: string, req?: unknown): grpc.ClientReadableStream<Msg>;
  close(): void;
}

/** A client for one node; `macaroonHex` overrides the node's admin macaroon (use '' for none). */
export function clientFor(node: DevnetNodeInfo, macaroonHex?: string): TestClient {
  const clients = createLndClients(node, macaroonHex);
  const unary = (service: 'lightning' | 'invoices' | 'router', method: string) =>
    (clients[service] as unknown as Record<string, UnaryFn>)[method].bind(clients[service]);
  const streaming = (service: 'lightning' | 'invoices' | 'router', method: string) =>
    (clients[service] as unknown as Record<string, StreamFn>)[method].bind(clients[service]);
  return {
    call: (service, method, req = {}) =>
      new Promise((resolve, reject) => unary(service, method)(req, (err, res) => (err ? reject(err) : resolve(res)))),
    stream: (service, method, req = {}) => streaming(service, method)(req),
    close: () => clients.close(),
  };
}

/** Collects a stream's messages until it ends (or errors); resolves with both. */
export function collect(stream: grpc.ClientReadableStream<Msg>): Promise<{ messages: Msg[]; error?: grpc.ServiceError }> {
  const messages: Msg[] = [];
  return new Promise((resolve) => {
    stream.on('data', (m: Msg) => messages.push(m));
    stream.on('error', (error: grpc.ServiceError) => resolve({ messages, error }));
    stream.on('end', () => resolve({ messages }));
  });
}

/** Resolves with the next `count` messages of a live stream. */
export function nextMessages(stream: grpc.ClientReadableStream<Msg>, count: number): Promise<Msg[]> {
  const got: Msg[] = [];
  return new Promise((resolve, reject) => {
    const onData = (m: Msg) => {
      got.push(m);
      if (got.length === count) {
        stream.off('data', onData);
        resolve(got);
      }
    };
    stream.on('data', onData);
    stream.once('error', reject);
  });
}
