/**
 * GET /search?q=&page= (full-text search over titles, tags and teasers), GET /tags/:tag (a tag's
 * articles, newest first, ?before= pages) and GET /tags/:tag/feed.xml (its RSS feed).
 */
import type { RequestHandler } from 'express';
import type { SiteSettings } from '../web/site-settings';
import { NotFoundError } from '../web/errors';
import { isTag } from './tags';
import type { DiscoveryRepo } from './discovery-repo';
import { rssFeed } from './feeds';
import type { UnlockedAmong } from './unlocked';
import { currentUser } from '../accounts/guards';

export const RESULTS_PER_PAGE = 20;
const MAX_PAGE = 50;
const MAX_QUERY = 200;

export interface DiscoveryPages {
  search: RequestHandler;
  tag: RequestHandler;
  tagFeed: RequestHandler;
}

export function createDiscoveryPages(deps: {
  discovery: DiscoveryRepo;
  settings: SiteSettings;
  siteName: string;
  unlockedAmong: UnlockedAmong;
}): DiscoveryPages {
  const base = () => deps.settings.publicUrl;

  const search: RequestHandler = async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, MAX_QUERY) : '';
    const rawPage = typeof req.query.page === 'string' && /^\d{1,3}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const page = Math.min(Math.max(rawPage, 1), MAX_PAGE);
    const found = q ? await deps.discovery.search(q, { limit: RESULTS_PER_PAGE, page }) : null;
    const unlocked = await deps.unlockedAmong(currentUser(req)?.id, found?.articles.map((a) => a.id) ?? []);
    const href = (p: number) => `/search?q=${encodeURIComponent(q)}${p > 1 ? `&page=${p}` : ''}`;
    res.render('discovery/search', {
      title: q ? `Search: ${q}` : 'Search',
      q,
      page,
      found,
      unlocked,
      nextHref: found?.more && page < MAX_PAGE ? href(page + 1) : null,
      prevHref: found && page > 1 ? href(page - 1) : null,
    });
  };

  const tag: RequestHandler = async (req, res) => {
    const name = String(req.params.tag);
    if (!isTag(name)) throw new NotFoundError();
    const before = typeof req.query.before === 'string' && /^[1-9]\d{0,15}$/.test(req.query.before) ? Number(req.query.before) : undefined;
    const { articles, more } = await deps.discovery.byTag(name, { limit: RESULTS_PER_PAGE, beforeId: before });
    const last = articles[articles.length - 1];
    const unlocked = await deps.unlockedAmong(
      currentUser(req)?.id,
      articles.map((a) => a.id),
    );
    res.render('discovery/tag', {
      title: `#${name}`,
      description: `Articles tagged ${name}.`,
      canonicalUrl: `${base()}/tags/${name}`,
      tag: name,
      articles,
      unlocked,
      feedHref: `/tags/${name}/feed.xml`,
      nextHref: more && last ? `/tags/${name}?before=${last.id}` : null,
      firstHref: before !== undefined ? `/tags/${name}` : null,
    });
  };

  const tagFeed: RequestHandler = async (req, res) => {
    const name = String(req.params.tag);
    if (!isTag(name)) throw new NotFoundError();
    const { articles } = await deps.discovery.byTag(name, { limit: 50 });
    const xml = rssFeed({
      title: `${deps.siteName}: #${name}`,
      link: `${base()}/tags/${name}`,
      self: `${base()}/tags/${name}/feed.xml`,
      description: `Articles tagged ${name} on ${deps.siteName}.`,
      base: base(),
      articles,
      categories: true,
    });
    res.type('application/rss+xml; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(xml);
  };

  return { search, tag, tagFeed };
}
