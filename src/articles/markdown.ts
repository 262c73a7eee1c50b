/**
 * The one place Markdown becomes HTML. markdown-it runs with `html: false` (raw HTML in the source
 * is shown as text), then sanitize-html keeps only a small allow-list of tags and attributes, so
 * no script, no event handler and no javascript:/data: link can reach a page whatever a writer
 * types. Two layers on purpose: a future markdown-it option or plugin cannot open a hole alone.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { Lru } from '../lib/lru';

/**
 * highlight.js (its common languages), typed here: its own types pull in the DOM library
 * (`/// <reference lib="dom" />`), which changes Node's WebCrypto types for the whole program.
 */
export interface Highlighter {
  getLanguage(name: string): unknown;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
}
/** The module highlight.js/lib/common: the workers (markdown-pool.ts) require the same one. */
export const HIGHLIGHTER_MODULE = 'highlight.js/lib/common';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hljs = require('highlight.js/lib/common') as Highlighter;

/** markdown-it-footnote (markdown-it's own footnote plugin), typed here: it ships no types. */
export type FootnotePlugin = MarkdownIt.PluginSimple;
/** The footnote plugin's module: the workers (markdown-pool.ts) require the same one. */
export const FOOTNOTE_MODULE = 'markdown-it-footnote';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const footnotes = require('markdown-it-footnote') as FootnotePlugin;

/**
 * Builds the renderer from the four libraries it is handed. Self-contained on purpose (it uses
 * nothing from this module's scope): the Markdown workers (markdown-pool.ts) run this very function,
 * from its source, in their own threads, so both render exactly alike. Every Markdown rule (code
 * highlighting, uploaded images, footnotes) therefore lives inside it.
 */
