import { renderMarkdown, renderMarkdownCached, plainText } from '../../src/articles/markdown';
import { readArticleForm } from '../../src/articles/article-form';
import { parseCursor, formatCursor, parseSort } from '../../src/articles/article-list-page';
import { renderSatsChart } from '../../src/moderation/sats-chart';
import { xmlEscape } from '../../src/articles/feeds';
import { moderationReason } from '../../src/moderation/moderation-pages';
import { parseXml } from '../helpers/xml';

/** Real-world XSS payloads (OWASP filter evasion cheat sheet, PortSwigger's list, Markdown-specific ones). */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<svg/onload=alert(1)>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](  javascript:alert(1)  )',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](javascript:alert(1))',
  '![x" onerror="alert(1)](/images/1)',
  '![x](/images/1" onerror="alert(1))',
  '![x](https://tracker.example/pixel.gif)',
  '```js" onmouseover="alert(1)\nconst a = "<img src=x onerror=alert(1)>";\n```',
  '```javascript\n</code></pre><script>alert(1)</script>\n```',
  '![x](https://example.com/a.png"onerror="alert(1))',
  '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '<a href="https://example.com" onclick="alert(1)">x</a>',
  '[a]: javascript:alert(1)\n\n[link][a]',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel=stylesheet href=https://evil.example/x.css>',
  '<style>body{background:red}</style>',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<a href="&#x6A;avascript:alert(1)">x</a>',
  'https://example.com/<script>alert(1)</script>',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
];

