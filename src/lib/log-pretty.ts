/**
 * Log lines for a person at a terminal: `12:04:31 INFO  site listening  port=3000`, the level
 * coloured. Made from the JSON line pino wrote (so redaction has already happened); a line that is
 * not JSON passes unchanged. Used only in development on a TTY (see `prettyLogsWanted`).
 */
const COLOURS: Record<string, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s="]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function prettyLine(json: string, colour = true): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, ...fields } = record;
  const label = String(level ?? 'info');
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const tag = label.toUpperCase().padEnd(5);
  const rest = Object.entries(fields)
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
  if (!colour) return `${clock} ${tag} ${String(msg ?? '')}${rest ? `  ${rest}` : ''}`;
  return `${DIM}${clock}${RESET} ${COLOURS[label] ?? ''}${tag}${RESET} ${String(msg ?? '')}${rest ? `  ${DIM}${rest}${RESET}` : ''}`;
}

/** Human-readable lines in development at a terminal; JSON when piped, in production, or as LOG_FORMAT says. */
export function prettyLogsWanted(env: { nodeEnv: string; logFormat?: string | undefined; isTTY: boolean }): boolean {
  if (env.logFormat === 'json') return false;
  if (env.logFormat === 'pretty') return true;
  return env.nodeEnv === 'development' && env.isTTY;
}
