import { prettyLine, prettyLogsWanted } from '../../src/lib/log-pretty';

test('a JSON log line becomes time, level, message and fields a person can read', () => {
  const line = JSON.stringify({
    level: 'warn',
    time: '2026-11-29T13:57:04.123Z',
    msg: 'site listening',
    port: 3000,
    url: 'http://localhost:3000',
    note: 'two words',
  });
  expect(prettyLine(line, false)).toBe('13:57:04 WARN  site listening  port=3000 url=http://localhost:3000 note="two words"');
  expect(prettyLine(line, true)).toContain('\x1b[33mWARN ');
});

test('a line that is not JSON passes unchanged', () => {
  expect(prettyLine('plain text', false)).toBe('plain text');
});

test('readable lines only in development at a terminal, unless LOG_FORMAT says otherwise', () => {
  expect(prettyLogsWanted({ nodeEnv: 'development', isTTY: true })).toBe(true);
  expect(prettyLogsWanted({ nodeEnv: 'development', isTTY: false })).toBe(false);
  expect(prettyLogsWanted({ nodeEnv: 'production', isTTY: true })).toBe(false);
  expect(prettyLogsWanted({ nodeEnv: 'production', isTTY: true, logFormat: 'pretty' })).toBe(true);
  expect(prettyLogsWanted({ nodeEnv: 'development', isTTY: true, logFormat: 'json' })).toBe(false);
});
