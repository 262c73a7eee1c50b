/** GET / : published articles, sorted new | read | top, one keyset page at a time (?sort=&after=). */
import type { RequestHandler } from 'express';
import type { ArticlePageReads } from './article-cache';
import { formatCursor, parseCursor, parseSort, type ArticleSort } from './article-list-page';
import type { SiteSettings } from '../web/site-settings';
import type { UnlockedAmong } from './unlocked';
import { currentUser } from '../accounts/guards';

export interface HomePage {
  show: RequestHandler;
}

export const PAGE_SIZE = 20;

const SORT_LABELS: Record<ArticleSort, string> = { new: 'New', read: 'Most read', top: 'Top' };

export function createHomePage(deps: { articlePages: ArticlePageReads; settings: SiteSettings; unlockedAmong: UnlockedAmong }): HomePage {
  const show: RequestHandler = async (req, res) => {
    const sort = parseSort(req.query.sort);
    const after = parseCursor(req.query.after, sort);
    const page = await deps.articlePages.listPage({ sort, after, limit: PAGE_SIZE });
    const unlocked = await deps.unlockedAmong(
      currentUser(req)?.id,
      page.articles.map((a) => a.id),
    );
    const link = (extra: string) => `/?sort=${sort}${extra}`;
    const self = sort === 'new' && !after ? '/' : link(after ? `&after=${formatCursor(after)}` : '');
    res.render('home', {
      title: null,
      canonicalUrl: `${deps.settings.publicUrl}${self}`,
      articles: page.articles,
      unlocked,
      sort,
      sorts: Object.entries(SORT_LABELS).map(([value, label]) => ({ value, label, href: `/?sort=${value}`, current: value === sort })),
      nextHref: page.next ? link(`&after=${formatCursor(page.next)}`) : null,
      firstHref: after ? link('') : null,
    });
  };
  return { show };
}