/** Every tag in the output with its attributes, parsed the way a browser would tokenise them. */
function tags(html: string): Array<{ name: string; attrs: Record<string, string> }> {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({
    name: m[1].toLowerCase(),
    attrs: Object.fromEntries([...m[2].matchAll(/([^\s"'=/]+)\s*=\s*"([^"]*)"/g)].map((a) => [a[1].toLowerCase(), a[2]])),
  }));
}

const ALLOWED_TAGS = new Set([
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  's',
  'del',
  'ul',
  'ol',
  'li',
  'a',
  'img',
  'span',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);

describe('Markdown is rendered to safe HTML', () => {
  test.each(HOSTILE)('hostile input %j yields no script, no event handler and no dangerous URL', (input) => {
    const html = renderMarkdown(input);
    for (const t of tags(html)) {
      expect(ALLOWED_TAGS.has(t.name)).toBe(true);
      for (const [name, value] of Object.entries(t.attrs)) {
        expect(name).not.toMatch(/^on/);
        expect([
          'href',
          'src',
          'srcset',
          'sizes',
          'loading',
          'decoding',
          'class',
          'title',
          'alt',
          'rel',
          'start',
          'align',
          'scope',
        ]).toContain(name);
        if (name === 'href') expect(value).toMatch(/^(https?:|mailto:)/i);
        // Images only from this site's uploads; classes only highlight.js's and the code block's language.
        if (name === 'src') expect(value).toMatch(/^\/images\/\d+\/\d+\.webp$/);
        if (name === 'class') expect(value).toMatch(/^(hljs-[\w-]+|language-[\w-]+)( (hljs-[\w-]+|language-[\w-]+))*$/);
      }
    }
    expect(html).not.toMatch(/<script|<iframe|<svg|<style|<object|<embed|<form|<input|<meta|<base|<link/i);
  });

  test('ordinary Markdown keeps its meaning: emphasis, links (nofollow), lists, code, quotes', () => {
    const html = renderMarkdown(
      'Some *emphasis* and **bold**, a [link](https://example.com/a?b=1&c=2).\n\n- one\n- two\n\n> quoted\n\n    code <b>',
    );
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc">link</a>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<pre><code>code &lt;b&gt;');
  });

  test('a top-level heading becomes h2 (the title is the page h1); raw HTML is shown as text', () => {
    expect(renderMarkdown('# Title')).toBe('<h2>Title</h2>\n');
    expect(renderMarkdown('<b>bold</b>')).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  test('plainText strips tags and shortens for meta descriptions', () => {
    expect(plainText(renderMarkdown('**A** & <b>'))).toBe('A & <b>');
    expect(plainText(renderMarkdown('word '.repeat(100)), 20)).toHaveLength(20);
  });
});

describe('the writer form', () => {
  const bounds = { min: 1, max: 1_000_000 };
  test('accepts a complete article with a price inside the bounds', () => {
    const f = readArticleForm({ title: ' T ', teaser: 'tease', body: 'body\r\ntext', priceSat: '500' }, bounds);
    expect(f.errors).toEqual([]);
    expect(f.draft).toEqual({
      title: 'T',
      teaser: 'tease',
      body: 'body\ntext',
      priceSat: 500,
      tags: [],
      coverImageId: null,
      coverAlt: null,
    });
  });
  test.each(['0', '1000001', '-5', '1.5', 'ten', ''])('refuses the price %j with the configured bounds in the message', (price) => {
    const f = readArticleForm({ title: 'T', teaser: 't', body: 'b', priceSat: price }, bounds);
    expect(f.errors).toEqual(['The price must be a whole number of sats from 1 to 1,000,000.']);
  });
  test('names every missing field', () => {
    expect(readArticleForm({}, bounds).errors).toHaveLength(4);
  });
});

describe('keyset cursors and sorts', () => {
  test('round-trip and reject anything else', () => {
    expect(parseCursor(formatCursor({ value: 1763700000123, id: 42 }))).toEqual({ value: 1763700000123, id: 42 });
    for (const bad of ['', '1', '1.0', 'a.b', '1.2.3', '-1.2', '1.2; DROP TABLE', 5, undefined]) expect(parseCursor(bad)).toBeNull();
    expect(parseSort('top')).toBe('top');
    expect(parseSort('read')).toBe('read');
    expect(parseSort('bogus')).toBe('new');
  });
});

describe('the sats-per-day chart', () => {
  const days = [
    { day: '2026-11-19', sats: 0 },
    { day: '2026-11-20', sats: 150 },
    { day: '2026-11-21', sats: 50 },
  ];
  test('is an accessible SVG image with a title, a description of the numbers and one bar per day', () => {
    const svg = renderSatsChart(days);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.role).toBe('img');
    expect(root.attrs['aria-labelledby']).toBe('sats-chart-title sats-chart-desc');
    expect(root.children.find((c) => c.name === 'title')?.text).toBe('Sats earned per day, last 3 days');
    expect(root.children.find((c) => c.name === 'desc')?.text).toBe(
      '200 sats earned from 2026-11-19 to 2026-11-21; the best day was 2026-11-20 with 150 sats.',
    );
    const bars = root.children.filter((c) => c.name === 'rect');
    expect(bars.map((b) => b.children[0].text)).toEqual(['2026-11-19: 0 sats', '2026-11-20: 150 sats', '2026-11-21: 50 sats']);
    expect(Number(bars[1].attrs.height)).toBeCloseTo(3 * Number(bars[2].attrs.height), 0);
    expect(svg).not.toMatch(/style=/);
  });
  test('says so when nothing was earned', () => {
    expect(parseXml(renderSatsChart(days.map((d) => ({ ...d, sats: 0 })))).children.find((c) => c.name === 'desc')?.text).toBe(
      'No sats earned from 2026-11-19 to 2026-11-21.',
    );
  });
});

test('xmlEscape makes any text safe inside XML', () => {
  const nasty = 'A & B <c> "d" \'e\' \u0001';
  expect(parseXml(`<t a="${xmlEscape(nasty)}">${xmlEscape(nasty)}</t>`)).toMatchObject({
    attrs: { a: 'A & B <c> "d" \'e\' ' },
    text: 'A & B <c> "d" \'e\' ',
  });
});

test('a moderation reason is the preset (or the default) plus the note', () => {
  expect(moderationReason({}, 'Default')).toBe('Default');
  expect(moderationReason({ reason: 'Spam or advertising' }, 'Default')).toBe('Spam or advertising');
  expect(moderationReason({ reason: 'Plagiarism', note: ' copied  from X ' }, 'Default')).toBe('Plagiarism: copied from X');
});

test('the cached renderer gives exactly what the renderer gives, on a miss and on a hit', () => {
  const source = 'Cached *teaser* <script>alert(1)</script>';
  expect(renderMarkdownCached(source)).toBe(renderMarkdown(source));
  expect(renderMarkdownCached(source)).toBe(renderMarkdown(source));
});
