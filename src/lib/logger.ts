/**
 * One structured logger, injected everywhere, backed by pino. Lines are JSON (`level` as a word,
 * ISO `time`, `msg`) so they can be shipped and grepped; library code never calls console.log.
 * Secrets never reach a line: fields named like passwords, macaroons, preimages, cookies or
 * session ids are replaced by "[redacted]" at any of the first two levels of nesting.
 */
import pino from 'pino';
import { prettyLine } from './log-pretty';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (one JSON object, no newline); defaults to stdout. Tests pass a collector. */
  write?: (line: string) => void;
  base?: Record<string, unknown>;
  /** Human-readable lines on stdout instead of JSON (development at a terminal; src/log-pretty.ts). */
  pretty?: boolean;
}

const SECRET_KEYS = [
  'password',
  'passwordConfirm',
  'passwordHash',
  'password_hash',
  'macaroon',
  'preimage',
  'rPreimage',
  'r_preimage',
  'cookie',
  'sessionId',
  'sessionID',
  'sid',
  'authorization',
  'secret',
  'sessionSecret',
  'token',
];
export const REDACT_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)];

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * A child's fields are kept beside the pino logger and added to each line, not made into a pino
 * child: pino serialises a child's bindings when it is created, which a logger per request (the
 * request id) paid on every request, while most requests log a single line.
 */
function wrap(p: pino.Logger, written: (level: LogLevel) => void, bound: Record<string, unknown> = {}): Logger {
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(level)) return;
    const record: Record<string, unknown> = {};
    for (const key in bound) record[key] = bound[key];
    for (const key in fields) record[key] = serialise(fields[key]);
    p[level](record, msg);
    written(level);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => {
      const merged: Record<string, unknown> = { ...bound };
      for (const key in fields) merged[key] = serialise(fields[key]);
      return wrap(p, written, merged);
    },
  };
}

/**
 * pino's isoTime (`,"time":"<ISO 8601>"`) without a Date.toISOString per line: the text up to the
 * seconds is made once per second, the milliseconds appended (one line per request adds up).
 */
export function isoTime(): string {
  const ms = Date.now();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  const frac = ms - second * 1000;
  return `${isoPrefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z"`;
}
let isoSecond = -1;
let isoPrefix = '';

export function createLogger(options: LoggerOptions = {}): Logger {
  const write =
    options.write ??
    (options.pretty ? (line: string) => void process.stdout.write(`${prettyLine(line, process.stdout.isTTY === true)}\n`) : undefined);
  const stdout = write ? null : bufferedStdout();
  const destination = stdout?.dest ?? { write: (line: string) => write!(line.endsWith('\n') ? line.slice(0, -1) : line) };
  const p = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? {},
      messageKey: 'msg',
      timestamp: isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  return wrap(p, (level) => stdout?.written(level));
}

/**
 * stdout written about 2 KB at a time rather than a system call per line (one per request on a
 * busy site). Kept well under the 4 KB a pipe writes atomically, so the lines of several workers
 * sharing stdout never cut into each other. Written out every 250 ms, right after a warning or an
 * error, and synchronously when the process exits (pino registers that for its destinations), so
 * only a SIGKILL can lose the last lines.
 */
function bufferedStdout() {
  const dest = pino.destination({ fd: 1, sync: false, minLength: 2048 });
  let pending = false;
  const flush = () => {
    pending = false;
    try {
      dest.flush();
    } catch {
      // Already ended (the process is exiting): the exit handler writes what is left.
    }
  };
  setInterval(() => pending && flush(), 250).unref();
  return {
    dest,
    written(level: LogLevel) {
      pending = true;
      if (level === 'warn' || level === 'error') flush();
    },
  };
}

/** A logger that drops everything: for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => undefined, level: 'error' });
