/**
 * Operations endpoints: GET /healthz (the process is alive and serving), GET /readyz (database,
 * node and watcher; 200 or 503 with JSON saying which) and GET /metrics (Prometheus text). Metrics
 * are public only when configured so; otherwise they need `Authorization: Bearer <METRICS_TOKEN>`,
 * and without a token they are not served at all (404, as if absent).
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Readiness } from './readiness';
import type { Metrics } from './metrics';

export interface OpsDeps {
  readiness: Readiness;
  /** null: /metrics is absent (404). */
  metrics: Metrics | null;
  metricsAccess: { public: boolean; token: string | null };
}

function sameSecret(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

export interface OpsPages {
  healthz: RequestHandler;
  readyz: RequestHandler;
  metrics: RequestHandler;
}

/** The handlers; the route table (src/routes.ts) mounts them. */
export function createOpsPages(deps: OpsDeps): OpsPages {
  const healthz: RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true });
  };
  const readyz: RequestHandler = async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    const report = await deps.readiness();
    res.status(report.ok ? 200 : 503).json(report);
  };
  const metrics: RequestHandler = async (req, res, next) => {
    const metrics = deps.metrics;
    const access = deps.metricsAccess;
    if (!metrics || (!access.public && !access.token)) return next();
    if (!access.public) {
      const auth = req.get('authorization') ?? '';
      const sent = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!access.token || !sameSecret(sent, access.token)) {
        res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Metrics need a token.');
        return;
      }
    }
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.scrape());
  };
  return { healthz, readyz, metrics };
}
