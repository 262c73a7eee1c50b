/**
 * /account/delete: the reader confirms with their password (or, without one, by typing their
 * username) and chooses whether their articles stay up; then the account is deleted
 * (delete-account.ts) and this browser is logged out.
 */
import type { RequestHandler } from 'express';
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
  const form: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const articles = await deps.knex('articles').where({ author_id: user.id }).count<{ n: string }[]>('* as n');
    res.render('account/delete', {
      title: 'Delete your account',
      hasPassword: (await deps.accounts.passwordHash(user.id)) !== null,
      articleCount: Number(articles[0].n),
      error: null,
    });
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
      const articles = await deps.knex('articles').where({ author_id: user.id }).count<{ n: string }[]>('* as n');
      const error = !confirmed
        ? hash !== null
          ? 'Your password is not right.'
          : 'Type your username exactly to confirm.'
        : 'Choose what happens to your articles.';
      return res
        .status(422)
        .render('account/delete', { title: 'Delete your account', hasPassword: hash !== null, articleCount: Number(articles[0].n), error });
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
