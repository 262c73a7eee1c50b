/**
 * The tutorial's login: /login shows a one-time message and the command to sign it; POST
 * /login/node asks the site's node (VerifyMessage over gRPC) who signed it, and logs that key's
 * account in, or, for a key new to the site, asks for a username first (/login/lightning/new).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { safeReturnPath } from '../guards';
import type { MessageVerifier } from '../../lightning/message-verifier';
import type { Logger } from '../../lib/logger';
import type { ChallengesRepo } from './challenges-repo';
import { field, logIn } from '../log-in';
import { lightningUsernameProblem } from '../usernames';
import type { LoginKeysRepo } from './login-keys-repo';
import { freshMessage, isZbase32Signature, MESSAGE_PROBLEMS, signCommand, signerOf } from './signed-message';
import type { AttemptThrottle } from '../attempt-throttle';
import type { SiteLimits } from '../limits';
import { tooManyAttempts, userIpKey } from '../login-limits';
import { lightningAttemptKeys } from './throttle';

export interface NodeLoginDeps {
  verifier: MessageVerifier;
  keys: LoginKeysRepo;
  challenges: ChallengesRepo;
  throttle: AttemptThrottle;
  limits: SiteLimits;
  logger: Logger;
  host: string;
}

const PENDING_TTL_MS = 10 * 60 * 1000;
const KIND = '~node-signature';

export interface NodeLoginPages {
  /** Before the login form (GET and POST /login): puts the message to sign on the page. */
  offerMessage: RequestHandler;
  nodeLogin: RequestHandler;
  newAccountForm: RequestHandler;
  newAccount: RequestHandler;
}

export function createNodeLoginPages(deps: NodeLoginDeps): NodeLoginPages {
  /** The message to sign, for the login page (shown next to the password form). */
  const offerMessage: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      const m = freshMessage(req.session.nodeLoginMessage, 'login', deps.host, Date.now());
      req.session.nodeLoginMessage = m;
      res.locals.nodeLogin = { message: m.message, command: signCommand(m.message), error: null, signature: '' };
    }
    next();
  };

  const refuse = (req: Request, res: Response, status: number, error: string, signature = '') => {
    const m = freshMessage(req.session.nodeLoginMessage, 'login', deps.host, Date.now());
    req.session.nodeLoginMessage = m;
    res.status(status).render('account/login', {
      title: 'Log in',
      next: safeReturnPath(field(req.body, 'next')),
      error: null,
      username: '',
      nodeLogin: { message: m.message, command: signCommand(m.message), error, signature },
    });
  };

  const nodeLogin: RequestHandler = async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const signature = field(req.body, 'signature').trim();
    const nextPath = safeReturnPath(field(req.body, 'next'));
    // Counted before the signature is checked; a refusal below keeps it counted.
    const attempt = await deps.throttle.reserve(lightningAttemptKeys(deps.limits, ip, KIND));
    if (!attempt.allowed) {
      deps.logger.warn('node login throttled', { waitSeconds: attempt.retryAfterSeconds });
      res.set('Retry-After', String(attempt.retryAfterSeconds));
      return refuse(req, res, 429, tooManyAttempts(attempt.retryAfterSeconds));
    }
    const shown = req.session.nodeLoginMessage;
    if (!shown || shown.expiresAt <= Date.now()) {
      delete req.session.nodeLoginMessage;
      return refuse(req, res, 400, MESSAGE_PROBLEMS.expired);
    }
    if (!isZbase32Signature(signature)) {
      deps.logger.info('node login refused', { reason: 'not a signature' });
      return refuse(req, res, 400, MESSAGE_PROBLEMS.notASignature, signature.slice(0, 200));
    }
    const pubkey = await signerOf(deps.verifier, shown.message, signature);
    if (pubkey === 'node-down') {
      await attempt.succeeded(); // not judged: it does not count
      return refuse(
        req,
        res,
        503,
        "The site's Lightning node cannot check signatures right now. Please try again in a minute, or log in another way.",
        signature,
      );
    }
    if (pubkey === null) {
      deps.logger.info('node login refused', { reason: 'signature does not recover a key' });
      return refuse(req, res, 400, 'That signature is not valid. Sign exactly the message shown, then paste the signature.', signature);
    }
    if (!(await deps.challenges.useMessageNonce(shown.nonce, 'login', null, new Date(shown.expiresAt)))) {
      delete req.session.nodeLoginMessage;
      deps.logger.info('node login refused', { reason: 'message already used' });
      return refuse(req, res, 400, MESSAGE_PROBLEMS.used);
    }
    delete req.session.nodeLoginMessage;
    await attempt.succeeded({ clear: [userIpKey(ip, KIND)] });
    const user = await deps.keys.findUserByKey(pubkey);
    if (user) {
      await deps.keys.touch(pubkey);
      await logIn(req, user);
      deps.logger.info('login', { userId: user.id, via: 'node signature' });
      return res.redirect(nextPath);
    }
    req.session.pendingLightningKey = { pubkey, kind: 'node', next: nextPath, expiresAt: Date.now() + PENDING_TTL_MS };
    res.redirect('/login/lightning/new');
  };

  const pending = (req: Request) => {
    const p = req.session.pendingLightningKey;
    return p && p.expiresAt > Date.now() ? p : null;
  };

  const newAccountForm: RequestHandler = (req, res) => {
    const p = pending(req);
    if (!p) return res.redirect('/login');
    res.render('account/new-lightning-account', { title: 'Choose a username', kind: p.kind, username: '', error: null });
  };

  const newAccount: RequestHandler = async (req, res) => {
    const p = pending(req);
    if (!p) return res.redirect('/login');
    const username = field(req.body, 'username').trim();
    const show = (status: number, error: string) =>
      res.status(status).render('account/new-lightning-account', { title: 'Choose a username', kind: p.kind, username, error });
    // A signature over another message (a replayed, foreign or mistyped one) still "recovers" some
    // key, which nobody owns. The reader names their node's key; only the real signer's matches.
    if (p.kind === 'node' && field(req.body, 'pubkey').trim().toLowerCase() !== p.pubkey) {
      delete req.session.pendingLightningKey;
      // A failed attempt, counted now (the login's own attempt was given back when its signature
      // recovered a key); whether there was room changes nothing in the answer.
      await deps.throttle.reserve(lightningAttemptKeys(deps.limits, req.ip ?? 'unknown', KIND));
      deps.logger.info('node login refused', { reason: "recovered key is not the reader's node key" });
      return res.status(400).render('account/new-lightning-account', {
        title: 'Choose a username',
        kind: p.kind,
        username,
        error:
          'That signature was not made by this node over the message shown, so no account was created. Log in again and sign the new message.',
        restart: true,
      });
    }
    const problem = lightningUsernameProblem(username);
    if (problem) return show(422, problem);
    const made = await deps.keys.createAccount(username, p.pubkey, p.kind);
    if ('problem' in made) {
      if (made.problem === 'username-taken') return show(422, 'That username is taken. Please choose another.');
      // Someone made an account with this key meanwhile (another tab): log that one in.
      const owner = await deps.keys.findUserByKey(p.pubkey);
      if (!owner) return show(409, 'This key could not be given an account. Please log in again.');
      await logIn(req, owner);
      return res.redirect(p.next);
    }
    await logIn(req, made.user);
    deps.logger.info('signup', { userId: made.user.id, via: p.kind === 'node' ? 'node signature' : 'lnurl-auth' });
    res.redirect(p.next);
  };

  return { offerMessage, nodeLogin, newAccountForm, newAccount };
}
