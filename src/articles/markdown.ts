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

/**
 * Builds the renderer from the three libraries it is handed. Self-contained on purpose (it uses
 * nothing from this module's scope): the Markdown workers (markdown-pool.ts) run this very function,
 * from its source, in their own threads, so both render exactly alike. Every Markdown rule (code
 * highlighting, uploaded images) therefore lives inside it.
 */
export function createRenderer(
  MarkdownItClass: typeof MarkdownIt,
  sanitize: typeof sanitizeHtml,
  highlighter: Highlighter,
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
      a: ['href', 'title', 'rel'],
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
    // highlight.js's token spans and the code block's language, nothing else.
    allowedClasses: { span: [/^hljs-[a-z_-]+$/], code: [/^language-[a-z0-9+#-]+$/] },
    // A writer's links leave the site: no referrer, no credit for search engines, no window.opener.
    // Markdown table headers are column headers: say so for screen readers (WCAG H63).
    transformTags: {
      a: sanitize.simpleTransform('a', { rel: 'nofollow noopener noreferrer ugc' }),
      h1: 'h2',
      th: sanitize.simpleTransform('th', { scope: 'col' }),
    },
  };
  return (source) => sanitize(md.render(source), options);
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
export const renderMarkdown: (source: string) => string = createRenderer(MarkdownIt, sanitizeHtml, hljs);

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
