/**
 * What the account page reads and changes of an account besides its keys: the password hash and
 * the account's other sessions (rows of the session table whose passport user is this account).
 */
import type { Knex } from 'knex';

export interface AccountRepo {
  passwordHash(userId: number): Promise<string | null>;
  setPasswordHash(userId: number, hash: string): Promise<void>;
  /** Ends every session of the account but `keepSid`; returns how many. */
  endOtherSessions(userId: number, keepSid: string): Promise<number>;
}

export function createAccountRepo(knex: Knex): AccountRepo {
  return {
    async passwordHash(userId) {
      const row = await knex('users').where({ id: userId }).whereNull('deleted_at').first('password_hash');
      return row?.password_hash ?? null;
    },
    async setPasswordHash(userId, hash) {
      await knex('users').where({ id: userId }).whereNull('deleted_at').update({ password_hash: hash });
    },
    async endOtherSessions(userId, keepSid) {
      return knex('session')
        .whereRaw(`sess #>> '{passport,user}' = ?`, [String(userId)])
        .whereNot({ sid: keepSid })
        .del();
    },
  };
}
