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
  /**
   * The request log's line (src/web/request-log.ts): `msg: "request"`, at info, or warn for a 5xx.
   * The same JSON info() writes, made by hand: it is written for every request, and pino's general
   * path (walking the fields, redaction) cost about 12 µs a line on the bench machine, where this
   * costs under 1 (docs/benchmarks.md).
   */
  request(line: RequestLine): void;
}

/** The fields of a request line; none of them can hold a secret (the query string is never logged). */
export interface RequestLine {
  method: string;
  path: string;
  route: string;
  status: number;
  ms: number;
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
class BoundLogger implements Logger {
  // The bound fields as JSON text for request lines, made on the first one; null: one of them needs
  // pino (an object, or a name redaction covers), so request lines take the general path.
  private boundJson: string | null | undefined;

  /** A class, not closures: a logger is made per request (the request id), most log one line. */
  constructor(
    private readonly out: Output,
    private readonly bound: Record<string, unknown>,
  ) {}

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.log('error', msg, fields);
  }

  child(fields: Record<string, unknown>): Logger {
    const merged: Record<string, unknown> = {};
    for (const key in this.bound) merged[key] = this.bound[key];
    for (const key in fields) merged[key] = serialise(fields[key]);
    return new BoundLogger(this.out, merged);
  }

  request(line: RequestLine): void {
    const level: LogLevel = line.status >= 500 ? 'warn' : 'info';
    if (!this.out.p.isLevelEnabled(level)) return;
    if (this.boundJson === undefined) this.boundJson = plainJsonFields(this.bound);
    if (this.boundJson === null) return this.log(level, 'request', { ...line });
    this.out.write(
      `{"level":"${level}"${isoTime()}${this.boundJson},"method":${JSON.stringify(line.method)},"path":${JSON.stringify(line.path)},"route":${JSON.stringify(line.route)},"status":${line.status | 0},"ms":${Math.round(line.ms) || 0},"msg":"request"}\n`,
    );
    this.out.written(level);
  }

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    const { p } = this.out;
    if (!p.isLevelEnabled(level)) return;
    const record: Record<string, unknown> = {};
    for (const key in this.bound) record[key] = this.bound[key];
    for (const key in fields) record[key] = serialise(fields[key]);
    p[level](record, msg);
    this.out.written(level);
  }
}

/** Where a logger's lines go: pino for most, `write` for request lines made by hand (a JSON line with its newline). */
interface Output {
  p: pino.Logger;
  write: (line: string) => void;
  written: (level: LogLevel) => void;
}

const SECRET_KEY_SET = new Set(SECRET_KEYS);

/** `,"key":value` for each field, when all are strings, numbers or booleans with names redaction leaves alone; else null. */
function plainJsonFields(fields: Record<string, unknown>): string | null {
  let text = '';
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined) continue;
    if (SECRET_KEY_SET.has(key) || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) return null;
    text += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return text;
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
  return new BoundLogger({ p, write: (line) => destination.write(line), written: (level) => stdout?.written(level) }, {});
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
