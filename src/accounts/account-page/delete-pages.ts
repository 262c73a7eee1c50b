/**
 * /account/delete: the reader confirms with their password (or, without one, by typing their
 * username) and chooses whether their articles stay up; then the account is deleted
 * (delete-account.ts) and this browser is logged out.
 */
import type { RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { currentUser } from '../guards';
import type { PasswordHasher } from '../passwords';
import type { User } from '../users-repo';
import type { Logger } from '../../lib/logger';
import { field } from '../log-in';
import type { AccountRepo } from './account-repo';
import { deleteAccount } from './delete-account';

export interface DeletePages {
  form: RequestHandler;
  remove: RequestHandler;
}

export function createDeletePages(deps: { knex: Knex; accounts: AccountRepo; hasher: PasswordHasher; logger: Logger }): DeletePages {
  /** The confirmation form, with how many articles the reader's choice is about. */
  async function page(res: Response, status: number, user: User, hasPassword: boolean, error: string | null) {
    const [{ n }] = await deps.knex('articles').where({ author_id: user.id }).count<{ n: string }[]>('* as n');
    res.status(status).render('account/delete', { title: 'Delete your account', hasPassword, articleCount: Number(n), error });
  }

  const form: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    await page(res, 200, user, (await deps.accounts.passwordHash(user.id)) !== null, null);
  };

  const remove: RequestHandler = async (req, res, next) => {
    const user = currentUser(req) as User;
    const hash = await deps.accounts.passwordHash(user.id);
    const confirmed =
      hash !== null
        ? await deps.hasher.verify(field(req.body, 'password'), hash)
        : field(req.body, 'confirmUsername').trim() === user.username;
    const choice = field(req.body, 'articles');
    if (!confirmed || (choice !== 'keep' && choice !== 'remove')) {
      const error = !confirmed
        ? hash !== null
          ? 'Your password is not right.'
          : 'Type your username exactly to confirm.'
        : 'Choose what happens to your articles.';
      return page(res, 422, user, hash !== null, error);
    }
    await deleteAccount(deps.knex, user.id, { removeArticles: choice === 'remove' });
    deps.logger.info('account deleted', { userId: user.id, articles: choice });
    req.logout((err) => {
      if (err) return next(err);
      res.render('account/deleted', { title: 'Account deleted', user: null });
    });
  };

  return { form, remove };
}
