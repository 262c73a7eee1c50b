/**
 * /admin/webhooks (src/routes.ts, behind requireAdmin): register endpoints (URL, events, a secret
 * shown once), see each endpoint's deliveries, send a test event, deliver again, rotate the secret,
 * disable, enable, delete.
 */
import type { Request, RequestHandler } from 'express';
import { NotFoundError } from '../web/errors';
import type { Logger } from '../lib/logger';
import { WEBHOOK_EVENT_TYPES, isWebhookEventType } from './event-types';
import type { WebhookEndpointsRepo } from './endpoints-repo';

const URL_MAX = 2000;

/** The form's URL and events, or the problems to show beside it. */
export function readEndpointForm(body: unknown): { url: string; description: string; events: string[]; errors: string[] } {
  const b = (body ?? {}) as Record<string, unknown>;
  const url = typeof b.url === 'string' ? b.url.trim() : '';
  const description = typeof b.description === 'string' ? b.description.trim().slice(0, 200) : '';
  const raw = Array.isArray(b.events) ? b.events : b.events === undefined ? [] : [b.events];
  const events = [...new Set(raw.filter(isWebhookEventType))];
  const errors: string[] = [];
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    errors.push('The URL must be a full http:// or https:// address.');
  else if (url.length > URL_MAX) errors.push(`The URL must be at most ${URL_MAX} characters.`);
  else if (parsed.username || parsed.password) errors.push('The URL must not contain a user name or password.');
  if (events.length === 0) errors.push('Choose at least one event.');
  return { url, description, events, errors };
}

const idParam = (req: Request, name: string): number => {
  const v = String(req.params[name]);
  if (!/^\d{1,9}$/.test(v)) throw new NotFoundError();
  return Number(v);
};

export interface WebhookPages {
  list: RequestHandler;
  create: RequestHandler;
  show: RequestHandler;
  sendTest: RequestHandler;
  redeliver: RequestHandler;
  rotate: RequestHandler;
  enable: RequestHandler;
  disable: RequestHandler;
  remove: RequestHandler;
}

export function createWebhookPages(deps: { webhooks: WebhookEndpointsRepo; logger: Logger; wake?: () => void }): WebhookPages {
  const { webhooks } = deps;
  const notice = (req: Request) => (typeof req.query.notice === 'string' ? req.query.notice.slice(0, 300) : null);
  const back = (id: number, text: string) => `/admin/webhooks/${id}?notice=${encodeURIComponent(text)}`;
  const setEnabled =
    (enable: boolean): RequestHandler =>
    async (req, res) => {
      const id = idParam(req, 'id');
      if (!(await webhooks.setEnabled(id, enable))) throw new NotFoundError();
      deps.logger.info(`webhook endpoint ${enable ? 'enabled' : 'disabled'}`, { endpointId: id });
      if (enable) deps.wake?.();
      res.redirect(
        back(id, enable ? 'Endpoint enabled: waiting deliveries resume.' : 'Endpoint disabled: nothing is sent to it until it is enabled.'),
      );
    };

  return {
    async list(req, res) {
      res.render('admin/webhooks', {
        title: 'Webhooks',
        endpoints: await webhooks.list(),
        eventTypes: WEBHOOK_EVENT_TYPES,
        form: null,
        notice: notice(req),
      });
    },
    async create(req, res) {
      const form = readEndpointForm(req.body);
      if (form.errors.length > 0) {
        return res.status(422).render('admin/webhooks', {
          title: 'Webhooks',
          endpoints: await webhooks.list(),
          eventTypes: WEBHOOK_EVENT_TYPES,
          form,
          notice: null,
        });
      }
      const { endpoint, secret } = await webhooks.create(form);
      deps.logger.info('webhook endpoint added', { endpointId: endpoint.id, events: endpoint.events });
      // The only time the secret is shown: the page is not cached and the secret is never listed again.
      res.set('Cache-Control', 'no-store');
      res.status(201).render('admin/webhook', {
        title: 'Webhook endpoint',
        endpoint,
        deliveries: [],
        secret,
        notice: 'Endpoint added. Copy its signing secret now: it is not shown again.',
      });
    },
    async show(req, res) {
      const id = idParam(req, 'id');
      const endpoint = await webhooks.find(id);
      if (!endpoint) throw new NotFoundError();
      res.render('admin/webhook', {
        title: 'Webhook endpoint',
        endpoint,
        deliveries: await webhooks.deliveries(id),
        secret: null,
        notice: notice(req),
      });
    },
    async sendTest(req, res) {
      const id = idParam(req, 'id');
      if (!(await webhooks.find(id))) throw new NotFoundError();
      const sent = await webhooks.sendTest(id);
      deps.wake?.();
      res.redirect(back(id, sent ? 'A test event is on its way.' : 'The endpoint is disabled: enable it to send a test event.'));
    },
    async redeliver(req, res) {
      const id = idParam(req, 'id');
      if (!(await webhooks.redeliver(id, idParam(req, 'deliveryId')))) throw new NotFoundError();
      deps.wake?.();
      res.redirect(back(id, 'The event will be delivered again.'));
    },
    async rotate(req, res) {
      const id = idParam(req, 'id');
      const secret = await webhooks.rotateSecret(id);
      const endpoint = await webhooks.find(id);
      if (!secret || !endpoint) throw new NotFoundError();
      deps.logger.info('webhook secret rotated', { endpointId: id });
      res.set('Cache-Control', 'no-store');
      res.render('admin/webhook', {
        title: 'Webhook endpoint',
        endpoint,
        deliveries: await webhooks.deliveries(id),
        secret,
        notice:
          'New signing secret made. For the next 24 hours every delivery is signed with both the old and the new secret. Copy it now: it is not shown again.',
      });
    },
    enable: setEnabled(true),
    disable: setEnabled(false),
    async remove(req, res) {
      const id = idParam(req, 'id');
      if (!(await webhooks.remove(id))) throw new NotFoundError();
      deps.logger.info('webhook endpoint deleted', { endpointId: id });
      res.redirect(`/admin/webhooks?notice=${encodeURIComponent('Endpoint deleted.')}`);
    },
  };
}
