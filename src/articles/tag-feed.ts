/** An RSS 2.0 document of articles (a tag's feed), every URL absolute and all text XML-escaped. */
import type { Article } from './article-rows';
import { xmlEscape } from './feeds';

export function rssFeed(feed: {
  title: string;
  link: string;
  self: string;
  description: string;
  base: string;
  articles: Article[];
}): string {
  const items = feed.articles.map((a) => {
    const url = `${feed.base}/articles/${a.id}`;
    return [
      '    <item>',
      `      <title>${xmlEscape(a.title)}</title>`,
      `      <link>${xmlEscape(url)}</link>`,
      `      <guid isPermaLink="true">${xmlEscape(url)}</guid>`,
      `      <description>${xmlEscape(a.teaserHtml)}</description>`,
      ...a.tags.map((t) => `      <category>${xmlEscape(t)}</category>`),
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
