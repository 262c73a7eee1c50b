/**
 * The keys an account logs in with besides (or instead of) a password: node identity keys
 * (signed-message login) and LNURL-auth linking keys. One key, one account: the unique index on
 * pubkey decides races, not our code. An account always keeps at least one way to log in.
 */
import type { Knex } from 'knex';
import { insertUser, toUser, type User, type UserRow } from '../users-repo';
import type { KeyKind } from './session-state';

export interface LoginKey {
  id: number;
  pubkey: string;
  kind: KeyKind;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type LinkResult = 'linked' | 'already-yours' | 'taken';

export interface LoginKeysRepo {
  /** The live account that logs in with this key, or null. */
  findUserByKey(pubkey: string): Promise<User | null>;
  listForUser(userId: number): Promise<LoginKey[]>;
  link(userId: number, pubkey: string, kind: KeyKind, trx?: Knex.Transaction): Promise<LinkResult>;
  /** Refuses to remove the account's last way to log in (password or key). */
  unlink(userId: number, keyId: number): Promise<'removed' | 'last-method' | 'not-found'>;
  /** A new account whose only way in is this key. */
  createAccount(username: string, pubkey: string, kind: KeyKind): Promise<{ user: User } | { problem: 'username-taken' | 'key-taken' }>;
  touch(pubkey: string): Promise<void>;
}

const toKey = (r: { id: number | string; pubkey: string; kind: KeyKind; created_at: Date; last_used_at: Date | null }): LoginKey => ({
  id: Number(r.id),
  pubkey: r.pubkey,
  kind: r.kind,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export function createLoginKeysRepo(knex: Knex): LoginKeysRepo {
  const link: LoginKeysRepo['link'] = async (userId, pubkey, kind, trx) => {
    const db = trx ?? knex;
    const inserted = await db('user_login_keys').insert({ user_id: userId, pubkey, kind }).onConflict('pubkey').ignore().returning('id');
    if (inserted.length === 1) return 'linked';
    const owner = await db('user_login_keys').where({ pubkey }).first('user_id');
    return owner && Number(owner.user_id) === userId ? 'already-yours' : 'taken';
  };
  return {
    async findUserByKey(pubkey) {
      const row = await knex<UserRow>('users as u')
        .join('user_login_keys as k', 'k.user_id', 'u.id')
        .where('k.pubkey', pubkey)
        .whereNull('u.deleted_at')
        .first('u.id', 'u.username', 'u.role', 'u.created_at');
      return row ? toUser(row) : null;
    },
    async listForUser(userId) {
      const rows = await knex('user_login_keys').where({ user_id: userId }).orderBy('id');
      return rows.map(toKey);
    },
    link,
    async unlink(userId, keyId) {
      return knex.transaction(async (trx) => {
        // The user row is locked, so two removals at once cannot both leave "one other way in".
        const user = await trx('users').where({ id: userId }).forUpdate().first('password_hash');
        if (!user) return 'not-found';
        const keys = await trx('user_login_keys').where({ user_id: userId }).select('id');
        if (!keys.some((k) => Number(k.id) === keyId)) return 'not-found';
        if (keys.length + (user.password_hash ? 1 : 0) <= 1) return 'last-method';
        await trx('user_login_keys').where({ id: keyId, user_id: userId }).del();
        return 'removed';
      });
    },
    async createAccount(username, pubkey, kind) {
      const keyTaken = new Error('key taken');
      try {
        return await knex.transaction(async (trx) => {
          const row = await insertUser(trx, { username, passwordHash: null });
          if (!row) return { problem: 'username-taken' as const };
          // The key went to another account meanwhile: the new user row goes with the rollback.
          if ((await link(Number(row.id), pubkey, kind, trx)) !== 'linked') throw keyTaken;
          return { user: toUser(row) };
        });
      } catch (err) {
        if (err === keyTaken) return { problem: 'key-taken' as const };
        throw err;
      }
    },
    async touch(pubkey) {
      await knex('user_login_keys').where({ pubkey }).update({ last_used_at: knex.fn.now() });
    },
  };
}
