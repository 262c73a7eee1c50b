/**
 * createApp(deps): builds the Express app from what server.ts (or a test) hands it. No I/O here,
 * so tests pass the app straight to supertest.
 */
import path from 'node:path';
import express, { type ErrorRequestHandler } from 'express';
import session, { type Store } from 'express-session';
import { sessionUser, type PassportInstance } from './accounts/passport';
import type { Logger } from './lib/logger';
import { createCsrfProtection } from './web/csrf';
import { noStoreForSignedIn, sessionLifetime } from './web/private-pages';
import { HttpError, NotFoundError } from './web/errors';
import { repoRoot } from './lib/paths';
import { viewHelpers } from './web/view-helpers';
import { requestLog } from './web/request-log';
import { apiSecurityHeaders, sameOriginOnly, securityHeaders } from './web/security';
import { formBodies, publicFiles } from './web/assets-and-forms';
import { inSequence } from './web/in-sequence';
import { createViews } from './web/views';
import { isDatabaseUnavailable } from './db/db-errors';
import { isLightningError } from './lightning/types';
import { NODE_DOWN } from './web/node-down';
import type { Metrics } from './ops/metrics';
import type { OpsPages } from './ops/ops-routes';

import type { PriceFeed } from './prices/price-feed';
import { createApiRoutes, createOpsRoutes, createSiteRoutes, type Pages } from './routes';
import type { MachineApi } from './api';
import { sessionBeforeRedirect } from './web/session-before-redirect';

/** Everything the app is made of; src/compose.ts builds it. Nothing here has a default. */
export interface AppDeps {
  /** The site's pages (src/routes.ts mounts them). */
  pages: Pages;
  /** /healthz, /readyz, /metrics. */
  ops: OpsPages;
  passport: PassportInstance;
  sessionStore: Store;
  sessionSecret: string;
  logger: Logger;
  /** Request counts and durations; null: none kept. */
  metrics: Metrics | null;
  siteName: string;
  /** Secure cookies (HTTPS only) and HSTS: true in production. */
  secureCookies: boolean;
  /** Compile each view once instead of on every render (Express does this itself only when NODE_ENV=production). */
  viewCache: boolean;
  /** Origins (besides the request's own host) allowed to post forms, e.g. PUBLIC_URL's. */
  allowedOrigins: string[];
  /** The fiat rate (FIAT_CURRENCY): "≈ €0.85" beside prices; null: sats only. */
  prices: PriceFeed | null;
  /** The JSON API with L402 and /llms.txt (src/api/). */
  machineApi: Pick<MachineApi, 'api' | 'errorHandler'>;
  /**
   * Express's `trust proxy` (TRUST_PROXY): false takes the client address from the connection; a
   * hop count or the proxies' addresses take it from X-Forwarded-For.
   */
  trustProxy: boolean | number | string[];
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const root = repoRoot();
  app.disable('x-powered-by');
  const views = createViews({
    viewsDir: path.join(root, 'views'),
    cache: deps.viewCache,
    locals: { ...viewHelpers, siteName: deps.siteName, nodeDown: NODE_DOWN, approxFiat: (sats: number) => deps.prices?.approx(sats) ?? '' },
  });
  app.set('trust proxy', deps.trustProxy);

  // Every request is logged and counted, then the API and /llms.txt take theirs: machines need no
  // views, form parsing, page headers or session (src/routes.ts).
  app.use(requestLog(deps.logger, deps.metrics ?? undefined));
  app.use(createApiRoutes(deps.machineApi, apiSecurityHeaders({ hsts: deps.secureCookies })));
  // What every page request goes through, in two layers (src/web/in-sequence.ts).
  app.use(
    inSequence(
      views.middleware,
      securityHeaders({ hsts: deps.secureCookies }),
      // Before the session: probes and scrapes never touch the session table.
      createOpsRoutes(deps.ops),
      publicFiles(path.join(root, 'public')),
      sameOriginOnly(deps.allowedOrigins),
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
        // Secure cookies behind a TLS proxy whatever TRUST_PROXY says (X-Forwarded-Proto only
        // decides the cookie's Secure flag here, never who the client is).
        proxy: deps.secureCookies ? true : undefined,
        cookie: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, maxAge: 30 * 24 * 60 * 60 * 1000 },
      }),
      deps.passport.initialize(),
      sessionUser(deps.passport),
      (req, res, next) => {
        res.locals.user = req.user ?? null;
        res.locals.currentPath = req.originalUrl;
        next();
      },
      sessionLifetime,
      sessionBeforeRedirect(),
      noStoreForSignedIn,
      createCsrfProtection({ secret: deps.sessionSecret, secureCookies: deps.secureCookies }),
    ),
  );

  // Every URL of the site: src/routes.ts.
  app.use(createSiteRoutes(deps.pages));

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
    } else if (isLightningError(err)) {
      // Whatever the Lightning node answered (down, locked, starting, refused...): never a 500;
      // nothing was charged, and the circuit breaker probes for its return.
      status = 503;
      ({ title, message } = NODE_DOWN);
      res.set('Retry-After', '30');
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
    if (status === 503 && !(err instanceof HttpError))
      log.warn('request failed: a dependency is unavailable', { method: req.method, path: req.path, error: err });
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
