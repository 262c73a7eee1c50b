/**
 * createApp(deps): builds the Express app from what server.ts (or a test) hands it. No I/O here,
 * so tests pass the app straight to supertest.
 */
import path from 'node:path';
import express, { type ErrorRequestHandler } from 'express';
import session, { type Store } from 'express-session';
import { sessionUser, type PassportInstance } from './auth/passport';
import type { ArticlesRepo } from './db/articles-repo';
import type { ArticlePageReads } from './articles/article-cache';
import type { UsersRepo } from './db/users-repo';
import type { PaymentsService } from './payments/payments-service';
import type { PaymentsRepo } from './db/payments-repo';
import type { PaymentEvents } from './payments/payment-events';
import { createArticleEventsRouter } from './routes/article-events';
import type { PasswordHasher } from './auth/passwords';
import type { Logger } from './logger';
import { csrfProtection } from './auth/csrf';
import { createHomeRouter } from './routes/home';
import { createArticlesRouter } from './routes/articles';
import { createAuthRouter } from './routes/auth';
import { createAdminRouter } from './admin/admin-router';
import { createAdminPagesRouter } from './admin/admin-pages-router';
import { createWriterRouter } from './routes/writer';
import { createUpvotesRouter } from './routes/upvotes';
import { createFeedsRouter } from './routes/feeds';
import { createDiscoveryRouter } from './discovery/discovery-router';
import { createImagesRouter } from './images/images-router';
import type { Publishing } from './publishing';
import { HttpError, NotFoundError } from './errors';
import { repoRoot } from './paths';
import { viewHelpers } from './view-helpers';
import { requestLog } from './http/request-log';
import { sameOriginOnly, securityHeaders } from './http/security';
import { createOpsRouter } from './http/ops-routes';
import { formBodies, publicFiles } from './http/assets-and-forms';
import { inSequence } from './http/in-sequence';
import { createViews } from './http/views';
import { isDatabaseUnavailable } from './db/db-errors';
import { createMemoryLoginThrottle, type LoginThrottle } from './auth/login-throttle';
import type { Readiness } from './health/readiness';
import type { Metrics } from './metrics';

export interface AppDeps {
  users: UsersRepo;
  /** Writers, moderation, dashboard, upvotes and feeds (src/publishing.ts). */
  publishing: Publishing;
  articles: ArticlesRepo;
  /** The article page's reads: the article cache when there is one, else `articles` itself. */
  articlePages?: ArticlePageReads;
  payments: PaymentsService;
  paymentsRepo: PaymentsRepo;
  events: PaymentEvents;
  passport: PassportInstance;
  hasher: PasswordHasher;
  sessionStore: Store;
  sessionSecret: string;
  logger: Logger;
  siteName: string;
  /** Secure cookies (HTTPS only): true in production. */
  secureCookies: boolean;
  /** Compile each view once instead of on every render (Express does this itself only when NODE_ENV=production). */
  viewCache?: boolean;
  /** Failed-login counts; in memory when omitted (one process). */
  loginThrottle?: LoginThrottle;
  /** What /readyz reports; always ready when omitted. */
  readiness?: Readiness;
  /** Prometheus metrics; /metrics is absent when omitted. */
  metrics?: Metrics;
  metricsAccess?: { public: boolean; token: string | null };
  /** Origins (besides the request's own host) allowed to post forms, e.g. PUBLIC_URL's. */
  allowedOrigins?: string[];
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const root = repoRoot();
  app.disable('x-powered-by');
  const views = createViews({ viewsDir: path.join(root, 'views'), cache: deps.viewCache ?? false, locals: { ...viewHelpers, siteName: deps.siteName } });
  if (deps.secureCookies) app.set('trust proxy', 1);

  // What every request goes through, in two layers (src/http/in-sequence.ts).
  app.use(
    inSequence(
      views.middleware,
      requestLog(deps.logger, deps.metrics),
      securityHeaders({ hsts: deps.secureCookies }),
      // Before the session: probes and scrapes never touch the session table.
      createOpsRouter(deps),
      publicFiles(path.join(root, 'public')),
      sameOriginOnly(deps.allowedOrigins ?? []),
      formBodies(),
    ),
  );
  app.use(
    inSequence(
      session({
        name: 'paywall.sid',
        store: deps.sessionStore,
        secret: deps.sessionSecret,
        resave: false,
        saveUninitialized: false,
        rolling: false,
        cookie: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, maxAge: 30 * 24 * 60 * 60 * 1000 },
      }),
      deps.passport.initialize(),
      sessionUser(deps.passport),
      (req, res, next) => {
        res.locals.user = req.user ?? null;
        res.locals.currentPath = req.originalUrl;
        next();
      },
      csrfProtection,
    ),
  );

  const articlePages = deps.articlePages ?? deps.articles;
  // The article page first: it is the request a live site answers most.
  app.use(createArticlesRouter({ ...deps, articlePages }));
  app.use(createHomeRouter({ ...deps, articlePages }));
  app.use(createArticleEventsRouter(deps));
  app.use(createAuthRouter({ ...deps, throttle: deps.loginThrottle ?? createMemoryLoginThrottle() }));
  app.use(createAdminRouter(deps));
  app.use(createAdminPagesRouter(deps));
  app.use(createWriterRouter(deps));
  app.use(createUpvotesRouter(deps));
  app.use(createFeedsRouter(deps));
  app.use(createImagesRouter({ images: deps.publishing.images, logger: deps.logger }));
  app.use(createDiscoveryRouter({ discovery: deps.publishing.discovery, publishing: deps.publishing, siteName: deps.siteName }));

  app.use((_req, _res, next) => next(new NotFoundError()));
  app.use(createErrorHandler(deps.logger));
  return app;
}

/** The one error handler: every error becomes a page with a clear message, never a stack trace. */
function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let title = 'Something went wrong';
    let message = 'An unexpected error happened on our side. Please try again in a moment.';
    if (err instanceof HttpError) {
      ({ status, title, message } = err);
    } else if (isDatabaseUnavailable(err)) {
      // PostgreSQL is down or restarting: nothing was changed, and the pool reconnects by itself.
      status = 503;
      title = 'Temporarily unavailable';
      message = 'The site cannot reach its database right now. Nothing was changed. Please try again in a minute.';
      res.set('Retry-After', '30');
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      // body-parser and friends: 400 malformed, 413 too large, 415 unsupported.
      status = err.status;
      title = status === 413 ? 'Too large' : 'Bad request';
      message = status === 413 ? 'What you sent is too large.' : 'The request could not be understood.';
    }
    const log: Logger = res.locals.log ?? logger;
    if (status === 503) log.warn('request failed: database unavailable', { method: req.method, path: req.path, error: err });
    else if (status >= 500) log.error('request failed', { method: req.method, path: req.path, error: err, stack: err?.stack });
    if (res.headersSent) return;
    res.status(status).render('errors/error', { title, status, heading: title, message }, (renderErr, html) => {
      if (renderErr) {
        logger.error('error page failed to render', { error: renderErr });
        res.type('text/plain').send(`${status} ${title}`);
      } else {
        res.send(html);
      }
    });
  };
}
