/**
 * /account/delete: the reader confirms with their password (or, without one, by typing their
 * username) and chooses whether their articles stay up; then the account is deleted
 * (delete-account.ts) and this browser is logged out.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { currentUser, requireUser } from '../../auth/guards';
import type { PasswordHasher } from '../../auth/passwords';
import type { User } from '../../db/users-repo';
import type { Logger } from '../../logger';
import { field } from '../lightning/log-in';
import type { AccountRepo } from './account-repo';
import { deleteAccount } from './delete-account';

export function createDeleteRouter(deps: { knex: Knex; accounts: AccountRepo; hasher: PasswordHasher; logger: Logger }): Router {
  const router = Router();
  router.use('/account/delete', requireUser);

  router.get('/account/delete', async (req, res) => {
    const user = currentUser(req) as User;
    const articles = await deps.knex('articles').where({ author_id: user.id }).count<{ n: string }[]>('* as n');
    res.render('account/delete', { title: 'Delete your account', hasPassword: (await deps.accounts.passwordHash(user.id)) !== null, articleCount: Number(articles[0].n), error: null });
  });

  router.post('/account/delete', async (req, res, next) => {
    const user = currentUser(req) as User;
    const hash = await deps.accounts.passwordHash(user.id);
    const confirmed = hash !== null ? await deps.hasher.verify(field(req.body, 'password'), hash) : field(req.body, 'confirmUsername').trim() === user.username;
    const choice = field(req.body, 'articles');
    if (!confirmed || (choice !== 'keep' && choice !== 'remove')) {
      const articles = await deps.knex('articles').where({ author_id: user.id }).count<{ n: string }[]>('* as n');
      const error = !confirmed ? (hash !== null ? 'Your password is not right.' : 'Type your username exactly to confirm.') : 'Choose what happens to your articles.';
      return res.status(422).render('account/delete', { title: 'Delete your account', hasPassword: hash !== null, articleCount: Number(articles[0].n), error });
    }
    await deleteAccount(deps.knex, user.id, { removeArticles: choice === 'remove' });
    deps.logger.info('account deleted', { userId: user.id, articles: choice });
    req.logout((err) => {
      if (err) return next(err);
      res.render('account/deleted', { title: 'Account deleted', user: null });
    });
  });

  return router;
}
