/** Markdown in worker threads renders exactly what the main thread renders, within bounds. */
import { createMarkdownPool, MarkdownTooComplexError } from '../../src/articles/markdown-pool';
import { renderMarkdown } from '../../src/articles/markdown';
import { lineDiff } from '../../src/articles/line-diff';
import { BusyError } from '../../src/web/errors';

const SOURCES = [
  '# Title\n\nSome *emphasis*, **bold** and a [link](https://example.com "t").',
  '<script>alert(1)</script> [x](javascript:alert(1)) ![i](data:image/png;base64,AA) ![ok](https://e.example/i.png)',
  '| a | b |\n|:--|--:|\n| 1 | 2 |',
  '> quote\n\n1. one\n2. two\n\n```\ncode <b>\n```',
  // Issue 14's rules live inside createRenderer too: highlighted code and uploaded images.
  '```js\nconst x = "a" + 1; // note\n```\n\n![A chart](/images/12) ![remote](https://e.example/i.png)',
];

test('the workers render exactly what renderMarkdown renders (sanitized alike)', async () => {
  const pool = createMarkdownPool({ workers: 2, queue: 8, timeoutMs: 30_000 });
  try {
    const html = await pool.render(SOURCES);
    expect(html).toEqual(SOURCES.map(renderMarkdown));
    expect(html[4]).toContain('<span class="hljs-keyword">const</span>');
    expect(html[4]).toContain('srcset="/images/12/640.webp 640w');
    expect(html[4]).not.toContain('e.example');
    const parallel = await Promise.all(SOURCES.map((s) => pool.render([s])));
    expect(parallel.map((r) => r[0])).toEqual(SOURCES.map(renderMarkdown));
  } finally {
    await pool.close();
  }
});

test('a render over its time is stopped and refused as too complex; the next render works', async () => {
  // A table of 100,000 characters takes hundreds of milliseconds; the bound here is 1 ms.
  const table = '| a | b | c |\n|---|---|---|\n' + '| x | y | z |\n'.repeat(7_000);
  const pool = createMarkdownPool({ workers: 1, queue: 8, timeoutMs: 1 });
  try {
    await expect(pool.render([table])).rejects.toBeInstanceOf(MarkdownTooComplexError);
  } finally {
    await pool.close();
  }
  const fresh = createMarkdownPool({ workers: 1, queue: 8, timeoutMs: 30_000 });
  try {
    expect(await fresh.render(['*ok*'])).toEqual(['<p><em>ok</em></p>\n']);
  } finally {
    await fresh.close();
  }
});

test('beyond the queue the pool says busy instead of piling up', async () => {
  const pool = createMarkdownPool({ workers: 1, queue: 2, timeoutMs: 30_000 });
  try {
    const jobs = Array.from({ length: 4 }, () =>
      pool.render(['*x*']).then(
        () => 'done',
        (e: unknown) => (e instanceof BusyError ? 'busy' : 'other'),
      ),
    );
    const outcomes = await Promise.all(jobs);
    // One runs, two wait, the fourth is refused.
    expect(outcomes).toEqual(['done', 'done', 'done', 'busy']);
  } finally {
    await pool.close();
  }
});

test('the restore review diff shows removed and added lines in order', () => {
  expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual([
    { kind: 'same', text: 'a' },
    { kind: 'removed', text: 'b' },
    { kind: 'added', text: 'B' },
    { kind: 'same', text: 'c' },
    { kind: 'added', text: 'd' },
  ]);
  expect(lineDiff('x\ny', 'p\nq', 3)).toEqual([
    { kind: 'removed', text: 'x' },
    { kind: 'removed', text: 'y' },
    { kind: 'added', text: 'p' },
    { kind: 'added', text: 'q' },
  ]);
});
