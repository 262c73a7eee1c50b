/** The request line made by hand is the line info() would write through pino, and stays safe. */
import { createLogger, type LogLevel } from '../../src/lib/logger';

function collect(level: LogLevel = 'info') {
  const lines: string[] = [];
  return { lines, logger: createLogger({ write: (l) => lines.push(l), level }) };
}

const line = { method: 'GET', path: '/api/v1/articles/7/content', route: '/api/v1/articles/:id/content', status: 200, ms: 3 };

test('the same JSON as info("request", fields), the child fields included', () => {
  const { lines, logger } = collect();
  const child = logger.child({ reqId: 'abc-123', attempt: 2, retried: false });
  child.request(line);
  child.info('request', { ...line });
  const [fast, general] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(typeof fast.time).toBe('string');
  expect({ ...fast, time: 0 }).toEqual({ ...general, time: 0 });
  expect(fast).toMatchObject({ level: 'info', msg: 'request', reqId: 'abc-123', status: 200, ms: 3 });
});

test('a path with quotes, backslashes and control characters stays one valid JSON line', () => {
  const { lines, logger } = collect();
  const path = '/a"b\\c\n{"level":"error"}\u2028';
  logger.request({ ...line, path, route: 'unmatched' });
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain('\n');
  expect(JSON.parse(lines[0])).toMatchObject({ path, route: 'unmatched', level: 'info' });
});

test('a 5xx is a warning; levels above info drop 2xx lines but keep the warning', () => {
  const { lines, logger } = collect('warn');
  logger.request(line);
  logger.request({ ...line, status: 503 });
  expect(lines.map((l) => JSON.parse(l).level)).toEqual(['warn']);
});

test('child fields named like secrets, or holding objects, go through pino: still redacted', () => {
  const { lines, logger } = collect();
  logger.child({ token: 'very-secret', reqId: 'r1' }).request(line);
  logger.child({ ctx: { cookie: 'paywall.sid=x' } }).request(line);
  const [a, b] = lines.map((l) => JSON.parse(l));
  expect(a).toMatchObject({ token: '[redacted]', reqId: 'r1', msg: 'request', status: 200 });
  expect(b.ctx).toEqual({ cookie: '[redacted]' });
  expect(lines.join('\n')).not.toMatch(/very-secret|paywall\.sid=x/);
});
