/**
 * One structured logger, injected everywhere, backed by pino. Lines are JSON (`level` as a word,
 * ISO `time`, `msg`) so they can be shipped and grepped; library code never calls console.log.
 * Secrets never reach a line: fields named like passwords, macaroons, preimages, cookies or
 * session ids are replaced by "[redacted]" at any of the first two levels of nesting.
 */
import pino from 'pino';

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
}

const SECRET_KEYS = ['password', 'passwordConfirm', 'passwordHash', 'password_hash', 'macaroon', 'preimage', 'rPreimage', 'r_preimage', 'cookie', 'sessionId', 'sessionID', 'sid', 'authorization', 'secret', 'sessionSecret', 'token'];
export const REDACT_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)];

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function wrap(p: pino.Logger): Logger {
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(level)) return;
    const record: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields ?? {})) record[k] = serialise(v);
    p[level](record, msg);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => wrap(p.child(fields)),
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write;
  // Synchronous writes, so the last lines before an exit (or a crash) are not lost in a buffer.
  const destination = write ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) } : pino.destination({ fd: 1, sync: true });
  const p = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? {},
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  return wrap(p);
}

/** A logger that drops everything: for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => undefined, level: 'error' });
