/**
 * The route table: every URL of the site, its handler and its guard, top to bottom. Handlers live
 * in their feature's folder (src/articles, src/accounts, src/moderation, src/ops); this file only
 * says which URL goes where. Guards: requireUser sends anonymous visitors to /login, requireAdmin
 * adds a 403 for non-admins; a handler without a guard is open to everyone.
 */
import { Router, type RequestHandler } from 'express';
import { requireAdmin, requireUser } from './accounts/guards';
import type { ArticlePage } from './articles/article-page';
import type { HomePage } from './articles/home-page';
import type { Feeds } from './articles/feeds';
import type { WriterPages } from './articles/writer-pages';
import type { UpvotePages } from './articles/upvote-pages';
import type { PaymentNewsStream } from './articles/payment-news-stream';
import type { LoginPages } from './accounts/login-pages';
import type { FlagPage } from './moderation/flag-page';
import type { ModerationPages } from './moderation/moderation-pages';
import type { AdminPages } from './moderation/admin-pages';
import type { OpsPages } from './ops/ops-routes';
import type { DiscoveryPages } from './articles/discovery-pages';
import type { ImagePages } from './images/image-pages';

/** Every page handler of the site, built by the composition root (src/compose.ts). */
export interface Pages {
  article: ArticlePage;
  home: HomePage;
  feeds: Feeds;
  writer: WriterPages;
  upvotes: UpvotePages;
  paymentNews: PaymentNewsStream;
  accounts: LoginPages;
  flags: FlagPage;
  moderation: ModerationPages;
  admin: AdminPages;
  discovery: DiscoveryPages;
  images: ImagePages;
}

export function createSiteRoutes(p: Pages): Router {
  // /articles/:id... The article page comes first: it is the request a live site answers most.
  const articles = Router();
  articles.get('/:id', p.article.show); //                                   anyone; the text once paid (?check=true asks the node)
  articles.get('/:id/events', p.paymentNews.stream); //                      the reader's payment news (SSE); 401 when anonymous
  articles.post('/:id/upvote', requireUser, p.upvotes.start); //             a paid reader starts an upvote
  articles.get('/:id/upvotes/:paymentId', requireUser, p.upvotes.show); //   the upvote's invoice panel
  articles.post('/:id/flag', requireUser, p.flags.flag); //                  report an article to the admins
  articles.get('/:id/edit', requireUser, p.writer.editForm); //              its author only (404 for anyone else)
  articles.post('/:id/edit', requireUser, p.writer.saveEdit);

  // /admin...: every page behind requireAdmin.
  const admin = Router();
  admin.get('/', p.moderation.index); //                                     flagged articles, then all of them
  admin.post('/articles/:id/hide', p.moderation.hide);
  admin.post('/articles/:id/restore', p.moderation.restore);
  admin.post('/articles/:id/dismiss-flags', p.moderation.dismissFlags);
  admin.get('/dashboard', p.admin.dashboard); //                             totals and sats per day
  admin.get('/audit', p.admin.audit); //                                     the moderation log
  admin.get('/users', p.admin.users); //                                     who is an admin
  admin.post('/users/role', p.admin.setRole);

  const site = Router();
  site.use('/articles', articles);
  site.get('/', p.home.show); //                                             the front page (?sort=new|read|top&after=)
  site.get('/write', requireUser, p.writer.newForm);
  site.post('/write', requireUser, p.writer.create);
  site.get('/me/articles', requireUser, p.writer.mine); //                   your articles and earnings
  site.get('/writers/:username', p.writer.writerPage);
  site.get('/login', p.accounts.loginForm);
  site.post('/login', p.accounts.login);
  site.get('/signup', p.accounts.signupForm);
  site.post('/signup', p.accounts.signup);
  site.post('/logout', p.accounts.logout);
  site.get('/feed.xml', p.feeds.rss);
  site.get('/sitemap.xml', p.feeds.sitemap);
  site.get('/search', p.discovery.search); //                                 full-text search (?q=&page=)
  site.get('/tags/:tag', p.discovery.tag); //                                 a tag's articles (?before=)
  site.get('/tags/:tag/feed.xml', p.discovery.tagFeed); //                    a tag's RSS feed
  site.post('/images', p.images.upload); //                                   a writer's upload (JSON; 401 when anonymous)
  site.get('/images/:id/:width.webp', p.images.variant); //                   a stored variant, cached for a year
  site.use('/admin', requireAdmin, admin);
  return site;
}

/** The paths of createOpsRoutes, so every other request passes it with one Set lookup. */
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Operations endpoints, mounted before the session (src/app.ts): probes and scrapes never touch
 * the session table.
 */
export function createOpsRoutes(p: OpsPages): RequestHandler {
  const ops = Router();
  ops.get('/healthz', p.healthz); //                                         the process is alive and serving
  ops.get('/readyz', p.readyz); //                                           database, node and watcher (200 or 503, JSON)
  ops.get('/metrics', p.metrics); //                                         Prometheus text; public or Bearer token, else 404
  return (req, res, next) => (OPS_PATHS.has(req.path) ? ops(req, res, next) : next());
}
