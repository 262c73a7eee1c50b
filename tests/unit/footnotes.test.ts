/**
 * Footnotes in Markdown (`text[^1]` and `[^1]: the note`), rendered at save time by markdown-it-footnote
 * and kept by the sanitizer: the raised number links to its note, the note links back, the ids are
 * unique to the text they come from, and nothing a writer types can borrow them to add ids, names or
 * scripts.
 */
import { renderMarkdown } from '../../src/articles/markdown';
import { createMarkdownPool } from '../../src/articles/markdown-pool';

const TEXT =
  'Lightning settles in seconds[^fast], and fees are small[^1]. Small, really[^1].\n\n[^fast]: On a good route.\n[^1]: A few sats for a **small** payment.\n';

/** The ids of the HTML's tags (a writer's text shown as text, `&lt;a id="..."`, is not a tag). */
const ids = (html: string) => [...html.matchAll(/<[a-z]+[^<>]* id="([^"]+)"/g)].map((m) => m[1]);
const hrefs = (html: string) => [...html.matchAll(/ href="#([^"]+)"/g)].map((m) => m[1]);

describe('footnotes', () => {
  test('each mark links to its note and each note links back; the marks are numbered in order of first use', () => {
    const html = renderMarkdown(TEXT);
    const marks = [
      ...html.matchAll(
        /<sup class="footnote-ref"><a href="#(fn-[a-z0-9]+-\d)" id="(fnref-[a-z0-9]+-[\d-]+)" aria-label="Footnote (\d)">(\d)<\/a><\/sup>/g,
      ),
    ];
    expect(marks.map((m) => m[4])).toEqual(['1', '2', '2']);
    expect(html).toContain('<section class="footnotes">');
    expect(html).toMatch(
      /<li id="fn-[a-z0-9]+-1" class="footnote-item"><p>On a good route\. <a href="#fnref-[a-z0-9]+-1" class="footnote-backref" aria-label="Back to the text of footnote 1">/,
    );
    expect(html).toContain('A few sats for a <strong>small</strong> payment.');
    expect(html).toContain('aria-label="Back to the text of footnote 2 (mention 2)"');
    // Every link within the text has its target, ids are unique, and no in-page link is marked as leaving the site.
    const all = ids(html);
    expect(new Set(all).size).toBe(all.length);
    for (const target of hrefs(html)) expect(all).toContain(target);
    expect(html).not.toMatch(/href="#[^"]*" [^>]*rel=/);
  });

  test('two texts on one page (a teaser and a body, several teasers) never share an id; the same text always gets the same ones', () => {
    const a = renderMarkdown(TEXT);
    const b = renderMarkdown(`${TEXT}\nOne more line.`);
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
    expect(renderMarkdown(TEXT)).toBe(a);
  });

  test('a writer cannot forge ids, names or classes, nor smuggle HTML through a note', () => {
    const html = renderMarkdown(
      [
        'A [link](#fn-abc-1 "t") and [away](https://example.com).[^x]',
        '',
        '[^x]: <img src=x onerror=alert(1)> <script>alert(1)</script> [js](javascript:alert(1))',
        '[^<b>]: nothing',
        '',
        '{#my-id} <a id="upvote-amount" aria-label="Pay" class="button">',
      ].join('\n'),
    );
    expect(html).not.toMatch(/<script|<img|href="javascript:/i);
    expect(ids(html).every((id) => /^fn(ref)?-[a-z0-9]+-\d+(-\d+)?$/.test(id))).toBe(true);
    expect(html).not.toMatch(/<[a-z]+[^<>]* (id="upvote-amount"|class="button"|aria-label="Pay")/);
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer ugc">away</a>');
  });

  test('the Markdown workers render footnotes exactly as this thread does', async () => {
    const pool = createMarkdownPool({ workers: 1, queue: 4, timeoutMs: 20_000 });
    try {
      expect(await pool.render([TEXT])).toEqual([renderMarkdown(TEXT)]);
    } finally {
      await pool.close();
    }
  });
});
