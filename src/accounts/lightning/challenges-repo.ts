/**
 * LNURL-auth challenges (k1) and used signed-message nonces, in one table. Every step is a
 * compare-and-set in SQL, so a k1 is verified by a wallet once and used by a browser once, and a
 * message nonce is accepted once, whatever runs at the same time in this or another process.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';

export interface LnurlChallenge {
  id: number;
  k1: string;
  purpose: 'login' | 'link';
  userId: number | null;
  expiresAt: Date;
  verifiedKey: string | null;
  verifiedAt: Date | null;
  usedAt: Date | null;
}

export interface ChallengesRepo {
  createLnurl(input: { purpose: 'login' | 'link'; userId: number | null; ttlSeconds: number }): Promise<LnurlChallenge>;
  findLnurlByK1(k1: string): Promise<LnurlChallenge | null>;
  findLnurlById(id: number): Promise<LnurlChallenge | null>;
  /** Records the wallet's key if the challenge is unexpired and not verified yet; false otherwise. */
  markVerified(id: number, key: string, trx?: Knex.Transaction): Promise<boolean>;
  /** Uses a verified, unexpired, unused challenge once; the verified key, or null. */
  useVerified(id: number): Promise<LnurlChallenge | null>;
  /** Records a signed-message nonce as used; false when it already was. */
  useMessageNonce(nonce: string, purpose: 'login' | 'link', userId: number | null, expiresAt: Date): Promise<boolean>;
  /** Forgets challenges expired for more than a day. */
  prune(): Promise<number>;
}

type Row = {
  id: string | number;
  secret: string;
  purpose: 'login' | 'link';
  user_id: string | number | null;
  expires_at: Date;
  verified_key: string | null;
  verified_at: Date | null;
  used_at: Date | null;
};

const toChallenge = (r: Row): LnurlChallenge => ({
  id: Number(r.id),
  k1: r.secret,
  purpose: r.purpose,
  userId: r.user_id === null ? null : Number(r.user_id),
  expiresAt: r.expires_at,
  verifiedKey: r.verified_key,
  verifiedAt: r.verified_at,
  usedAt: r.used_at,
});

export function createChallengesRepo(knex: Knex): ChallengesRepo {
  const lnurl = (db: Knex | Knex.Transaction = knex) => db('login_challenges').where('kind', 'lnurl');
  return {
    async createLnurl({ purpose, userId, ttlSeconds }) {
      const [row] = await knex('login_challenges')
        .insert({
          kind: 'lnurl',
          purpose,
          user_id: userId,
          secret: crypto.randomBytes(32).toString('hex'),
          expires_at: knex.raw("now() + ? * interval '1 second'", [ttlSeconds]),
        })
        .returning('*');
      return toChallenge(row);
    },
    async findLnurlByK1(k1) {
      const row = await lnurl().where({ secret: k1 }).first();
      return row ? toChallenge(row) : null;
    },
    async findLnurlById(id) {
      const row = await lnurl().where({ id }).first();
      return row ? toChallenge(row) : null;
    },
    async markVerified(id, key, trx) {
      const n = await lnurl(trx)
        .where({ id })
        .whereNull('verified_at')
        .where('expires_at', '>', knex.fn.now())
        .update({ verified_key: key, verified_at: knex.fn.now() });
      return n === 1;
    },
    async useVerified(id) {
      // A browser gets a few minutes past the k1's expiry to come back after the wallet approved.
      const rows = await lnurl()
        .where({ id })
        .whereNotNull('verified_at')
        .whereNull('used_at')
        .whereRaw("expires_at + interval '10 minutes' > now()")
        .update({ used_at: knex.fn.now() })
        .returning('*');
      return rows[0] ? toChallenge(rows[0] as Row) : null;
    },
    async useMessageNonce(nonce, purpose, userId, expiresAt) {
      const rows = await knex('login_challenges')
        .insert({ kind: 'message', purpose, secret: `message:${nonce}`, user_id: userId, expires_at: expiresAt, used_at: knex.fn.now() })
        .onConflict('secret')
        .ignore()
        .returning('id');
      return rows.length === 1;
    },
    async prune() {
      return knex('login_challenges').whereRaw("expires_at < now() - interval '1 day'").del();
    },
  };
}
