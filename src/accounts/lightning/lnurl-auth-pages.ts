/**
 * LNURL-auth in the browser and for the wallet. /login/wallet (and /account/link/wallet) show a
 * fresh single-use k1 as a QR code, a `lightning:` LNURL (LUD-01) and a `keyauth://` link (LUD-17);
 * the wallet calls /lnurl-auth back (LUD-04 JSON answers); the page hears of it over Server-Sent
 * Events (as the paywall hears of payments) and posts its form by itself, or the reader presses
 * its button when there is no JavaScript. The challenge is bound to this browser's session.
 */
import type { Request, RequestHandler, Response } from 'express';
import QRCode from 'qrcode';
import { currentUser, safeReturnPath } from '../guards';
import { openEventStream } from '../../web/event-stream';
import { encodeLnurl, keyauthUrl } from '../../lib/lnurl';
import type { Logger } from '../../lib/logger';
import type { ChallengesRepo, LnurlChallenge } from './challenges-repo';
import type { LnurlAuthService } from './lnurl-auth-service';
import type { LoginEvents } from './login-events';
import { logIn } from '../log-in';
import type { LoginKeysRepo } from './login-keys-repo';
import type { AttemptThrottle } from '../attempt-throttle';
import type { SiteLimits } from '../limits';
import { tooManyAttempts } from '../login-limits';
import { lightningAttemptKeys } from './throttle';

export interface LnurlAuthPagesDeps {
  challenges: ChallengesRepo;
  keys: LoginKeysRepo;
  service: LnurlAuthService;
  events: LoginEvents;
  throttle: AttemptThrottle;
  limits: SiteLimits;
  logger: Logger;
  /** The site's public URL: wallets call it back there, and its host is the LUD-05 domain. */
  publicUrl: string;
}

const CHALLENGE_TTL_SECONDS = 5 * 60;
const PENDING_TTL_MS = 10 * 60 * 1000;

export interface LnurlAuthPages {
  loginPage: RequestHandler;
  linkPage: RequestHandler;
  /** The wallet's call (LUD-04): JSON answers only. */
  callback: RequestHandler;
  /** Server-Sent Events for the session's challenge: `verified` or `expired`. */
  events: RequestHandler;
  finishLogin: RequestHandler;
  finishLink: RequestHandler;
}

export function createLnurlAuthPages(deps: LnurlAuthPagesDeps): LnurlAuthPages {
  const base = deps.publicUrl.replace(/\/+$/, '');

  /** The session's open challenge for `purpose` if it has minutes left, else a new one. */
  async function challengeFor(req: Request, purpose: 'login' | 'link', next: string): Promise<LnurlChallenge> {
    const held = req.session.lnurlChallenge;
    if (held && held.purpose === purpose) {
      const c = await deps.challenges.findLnurlById(held.id);
      if (
        c &&
        !c.verifiedAt &&
        c.expiresAt.getTime() - Date.now() > 2 * 60 * 1000 &&
        (purpose === 'login' || c.userId === currentUser(req)?.id)
      ) {
        req.session.lnurlChallenge = { id: c.id, purpose, next };
        return c;
      }
    }
    if (Math.random() < 0.05) await deps.challenges.prune();
    const c = await deps.challenges.createLnurl({
      purpose,
      userId: purpose === 'link' ? (currentUser(req)?.id ?? null) : null,
      ttlSeconds: CHALLENGE_TTL_SECONDS,
    });
    req.session.lnurlChallenge = { id: c.id, purpose, next };
    return c;
  }

  async function showChallenge(req: Request, res: Response, purpose: 'login' | 'link', status = 200, notice: string | null = null) {
    const next = purpose === 'login' ? safeReturnPath(req.query.next ?? req.session.lnurlChallenge?.next) : '/account';
    const c = await challengeFor(req, purpose, next);
    const url = `${base}/lnurl-auth?tag=login&k1=${c.k1}&action=${purpose === 'login' ? 'login' : 'link'}`;
    const lnurl = encodeLnurl(url);
    const qrSvg = await QRCode.toString(`lightning:${lnurl}`, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
    res.status(status).render('account/wallet-login', {
      title: purpose === 'login' ? 'Log in with a Lightning wallet' : 'Link a Lightning wallet',
      purpose,
      lnurl,
      keyauth: keyauthUrl(url),
      qrSvg,
      expiresAt: c.expiresAt,
      finishAction: purpose === 'login' ? '/login/wallet' : '/account/link/wallet',
      notice,
    });
  }

  const loginPage: RequestHandler = async (req, res) => {
    if (currentUser(req)) return res.redirect(safeReturnPath(req.query.next));
    await showChallenge(req, res, 'login');
  };
  const linkPage: RequestHandler = (req, res) => showChallenge(req, res, 'link');

  const callback: RequestHandler = async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const ip = req.ip ?? 'unknown';
    const attempt = await deps.throttle.reserve(lightningAttemptKeys(deps.limits, ip, '~lnurl-auth'));
    if (!attempt.allowed) {
      res.set('Retry-After', String(attempt.retryAfterSeconds));
      return res.status(429).json({ status: 'ERROR', reason: tooManyAttempts(attempt.retryAfterSeconds) });
    }
    const { answer, failed } = await deps.service.callback(req.query as Record<string, unknown>);
    // A failed call stays counted; any other is given back.
    if (!failed) await attempt.succeeded();
    res.json(answer);
  };

  const events: RequestHandler = async (req, res) => {
    const held = req.session.lnurlChallenge;
    if (!held) {
      res.status(404).type('text/plain').send('No wallet login is waiting in this browser.');
      return;
    }
    const stream = openEventStream(req, res);
    // Listen first, then look: an approval in between is caught by one or the other.
    stream.onClose(deps.events.onVerified(held.id, () => stream.send('verified')));
    const c = await deps.challenges.findLnurlById(held.id);
    if (c?.verifiedAt) stream.send('verified');
    else if (!c || c.expiresAt.getTime() <= Date.now()) stream.send('expired');
  };

  /** The browser comes back: uses the session's challenge once, if the wallet approved it. */
  async function finish(req: Request, res: Response, purpose: 'login' | 'link') {
    const held = req.session.lnurlChallenge;
    if (!held || held.purpose !== purpose) return res.redirect(purpose === 'login' ? '/login/wallet' : '/account/link/wallet');
    const c = await deps.challenges.findLnurlById(held.id);
    if (!c?.verifiedAt)
      return showChallenge(
        req,
        res,
        purpose,
        409,
        'Your wallet has not approved yet. Scan the code or open the link with your wallet, then continue.',
      );
    const used = await deps.challenges.useVerified(held.id);
    delete req.session.lnurlChallenge;
    if (!used?.verifiedKey)
      return showChallenge(req, res, purpose, 409, 'That login was already completed or has expired. Here is a new code.');
    if (purpose === 'link') return res.redirect('/account?notice=wallet-linked');
    const user = await deps.keys.findUserByKey(used.verifiedKey);
    if (user) {
      await deps.keys.touch(used.verifiedKey);
      await logIn(req, user);
      deps.logger.info('login', { userId: user.id, via: 'lnurl-auth' });
      return res.redirect(held.next);
    }
    req.session.pendingLightningKey = { pubkey: used.verifiedKey, kind: 'lnurl', next: held.next, expiresAt: Date.now() + PENDING_TTL_MS };
    res.redirect('/login/lightning/new');
  }

  return {
    loginPage,
    linkPage,
    callback,
    events,
    finishLogin: (req, res) => finish(req, res, 'login'),
    finishLink: (req, res) => finish(req, res, 'link'),
  };
}
