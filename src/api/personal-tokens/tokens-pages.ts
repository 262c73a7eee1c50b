/**
 * /me/tokens: a logged-in reader's personal API tokens: create one (its secret shown once, on the
 * answer to the POST, never stored), see which exist, revoke one.
 */
import type { RequestHandler, Response } from 'express';
import { currentUser } from '../../accounts/guards';
import type { User } from '../../accounts/users-repo';
import type { Logger } from '../../lib/logger';
import { MAX_TOKENS_PER_USER, type ApiTokensRepo } from './api-tokens-repo';

export interface TokenPages {
  list: RequestHandler;
  create: RequestHandler;
  revoke: RequestHandler;
}

/** The route table puts these behind requireUser. */
export function createTokenPages(deps: { apiTokens: ApiTokensRepo; logger: Logger }): TokenPages {
  const render = async (
    res: Response,
    user: User,
    status: number,
    locals: { created?: { label: string; secret: string } | null; notice?: string | null },
  ) => {
    res.set('Cache-Control', 'no-store');
    res.status(status).render('api/tokens', {
      title: 'API tokens',
      tokens: await deps.apiTokens.listActive(user.id),
      created: locals.created ?? null,
      notice: locals.notice ?? null,
    });
  };

  const list: RequestHandler = async (req, res) => {
    const notice = req.query.revoked === '1' ? 'The token was revoked: it no longer works.' : null;
    await render(res, currentUser(req) as User, 200, { notice });
  };

  const create: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const raw = (req.body as Record<string, unknown> | undefined)?.label;
    const label = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
    if (label.length === 0 || label.length > 60) return render(res, user, 422, { notice: 'Give the token a name of 1 to 60 characters.' });
    const made = await deps.apiTokens.create(user.id, label);
    if (!made) return render(res, user, 422, { notice: `You already have ${MAX_TOKENS_PER_USER} tokens: revoke one first.` });
    deps.logger.info('api token created', { userId: user.id, tokenId: made.token.id });
    await render(res, user, 201, { created: { label, secret: made.secret } });
  };

  const revoke: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const id = /^[1-9]\d{0,15}$/.test(String(req.params.id)) ? Number(req.params.id) : null;
    if (id !== null && (await deps.apiTokens.revoke(user.id, id))) {
      deps.logger.info('api token revoked', { userId: user.id, tokenId: id });
      return res.redirect(303, '/me/tokens?revoked=1');
    }
    await render(res, user, 404, { notice: 'There is no such token of yours.' });
  };

  return { list, create, revoke };
}
