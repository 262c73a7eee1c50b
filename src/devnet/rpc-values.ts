/**
 * Reading request fields as proto-loader delivers them ({longs: String, defaults: true}):
 * 64-bit integers arrive as decimal strings, bytes as Buffers, missing fields as defaults.
 */
export type RpcMessage = Record<string, unknown>;

export function int64(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string' && value !== '') return BigInt(value);
  return 0n;
}

export function num(value: unknown): number {
  return Number(int64(value));
}

export function bytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  return Buffer.alloc(0);
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function list<T = RpcMessage>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
