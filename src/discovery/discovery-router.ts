/**
 * GET /search?q=&page= (full-text search over titles, tags and teasers), GET /tags/:tag (a tag's
 * articles, newest first, ?before= pages) and GET /tags/:tag/feed.xml (its RSS feed).
 */
import { Router } from 'express';
import type { Publishing } from '../publishing';
import { NotFoundError } from '../errors';
import { isTag } from './tags';
import type { DiscoveryRepo } from './discovery-repo';
import { rssFeed } from './rss';

export const RESULTS_PER_PAGE = 20;
const MAX_PAGE = 50;
const MAX_QUERY = 200;

export function createDiscoveryRouter(deps: { discovery: DiscoveryRepo; publishing: Publishing; siteName: string }): Router {
  const router = Router();
  const base = () => deps.publishing.settings.publicUrl;

  router.get('/search', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, MAX_QUERY) : '';
    const rawPage = typeof req.query.page === 'string' && /^\d{1,3}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const page = Math.min(Math.max(rawPage, 1), MAX_PAGE);
    const found = q ? await deps.discovery.search(q, { limit: RESULTS_PER_PAGE, page }) : null;
    const href = (p: number) => `/search?q=${encodeURIComponent(q)}${p > 1 ? `&page=${p}` : ''}`;
    res.render('discovery/search', {
      title: q ? `Search: ${q}` : 'Search',
      q,
      page,
      found,
      nextHref: found?.more && page < MAX_PAGE ? href(page + 1) : null,
      prevHref: found && page > 1 ? href(page - 1) : null,
    });
  });

  router.get('/tags/:tag', async (req, res) => {
    const tag = String(req.params.tag);
    if (!isTag(tag)) throw new NotFoundError();
    const before = typeof req.query.before === 'string' && /^[1-9]\d{0,15}$/.test(req.query.before) ? Number(req.query.before) : undefined;
    const { articles, more } = await deps.discovery.byTag(tag, { limit: RESULTS_PER_PAGE, beforeId: before });
    const last = articles[articles.length - 1];
    res.render('discovery/tag', {
      title: `#${tag}`,
      description: `Articles tagged ${tag}.`,
      canonicalUrl: `${base()}/tags/${tag}`,
      tag,
      articles,
      feedHref: `/tags/${tag}/feed.xml`,
      nextHref: more && last ? `/tags/${tag}?before=${last.id}` : null,
      firstHref: before !== undefined ? `/tags/${tag}` : null,
    });
  });

  router.get('/tags/:tag/feed.xml', async (req, res) => {
    const tag = String(req.params.tag);
    if (!isTag(tag)) throw new NotFoundError();
    const { articles } = await deps.discovery.byTag(tag, { limit: 50 });
    const xml = rssFeed({
      title: `${deps.siteName}: #${tag}`,
      link: `${base()}/tags/${tag}`,
      self: `${base()}/tags/${tag}/feed.xml`,
      description: `Articles tagged ${tag} on ${deps.siteName}.`,
      base: base(),
      articles,
    });
    res.type('application/rss+xml; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(xml);
  });

  return router;
}
