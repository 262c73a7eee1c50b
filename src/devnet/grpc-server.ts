/**
 * One node's gRPC server: TLS with the node's certificate, LND's three services, and every call
 * checked against the node's RPC state (locked, starting) and then its macaroon root key before its
 * handler runs (LND's interceptor, in LND's order).
 * Handler errors become gRPC statuses; unknown errors are code 2 like LND's plain Go errors.
 */
import * as grpc from '@grpc/grpc-js';
import { toServiceError } from './grpc-errors';
import { invoicesStreams, invoicesUnary } from './invoices-service';
import { lightningStreams, lightningUnary } from './lightning-service';
import { messageUnary } from './message-service';
import { checkMacaroon } from './macaroons';
import { checkRpcState } from './lnd-behaviours';
import type { NodeContext, RpcStream, StreamHandler, UnaryHandler } from './node-context';
import { loadLndServices } from './protos';
import { routerStreams } from './router-service';
import type { RpcMessage } from './rpc-values';
import type { TlsMaterial } from './tls-cert';

type Implementation = grpc.UntypedServiceImplementation;

function implement(
  service: grpc.ServiceDefinition,
  unary: Record<string, UnaryHandler>,
  streams: Record<string, StreamHandler>,
  ctx: NodeContext,
): Implementation {
  const rootKey = Buffer.from(ctx.state.macaroonRootKey, 'hex');
  const impl: Implementation = {};
  for (const [name, def] of Object.entries(service)) {
    const path = def.path;
    const unaryHandler = unary[name];
    const streamHandler = streams[name];
    if (unaryHandler) {
      impl[name] = (call: grpc.ServerUnaryCall<RpcMessage, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        try {
          checkRpcState(ctx.behaviour);
          checkMacaroon(call.metadata, rootKey, path);
          callback(null, unaryHandler(call.request, ctx));
        } catch (err) {
          callback(toServiceError(err));
        }
      };
    } else if (streamHandler) {
      impl[name] = (call: RpcStream) => {
        try {
          checkRpcState(ctx.behaviour);
          checkMacaroon(call.metadata, rootKey, path);
          streamHandler(call.request, ctx, call);
        } catch (err) {
          call.emit('error', toServiceError(err));
        }
      };
    }
  }
  return impl;
}

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

export async function startGrpcServer(ctx: NodeContext, tls: TlsMaterial, port: number): Promise<RunningServer> {
  const services = loadLndServices();
  const server = new grpc.Server();
  server.addService(
    services.Lightning.service,
    implement(services.Lightning.service, { ...lightningUnary, ...messageUnary }, lightningStreams, ctx),
  );
  server.addService(services.Invoices.service, implement(services.Invoices.service, invoicesUnary, invoicesStreams, ctx));
  server.addService(services.Router.service, implement(services.Router.service, {}, routerStreams, ctx));
  const creds = grpc.ServerCredentials.createSsl(
    null,
    [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }],
    false,
  );
  const boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port: boundPort,
    stop: () =>
      new Promise<void>((resolve) => {
        // LND ends open streams with status OK on shutdown; then drain, forcing after a grace period.
        for (const call of [...ctx.openStreams]) call.end();
        ctx.openStreams.clear();
        const force = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
