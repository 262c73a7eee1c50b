/**
 * GET /feed.xml (RSS 2.0: the latest published articles with their teasers) and GET /sitemap.xml;
 * rssFeed also renders the tag feeds (src/articles/discovery-pages.ts).
 * Every URL is absolute, built from the configured public URL; all text is XML-escaped, and the
 * teaser's HTML goes into <description> as escaped text, as RSS 2.0 readers expect.
 */
import type { RequestHandler } from 'express';
import type { Article, ArticlesRepo } from './articles-repo';
import type { SiteSettings } from '../web/site-settings';

export interface Feeds {
  rss: RequestHandler;
  sitemap: RequestHandler;
}

export const FEED_SIZE = 50;
/** The sitemap protocol allows 50,000 URLs per file. */
export const SITEMAP_MAX = 50_000;

export function xmlEscape(s: string): string {
  // Characters XML 1.0 forbids are dropped; the five special ones are escaped.
  return (
    s
      // The allowed set names tab, LF and CR on purpose: every other control character goes.
      // eslint-disable-next-line no-control-regex
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/**
 * An RSS 2.0 document of articles (the site's feed, a tag's feed). `categories`: each article's
 * tags as <category> elements (the tag feeds have them; the site's feed never had).
 */
export function rssFeed(feed: {
  title: string;
  link: string;
  self: string;
  description: string;
  base: string;
  articles: Article[];
  categories: boolean;
}): string {
  const items = feed.articles.map((a) => {
    const url = `${feed.base}/articles/${a.id}`;
    return [
      '    <item>',
      `      <title>${xmlEscape(a.title)}</title>`,
      `      <link>${xmlEscape(url)}</link>`,
      `      <guid isPermaLink="true">${xmlEscape(url)}</guid>`,
      `      <description>${xmlEscape(a.teaserHtml)}</description>`,
      ...(feed.categories ? a.tags.map((t) => `      <category>${xmlEscape(t)}</category>`) : []),
      a.authorUsername ? `      <dc:creator>${xmlEscape(a.authorUsername)}</dc:creator>` : '',
      `      <pubDate>${a.publishedAt.toUTCString()}</pubDate>`,
      '    </item>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${xmlEscape(feed.title)}</title>`,
    `    <link>${xmlEscape(feed.link)}</link>`,
    `    <atom:link href="${xmlEscape(feed.self)}" rel="self" type="application/rss+xml"/>`,
    `    <description>${xmlEscape(feed.description)}</description>`,
    '    <language>en</language>',
    feed.articles[0] ? `    <lastBuildDate>${feed.articles[0].publishedAt.toUTCString()}</lastBuildDate>` : '',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

export function createFeeds(deps: { articles: ArticlesRepo; settings: SiteSettings; siteName: string }): Feeds {
  const base = () => deps.settings.publicUrl;

  const rss: RequestHandler = async (_req, res) => {
    const { articles } = await deps.articles.listPage({ sort: 'new', after: null, limit: FEED_SIZE });
    const xml = rssFeed({
      title: deps.siteName,
      link: `${base()}/`,
      self: `${base()}/feed.xml`,
      description: `${deps.siteName}: independent writing, unlocked with a Lightning micropayment.`,
      base: base(),
      articles,
      categories: false,
    });
    res.type('application/rss+xml; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(xml);
  };

  const sitemap: RequestHandler = async (_req, res) => {
    const entries = await deps.articles.sitemapEntries(SITEMAP_MAX - 1);
    const urls = [
      `  <url><loc>${xmlEscape(`${base()}/`)}</loc></url>`,
      ...entries.map(
        (e) => `  <url><loc>${xmlEscape(`${base()}/articles/${e.id}`)}</loc><lastmod>${e.updatedAt.toISOString()}</lastmod></url>`,
      ),
      // Machines start here: what the site is, its API and how to pay over L402 (src/api/).
      `  <url><loc>${xmlEscape(`${base()}/llms.txt`)}</loc></url>`,
      `  <url><loc>${xmlEscape(`${base()}/api/v1/openapi.json`)}</loc></url>`,
    ];
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...urls,
      '</urlset>',
      '',
    ].join('\n');
    res.type('application/xml; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(xml);
  };

  return { rss, sitemap };
}
