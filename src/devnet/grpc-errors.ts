import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/**
 * An error the gRPC handlers turn into a status. LND returns most of its errors as plain Go
 * errors, which grpc-go sends as code 2 UNKNOWN with the error text as details.
 */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
  ) {
    super(details);
  }
}

export const unknownError = (details: string) => new RpcError(status.UNKNOWN, details);

export function toServiceError(err: unknown): Partial<ServiceError> {
  if (err instanceof RpcError) return { code: err.code, details: err.details, metadata: new Metadata() };
  const details = err instanceof Error ? err.message : String(err);
  return { code: status.UNKNOWN, details, metadata: new Metadata() };
}
