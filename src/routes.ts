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
import type { PaymentRetryPages } from './moderation/payment-retry-pages';
import type { OpsPages } from './ops/ops-routes';
import type { PayoutPages } from './payouts/payout-pages';
import type { NodePage } from './ops/node-page';
import type { WebhookPages } from './webhooks/webhook-pages';
import type { MachineApi } from './api';
import type { TokenPages } from './api/personal-tokens/tokens-pages';
import { API_PATHS } from './api/api-router';
import { inSequence } from './web/in-sequence';
import type { LightningAccountPages } from './accounts/lightning-account-pages';
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
  paymentRetry: PaymentRetryPages;
  /** null: the site runs without payouts. */
  payouts: PayoutPages | null;
  node: NodePage;
  webhooks: WebhookPages;
  /** Personal API tokens (src/api/personal-tokens/). */
  tokens: TokenPages;
  lightning: LightningAccountPages;
  discovery: DiscoveryPages;
  images: ImagePages;
}

export function createSiteRoutes(p: Pages): Router {
  // /articles/:id... The article page comes first: it is the request a live site answers most.
  const articles = Router();
  articles.get('/:id', p.article.show); //                                   anyone; the text once paid (?check=true asks the node)
  articles.get('/:id/events', p.paymentNews.stream); //                      the reader's payment news (SSE); 401 when anonymous
  articles.post('/:id/upvote', requireUser, p.upvotes.start); //             a paid reader starts an upvote
  articles.get('/:id/upvotes/:paymentId', p.upvotes.legacyRedirect); //       old upvote page: 301 to the article's inline panel
  articles.post('/:id/flag', requireUser, p.flags.flag); //                  report an article to the admins
  articles.get('/:id/edit', requireUser, p.writer.editForm); //              its author only (404 for anyone else)
  articles.post('/:id/edit', requireUser, p.writer.saveEdit);

  // /admin...: every page behind requireAdmin.
  const admin = Router();
  admin.use(p.node.banner); //                                               the low-inbound warning on every admin page
  admin.get('/', p.moderation.index); //                                     flagged articles, then all of them
  admin.post('/articles/:id/hide', p.moderation.hide);
  admin.get('/articles/:id/restore', p.moderation.restoreReview); //          what changed since the hide, then restore
  admin.post('/articles/:id/restore', p.moderation.restore);
  admin.post('/articles/:id/dismiss-flags', p.moderation.dismissFlags);
  admin.get('/dashboard', ...(p.payouts ? [p.payouts.dashboardBooks] : []), p.admin.dashboard); // totals, sats per day, the books
  admin.get('/audit', p.admin.audit); //                                     the moderation log
  admin.get('/users', p.admin.users); //                                     who is an admin
  admin.post('/users/role', p.admin.setRole);
  admin.get('/payments', p.paymentRetry.list); //                            payments in error
  admin.post('/payments/:id/retry', p.paymentRetry.retry); //                a fresh invoice for one of them
  if (p.payouts) {
    admin.get('/payouts', p.payouts.admin); //                               open and failed withdrawals, the books
    admin.post('/payouts/pause', p.payouts.pause); //                        the switch that pauses all payouts
  }
  admin.get('/node', p.node.show); //                                        the node, channels, liquidity, watcher
  admin.get('/webhooks', p.webhooks.list); //                                endpoints, and the form to add one
  admin.post('/webhooks', p.webhooks.create); //                             shows the new secret once
  admin.get('/webhooks/:id', p.webhooks.show); //                            one endpoint and its deliveries
  admin.post('/webhooks/:id/test', p.webhooks.sendTest);
  admin.post('/webhooks/:id/deliveries/:deliveryId/retry', p.webhooks.redeliver);
  admin.post('/webhooks/:id/rotate', p.webhooks.rotate); //                  the old secret keeps signing for 24 h
  admin.post('/webhooks/:id/enable', p.webhooks.enable);
  admin.post('/webhooks/:id/disable', p.webhooks.disable);
  admin.post('/webhooks/:id/delete', p.webhooks.remove);

  const site = Router();
  site.use('/articles', articles);
  site.get('/', p.home.show); //                                             the front page (?sort=new|read|top&after=)
  site.get('/write', requireUser, p.writer.newForm);
  site.post('/write', requireUser, p.writer.create);
  site.get('/me/articles', requireUser, p.writer.mine); //                   your articles and earnings
  site.get('/me/tokens', requireUser, p.tokens.list); //                     your personal API tokens
  site.post('/me/tokens', requireUser, p.tokens.create); //                  a new one, its secret shown once
  site.post('/me/tokens/:id/revoke', requireUser, p.tokens.revoke);
  site.get('/writers/:username', p.writer.writerPage);
  if (p.payouts) {
    site.get('/me/payouts', requireUser, p.payouts.mine); //                 balance, entries, withdrawals
    site.post('/me/payouts/invoice', requireUser, p.payouts.withdrawInvoice); // withdraw to a pasted BOLT 11 invoice
    site.post('/me/payouts/address', requireUser, p.payouts.withdrawAddress); // withdraw to a Lightning Address
    site.post('/me/payouts/settings', requireUser, p.payouts.saveSettings); // saved address, automatic threshold
  }
  site.get('/login', p.accounts.loginForm); //                                password; links to the node and wallet logins (no session stored)
  site.post('/login', p.accounts.login);
  const { nodeLogin, lnurlAuth, account, library, deletion } = p.lightning;
  site.get('/login/node', nodeLogin.offerMessage, p.accounts.loginForm); //  the login page with a one-time message to sign (a session from here on)
  site.post('/login/node', nodeLogin.nodeLogin); //                          a signed one-time message (the tutorial's login)
  site.get('/login/lightning/new', nodeLogin.newAccountForm); //             a key new to the site chooses a username
  site.post('/login/lightning/new', nodeLogin.newAccount);
  site.get('/login/wallet', lnurlAuth.loginPage); //                         LNURL-auth: QR, lightning: and keyauth:// links
  site.get('/login/wallet/events', lnurlAuth.events); //                     the session's challenge approved (SSE)
  site.post('/login/wallet', lnurlAuth.finishLogin);
  site.get('/lnurl-auth', lnurlAuth.callback); //                            the wallet's call (LUD-04 JSON)
  site.get('/account', requireUser, account.show); //                        ways to log in, password, sessions
  site.post('/account/password', requireUser, account.changePassword);
  site.post('/account/profile', requireUser, account.saveProfile); //       display name, bio, avatar (shown on /writers/:username)
  site.post('/account/sessions/end-others', requireUser, account.endOtherSessions);
  site.post('/account/keys/:id/remove', requireUser, account.removeKey); //  never the last way to log in
  site.post('/account/link/node', requireUser, account.linkNode);
  site.get('/account/link/wallet', requireUser, lnurlAuth.linkPage);
  site.post('/account/link/wallet', requireUser, lnurlAuth.finishLink);
  site.get('/account/library', requireUser, library.show); //                paid articles and upvotes with proofs
  site.get('/account/library.csv', requireUser, library.csv);
  site.get('/account/delete', requireUser, deletion.form);
  site.post('/account/delete', requireUser, deletion.remove);
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

/**
 * The JSON API and /llms.txt (src/api/), answered right after the request log (src/app.ts): before
 * the page layers and the session, since machines carry no cookie, post no form and get no HTML, and
 * a read never touches the session table. Everything under /api answers problem JSON, errors and
 * 405 included; only GET (and HEAD, OPTIONS) exists. Any other request goes on with one string test.
 */
export function createApiRoutes(machine: Pick<MachineApi, 'api' | 'errorHandler'>, securityHeaders: RequestHandler): RequestHandler {
  const p = machine.api;
  const api = Router();
  api.use(inSequence(securityHeaders, p.cors)); //                           the API's security and CORS headers; OPTIONS preflights end here
  // The paid article comes first: it is the request machines repeat (no other path overlaps it).
  api.get('/api/v1/articles/:id/content', p.content); //                     the paid article: L402 (402 challenge) or Bearer token
  api.get('/llms.txt', p.llmsTxt); //                                        for machines: the API and how to pay
  api.get('/api/v1', p.index); //                                            links to everything
  api.get('/api/v1/openapi.json', p.openapi); //                             the OpenAPI 3.1 description
  api.get('/api/v1/articles', p.articles); //                                published articles (?sort=&after=&limit=)
  api.get('/api/v1/articles/:id', p.article); //                             one article's metadata
  api.get('/api/v1/writers', p.writers); //                                  writers (?after=&limit=)
  api.get('/api/v1/writers/:username', p.writer); //                         a writer and their articles
  api.all(API_PATHS, p.methodNotAllowed); //                                 405 problem
  api.use(p.notFound); //                                                    404 problem
  return (req, res, next) => {
    const path = req.path;
    const ours = path.startsWith('/api/') || path === '/api' || (path === '/llms.txt' && (req.method === 'GET' || req.method === 'HEAD'));
    if (!ours) return next();
    api(req, res, (err?: unknown) => (err ? machine.errorHandler(err, req, res, next) : next()));
  };
}
