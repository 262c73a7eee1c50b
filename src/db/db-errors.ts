/**
 * Recognises "the database cannot be reached right now" among the errors pg, knex and
 * connect-pg-simple throw, so the error handler can answer a clear 503 instead of a 500. Anything
 * else (a constraint, a syntax error) is a bug and stays a 500.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATE class 08 (connection exception) and 57P0x (the server is shutting down or starting). */
const SQLSTATE = /^(08\d{3}|57P0[1-3])$/;
const MESSAGES = [
  /Connection terminated/i,
  /Timeout acquiring a connection/i,
  /terminating connection due to administrator command/i,
  /the database system is (starting up|shutting down)/i,
  /Client has encountered a connection error/i,
];

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 4 || typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQLSTATE.test(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e.message as string))) return true;
  // Node's happy-eyeballs connect failure is an AggregateError of ECONNREFUSED errors.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