export function createRenderer(
  MarkdownItClass: typeof MarkdownIt,
  sanitize: typeof sanitizeHtml,
  highlighter: Highlighter,
  footnotePlugin: FootnotePlugin,
): (source: string) => string {
  // Code blocks with a language (```js) are highlighted here, at save time, so a page never pays for it.
  const md = new MarkdownItClass({
    html: false,
    linkify: true,
    typographer: false,
    breaks: false,
    highlight: (code: string, lang: string) =>
      lang && highlighter.getLanguage(lang) ? highlighter.highlight(code, { language: lang, ignoreIllegals: true }).value : '',
  });
  // Images: only uploaded ones (/images/<id>, src/images/) become <img>, with a srcset of their
  // variants and lazy loading; any other address (refused at save, see imageProblems) shows as its
  // alt text, never a hot-link.
  md.renderer.rules.image = (tokens, idx) => {
    const token = tokens[idx];
    const src = token.attrGet('src') ?? '';
    const alt = md.utils.escapeHtml(token.content);
    const m = /^\/images\/([1-9]\d{0,15})$/.exec(src);
    if (!m) return `[${alt}]`;
    const base = `/images/${m[1]}`;
    return `<img src="${base}/1280.webp" srcset="${base}/640.webp 640w, ${base}/1280.webp 1280w, ${base}/1920.webp 1920w" sizes="(max-width: 760px) 100vw, 720px" alt="${alt}" loading="lazy" decoding="async">`;
  };
  // Footnotes (`text[^1]` and `[^1]: the note`): markdown-it-footnote's tokens, drawn here with
  // ids unique to this text (a teaser and a body, or several teasers, share a page), the number
  // alone as the mark, and names a screen reader can say.
  md.use(footnotePlugin);
  const rules = md.renderer.rules;
  const noteId = (tokens: Parameters<NonNullable<typeof rules.footnote_ref>>[0], idx: number, env: { docId: string }) =>
    `${env.docId}-${tokens[idx].meta.id + 1}`;
  const refId = (tokens: Parameters<NonNullable<typeof rules.footnote_ref>>[0], idx: number, env: { docId: string }) =>
    noteId(tokens, idx, env) + (tokens[idx].meta.subId > 0 ? `-${tokens[idx].meta.subId}` : '');
  rules.footnote_ref = (tokens, idx, _options, env) => {
    const n = tokens[idx].meta.id + 1;
    return `<sup class="footnote-ref"><a href="#fn-${noteId(tokens, idx, env)}" id="fnref-${refId(tokens, idx, env)}" aria-label="Footnote ${n}">${n}</a></sup>`;
  };
  // No <hr> (the sanitizer would write it self-closed) and no name on the section (two named
  // alike, a teaser's and a body's, would be two landmarks with one name): site.css sets it apart.
  rules.footnote_block_open = () => '<section class="footnotes">\n<ol class="footnotes-list">\n';
  rules.footnote_open = (tokens, idx, _options, env) => `<li id="fn-${noteId(tokens, idx, env)}" class="footnote-item">`;
  rules.footnote_anchor = (tokens, idx, _options, env) => {
    const n = tokens[idx].meta.id + 1;
    const sub = tokens[idx].meta.subId > 0 ? ` (mention ${tokens[idx].meta.subId + 1})` : '';
    return ` <a href="#fnref-${refId(tokens, idx, env)}" class="footnote-backref" aria-label="Back to the text of footnote ${n}${sub}">\u21a9\uFE0E</a>`;
  };
  /** A short, stable name for a text (FNV-1a of its source): the same text always gets the same ids. */
  const docIdOf = (source: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < source.length; i++) h = Math.imul(h ^ source.charCodeAt(i), 0x01000193);
    return (h >>> 0).toString(36);
  };
  const FOOTNOTE_ID = /^fn(ref)?-[a-z0-9]{1,7}-\d{1,5}(-\d{1,5})?$/;
  const FOOTNOTE_LABEL = /^(Footnote \d{1,5}|Back to the text of footnote \d{1,5}( \(mention \d{1,5}\))?)$/;
  const options: sanitizeHtml.IOptions = {
    allowedTags: [
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
      'span',
      'sup',
      'section',
      'a',
      'img',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'id', 'aria-label'],
      li: ['id'],
      img: ['src', 'srcset', 'sizes', 'alt', 'title', 'loading', 'decoding'],
      ol: ['start'],
      th: ['align', 'scope'],
      td: ['align'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    // Images only from this site (uploaded ones, relative addresses): no scheme at all.
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'escape',
    // highlight.js's token spans, the code block's language and the footnotes' parts, nothing else.
    allowedClasses: {
      span: [/^hljs-[a-z_-]+$/],
      code: [/^language-[a-z0-9+#-]+$/],
      sup: ['footnote-ref'],
      a: ['footnote-backref'],
      section: ['footnotes'],
      ol: ['footnotes-list'],
      li: ['footnote-item'],
    },
    // A writer's links leave the site: no referrer, no credit for search engines, no window.opener.
    // Markdown table headers are column headers: say so for screen readers (WCAG H63).
    // Ids and names only as the footnotes make them; a link within the text (#...) stays on the page.
    transformTags: {
      a: (tagName, attribs) => {
        const out: sanitizeHtml.Attributes = { ...attribs };
        if (out.id !== undefined && !FOOTNOTE_ID.test(out.id)) delete out.id;
        if (out['aria-label'] !== undefined && !FOOTNOTE_LABEL.test(out['aria-label'])) delete out['aria-label'];
        if (!(out.href ?? '').startsWith('#')) out.rel = 'nofollow noopener noreferrer ugc';
        return { tagName, attribs: out };
      },
      li: (tagName, attribs) => {
        const out: sanitizeHtml.Attributes = { ...attribs };
        if (out.id !== undefined && !FOOTNOTE_ID.test(out.id)) delete out.id;
        return { tagName, attribs: out };
      },
      h1: 'h2',
      th: sanitize.simpleTransform('th', { scope: 'col' }),
    },
  };
  return (source) => sanitize(md.render(source, { docId: docIdOf(source) }), options);
}

/** An uploaded image's Markdown address: `/images/<id>` (src/images/). */
export const UPLOADED_IMAGE = /^\/images\/([1-9]\d{0,15})$/;

/** Only for parsing (imageProblems): rendering is createRenderer's. */
const parser = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

/** What is wrong with the images of a Markdown text (remote addresses, missing alt text); empty when all is well. */
export function imageProblems(source: string): string[] {
  const problems: string[] = [];
  const walk = (tokens: ReturnType<typeof parser.parse>) => {
    for (const t of tokens) {
      if (t.type === 'image') {
        const src = t.attrGet('src') ?? '';
        const alt = t.content.trim();
        if (!UPLOADED_IMAGE.test(src))
          problems.push(
            `Images from other sites are not shown (${src.slice(0, 80)}): upload the image instead (the Insert image button, or drop or paste it into the text).`,
          );
        else if (!alt || alt === 'Describe the image')
          problems.push(
            `Describe every image for readers who cannot see it: write what it shows between the brackets, ![like this](${src}).`,
          );
      }
      if (t.children) walk(t.children);
    }
  };
  walk(parser.parse(source, {}));
  return [...new Set(problems)];
}

/** Markdown source to safe HTML, in this thread. A top-level heading becomes h2: the article title is the page's h1. */
export const renderMarkdown: (source: string) => string = createRenderer(MarkdownIt, sanitizeHtml, hljs, footnotes);

/**
 * `fn` with a bounded memory (least recently used out first; keys up to 20,000 characters; at most
 * about `maxChars` characters of keys and values kept): for text work that a busy page would
 * otherwise repeat on every request.
 */
function memoized(fn: (source: string) => string, maxChars = 4_000_000): (source: string) => string {
  const cache = new Lru<string, string>(maxChars, (value, key) => value.length + key.length);
  return (source) => {
    const hit = cache.get(source);
    if (hit !== undefined) return hit;
    const value = fn(source);
    if (source.length <= 20_000) cache.set(source, value);
    return value;
  };
}

/**
 * renderMarkdown, remembered, for rows whose stored HTML is missing (written by a bulk load rather
 * than the app): a busy page renders each text once, not on every request (about half a
 * millisecond per teaser, so a home page of 20 would pay 10 ms).
 */
export const renderMarkdownCached = memoized(renderMarkdown);

export function plainText(html: string, maxLength = 300): string {
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1).trimEnd()}…`;
}

const descriptionOf = memoized((html) => plainText(html, 200));
/** The page description (plain text, 200 characters) of a teaser's HTML, remembered: an HTML parse per article, not per request. */
export function teaserDescription(teaserHtml: string): string {
  return descriptionOf(teaserHtml);
}
