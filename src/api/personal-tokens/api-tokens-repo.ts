/**
 * Personal API tokens: a logged-in reader's key for fetching the articles they already paid for.
 * The secret is shown once; only its SHA-256 is stored (a 256-bit random secret needs no slow
 * hash), with a short prefix the account page shows so the reader can tell tokens apart.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export const TOKEN_PREFIX = 'lr_';
export const MAX_TOKENS_PER_USER = 20;

export interface ApiToken {
  id: number;
  label: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface ApiTokensRepo {
  /** A new token for `userId`: the secret (to show once) and its row; null when they have too many. */
  create(userId: number, label: string): Promise<{ secret: string; token: ApiToken } | null>;
  listActive(userId: number): Promise<ApiToken[]>;
  /** Revokes one of the user's own tokens; false when it is not theirs or already revoked. */
  revoke(userId: number, id: number): Promise<boolean>;
  /** The user id an active secret belongs to (and notes its use), or null. */
  authenticate(secret: string): Promise<number | null>;
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

const toToken = (r: { id: number; label: string; prefix: string; created_at: Date; last_used_at: Date | null }): ApiToken => ({
  id: r.id,
  label: r.label,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export function createApiTokensRepo(knex: Knex): ApiTokensRepo {
  return {
    async create(userId, label) {
      const count = await knex('api_tokens').where({ user_id: userId }).whereNull('revoked_at').first(knex.raw('count(*)::int as n'));
      if (count.n >= MAX_TOKENS_PER_USER) return null;
      const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const [row] = await knex('api_tokens')
        .insert({ user_id: userId, token_hash: hashOf(secret), label, prefix: secret.slice(0, TOKEN_PREFIX.length + 6) })
        .returning(['id', 'label', 'prefix', 'created_at', 'last_used_at']);
      return { secret, token: toToken(row) };
    },
    async listActive(userId) {
      const rows = await knex('api_tokens')
        .where({ user_id: userId })
        .whereNull('revoked_at')
        .orderBy('id', 'desc')
        .select('id', 'label', 'prefix', 'created_at', 'last_used_at');
      return rows.map(toToken);
    },
    async revoke(userId, id) {
      const n = await knex('api_tokens').where({ id, user_id: userId }).whereNull('revoked_at').update({ revoked_at: knex.fn.now() });
      return n === 1;
    },
    async authenticate(secret) {
      if (!secret.startsWith(TOKEN_PREFIX)) return null;
      // One statement: finds the active token and notes its use (at most once a minute, to spare writes).
      const { rows } = await knex.raw(
        `WITH t AS (SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL),
              u AS (UPDATE api_tokens SET last_used_at = now() WHERE id IN (SELECT id FROM t WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
         SELECT user_id FROM t`,
        [hashOf(secret)],
      );
      return rows[0]?.user_id ?? null;
    },
  };
}
