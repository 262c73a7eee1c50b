/**
 * Deleting an account: credentials and personal data go (password, keys, sessions, pending
 * challenges, login counters), the name is replaced by "deleted user N" and retired for good
 * (only its SHA-256 is kept, so it cannot be registered again), payments stay for the books,
 * still pointing at the (now anonymous) user row. The writer chooses whether their articles stay
 * or are taken down; taken down, they stay listed in their readers' libraries with the reason.
 */
import type { Knex } from 'knex';

export const REMOVED_BY_WRITER = 'Removed by its writer, who deleted their account.';

export async function deleteAccount(knex: Knex, userId: number, options: { removeArticles: boolean }): Promise<boolean> {
  return knex.transaction(async (trx) => {
    const user = await trx('users').where({ id: userId }).whereNull('deleted_at').forUpdate().first('username');
    if (!user) return false;
    await trx.raw(
      `INSERT INTO retired_usernames (name_hash) VALUES (encode(sha256(convert_to(lower(?), 'UTF8')), 'hex')) ON CONFLICT DO NOTHING`,
      [user.username],
    );
    // A space cannot appear in a chosen username, so this name is never anyone else's.
    await trx('users')
      .where({ id: userId })
      .update({
        username: `deleted user ${userId}`,
        password_hash: null,
        role: 'reader',
        display_name: null,
        bio: null,
        avatar_image_id: null,
        deleted_at: trx.fn.now(),
      });
    await trx('user_login_keys').where({ user_id: userId }).del();
    await trx('login_challenges').where({ user_id: userId }).del();
    await trx('session')
      .whereRaw(`sess #>> '{passport,user}' = ?`, [String(userId)])
      .del();
    const name = String(user.username).toLowerCase();
    await trx('login_attempts')
      .whereRaw('key LIKE ?', [`login:user-ip:${name.replace(/[\\%_]/g, '\\$&')}|%`])
      .orWhere({ key: `login:account:${name}` })
      .del();
    if (options.removeArticles) {
      await trx('articles')
        .where({ author_id: userId })
        .whereNot({ status: 'deleted by admin' })
        .update({ status: 'deleted by admin', hidden_reason: REMOVED_BY_WRITER, updated_at: trx.fn.now() });
    }
    return true;
  });
}
