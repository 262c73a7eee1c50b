/**
 * The logger's stdout in a real process: lines are buffered (a write per ~2 KB, not per line), yet
 * none is lost at exit, a warning goes out at once, and a quiet process still writes its last
 * lines within a moment.
 */
import { spawn } from 'node:child_process';
import { repoRoot } from '../../src/lib/paths';

/** Runs `body` (JavaScript with `log` = createLogger()) in a child; resolves with its stdout lines, as they arrive. */
function runWithLogger(body: string) {
  const root = repoRoot();
  const script = `
    const fs = require('fs'), path = require('path'), Module = require('module'), ts = require('typescript');
    const file = path.join(${JSON.stringify(root)}, 'src/lib/logger.ts');
    // The logger and what it imports (its pretty printer), compiled from TypeScript as they load.
    Module._extensions['.ts'] = (m, filename) => m._compile(ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, filename);
    const log = require(file).createLogger();
    ${body}`;
  const child = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Array<{ msg: string; at: number }> = [];
  const started = Date.now();
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) lines.push({ msg: (JSON.parse(l) as { msg: string }).msg, at: Date.now() - started });
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, lines, exited };
}

test('every line is written by the time the process exits, in order', async () => {
  const run = runWithLogger(`for (let i = 0; i < 500; i++) log.info('line ' + i); process.exit(0);`);
  expect(await run.exited).toBe(0);
  expect(run.lines.map((l) => l.msg)).toEqual(Array.from({ length: 500 }, (_, i) => `line ${i}`));
});

test('a warning is written at once, and a quiet process writes its info lines within a moment', async () => {
  const run = runWithLogger(
    `log.info('before'); log.warn('careful'); setTimeout(() => log.info('later'), 300); setTimeout(() => {}, 5000);`,
  );
  try {
    // Waits for the three lines (however long a busy machine takes to start the child; Jest's timeout bounds it).
    while (run.lines.length < 3) await new Promise((r) => setTimeout(r, 20));
    expect(run.lines.map((l) => l.msg)).toEqual(['before', 'careful', 'later']);
    // 'later' was logged 300 ms in and nothing else was: the periodic flush wrote it.
    expect(run.lines[2].at).toBeLessThan(run.lines[1].at + 1_500);
  } finally {
    run.child.kill('SIGKILL');
    await run.exited;
  }
});
