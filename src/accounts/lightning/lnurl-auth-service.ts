/**
 * The site's side of LNURL-auth (LUD-04): the wallet calls back with k1, sig and key; the DER
 * signature must verify over the raw k1 bytes (no extra hashing) with the key, the k1 must be one
 * of ours, unexpired and not verified before. A login challenge then waits for its browser; a link
 * challenge links the key to its account in the same transaction. Answers are LUD-04's JSON.
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import type { Knex } from 'knex';
import type { Logger } from '../../lib/logger';
import type { ChallengesRepo } from './challenges-repo';
import type { LoginEvents } from './login-events';
import type { LoginKeysRepo } from './login-keys-repo';

export type Lud04Answer = { status: 'OK' } | { status: 'ERROR'; reason: string };

const HEX64 = /^[0-9a-f]{64}$/;
const PUBKEY = /^0[23][0-9a-f]{64}$/;
/** A DER ECDSA signature is at most 72 bytes. */
const DER_HEX = /^30[0-9a-f]{10,142}$/;

const error = (reason: string): Lud04Answer => ({ status: 'ERROR', reason });

/** @noble/curves: DER over k1 with the compressed key. High-S is accepted: k1 is single-use anyway. */
export function verifyK1Signature(k1: string, sigDer: string, key: string): boolean {
  try {
    const sig = secp256k1.Signature.fromDER(sigDer);
    return secp256k1.verify(sig.toCompactRawBytes(), Buffer.from(k1, 'hex'), Buffer.from(key, 'hex'), { lowS: false });
  } catch {
    return false;
  }
}

export interface LnurlAuthService {
  /** `params` are the callback's query parameters; `failed` says whether to count it against the caller. */
  callback(params: Record<string, unknown>): Promise<{ answer: Lud04Answer; failed: boolean }>;
}

export function createLnurlAuthService(deps: {
  knex: Knex;
  challenges: ChallengesRepo;
  keys: LoginKeysRepo;
  events: LoginEvents;
  logger: Logger;
}): LnurlAuthService {
  const { challenges, keys, logger } = deps;
  const param = (p: Record<string, unknown>, name: string) => (typeof p[name] === 'string' ? (p[name] as string).toLowerCase() : '');

  return {
    async callback(params) {
      const k1 = param(params, 'k1');
      const sig = param(params, 'sig');
      const key = param(params, 'key');
      if (param(params, 'tag') !== 'login') return { answer: error('This is an LNURL-auth endpoint: tag must be "login".'), failed: true };
      if (!HEX64.test(k1)) return { answer: error('k1 must be 32 bytes of hex.'), failed: true };
      if (!sig || !key)
        return { answer: error('Missing sig or key: sign k1 with your linking key and call back with both.'), failed: true };
      if (!PUBKEY.test(key)) return { answer: error('key must be a 33-byte compressed public key in hex.'), failed: true };
      if (!DER_HEX.test(sig)) return { answer: error('sig must be a DER-encoded signature in hex.'), failed: true };

      const challenge = await challenges.findLnurlByK1(k1);
      // Logged without k1, sig or key: the challenge id is enough to follow it.
      if (!challenge) {
        logger.info('lnurl-auth callback refused', { reason: 'unknown k1' });
        return { answer: error('Unknown login link. Open the login page again for a new one.'), failed: true };
      }
      if (!verifyK1Signature(k1, sig, key)) {
        logger.info('lnurl-auth callback refused', { challengeId: challenge.id, reason: 'bad signature' });
        return { answer: error('The signature does not verify with this key over k1.'), failed: true };
      }
      if (challenge.verifiedAt) {
        // Not counted against the caller: a wallet may retry a call whose answer it did not get.
        logger.info('lnurl-auth callback refused', { challengeId: challenge.id, reason: 'replayed' });
        return { answer: error('This login link was already used. Open the login page again for a new one.'), failed: false };
      }
      if (challenge.expiresAt.getTime() <= Date.now()) {
        logger.info('lnurl-auth callback refused', { challengeId: challenge.id, reason: 'expired' });
        return { answer: error('This login link has expired. Open the login page again for a new one.'), failed: false };
      }

      if (challenge.purpose === 'link') {
        const outcome = await deps.knex
          .transaction(async (trx) => {
            if (!(await challenges.markVerified(challenge.id, key, trx))) return 'used' as const;
            const linked = await keys.link(challenge.userId as number, key, 'lnurl', trx);
            if (linked === 'taken') throw Object.assign(new Error('taken'), { taken: true });
            return linked;
          })
          .catch((err: { taken?: boolean }) => {
            if (err?.taken) return 'taken' as const;
            throw err;
          });
        if (outcome === 'taken') {
          logger.info('lnurl-auth link refused', { challengeId: challenge.id, reason: 'key belongs to another account' });
          return { answer: error('This key already belongs to another account.'), failed: false };
        }
        if (outcome === 'used') return { answer: error('This login link was already used or has expired.'), failed: true };
        logger.info('lnurl-auth key linked', { challengeId: challenge.id, userId: challenge.userId });
      } else {
        if (!(await challenges.markVerified(challenge.id, key))) {
          return { answer: error('This login link was already used or has expired.'), failed: true };
        }
        logger.info('lnurl-auth login approved by wallet', { challengeId: challenge.id });
      }
      deps.events.verified(challenge.id);
      return { answer: { status: 'OK' }, failed: false };
    },
  };
}
