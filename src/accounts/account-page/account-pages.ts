/**
 * /account: the reader's ways to log in (password, node keys, wallet keys: link, see, remove; the
 * last one can never be removed), change or set a password, and end every other session.
 */
import type { Request, RequestHandler, Response } from 'express';
import { currentUser } from '../guards';
import { passwordProblem, type PasswordHasher } from '../passwords';
import type { User } from '../users-repo';
import type { MessageVerifier } from '../../lightning/message-verifier';
import type { Logger } from '../../lib/logger';
import type { ChallengesRepo } from '../lightning/challenges-repo';
import { field, logIn } from '../log-in';
import type { LoginKeysRepo } from '../lightning/login-keys-repo';
import { freshMessage, isZbase32Signature, MESSAGE_PROBLEMS, signCommand, signerOf } from '../lightning/signed-message';
import type { AttemptThrottle } from '../attempt-throttle';
import type { SiteLimits } from '../limits';
import { tooManyAttempts, userIpKey } from '../login-limits';
import { lightningAttemptKeys } from '../lightning/throttle';
import type { AccountRepo } from './account-repo';
import type { ProfileRepo } from '../profile/profile-repo';
import { PROFILE_LIMITS, readProfileForm, type Profile, type ProfileForm } from '../profile/profile-form';

export interface AccountPagesDeps {
  accounts: AccountRepo;
  /** The writer profile (display name, bio, avatar) edited on this page. */
  profiles: ProfileRepo;
  keys: LoginKeysRepo;
  challenges: ChallengesRepo;
  verifier: MessageVerifier;
  hasher: PasswordHasher;
  /** Linking a node is a signed-message login too: counted with it, as `~node-signature`. */
  throttle: AttemptThrottle;
  limits: SiteLimits;
  logger: Logger;
  host: string;
}

const NOTICES: Record<string, string> = {
  'password-changed': 'Your password was changed. Every other session was logged out.',
  'password-set': 'Your password is set: you can now log in with your username and password too.',
  'sessions-ended': 'Every other session was logged out.',
  'key-removed': 'The key was removed.',
  'node-linked': 'Your node key is linked: you can log in by signing a message with it.',
  'wallet-linked': 'Your wallet key is linked: you can log in by scanning with it.',
  'profile-saved': 'Your profile is saved: readers see it on your page and under your articles.',
};

/** `profile`: the profile form as typed, with its problems next to the fields. */
type Problems = { password?: string; link?: string; keys?: string; profile?: ProfileForm };

export interface AccountPages {
  show: RequestHandler;
  changePassword: RequestHandler;
  endOtherSessions: RequestHandler;
  removeKey: RequestHandler;
  linkNode: RequestHandler;
  saveProfile: RequestHandler;
}

/** Every handler expects a logged-in user (the route table puts requireUser in front). */
export function createAccountPages(deps: AccountPagesDeps): AccountPages {
  async function show(req: Request, res: Response, status = 200, problems: Problems = {}, signature = '', pubkey = '') {
    const user = currentUser(req) as User;
    const m = freshMessage(req.session.nodeLinkMessage, 'link', deps.host, Date.now());
    req.session.nodeLinkMessage = m;
    const notice = typeof req.query.notice === 'string' ? (NOTICES[req.query.notice] ?? null) : null;
    const profile: Profile = problems.profile?.profile ?? (await deps.profiles.find(user.id));
    res.status(status).render('account/account', {
      title: 'Your account',
      account: user,
      hasPassword: (await deps.accounts.passwordHash(user.id)) !== null,
      keys: await deps.keys.listForUser(user.id),
      linkMessage: m.message,
      linkCommand: signCommand(m.message),
      notice: status === 200 ? notice : null,
      problems,
      profile,
      profileErrors: problems.profile?.fieldErrors ?? {},
      profileLimits: PROFILE_LIMITS,
      signature,
      pubkey,
    });
  }

  const changePassword: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const current = field(req.body, 'currentPassword');
    const password = field(req.body, 'newPassword');
    const confirm = field(req.body, 'newPasswordConfirm');
    const hash = await deps.accounts.passwordHash(user.id);
    if (hash !== null && !(await deps.hasher.verify(current, hash))) {
      deps.logger.info('password change refused', { userId: user.id, reason: 'wrong current password' });
      return show(req, res, 422, { password: 'Your current password is not right.' });
    }
    const problem = passwordProblem(password) ?? (password !== confirm ? 'The two new passwords do not match.' : null);
    if (problem) return show(req, res, 422, { password: problem });
    await deps.accounts.setPasswordHash(user.id, await deps.hasher.hash(password));
    // A new password ends every other session; this one gets a new id too.
    await deps.accounts.endOtherSessions(user.id, req.sessionID);
    await logIn(req, user);
    deps.logger.info(hash === null ? 'password set' : 'password changed', { userId: user.id });
    res.redirect(`/account?notice=${hash === null ? 'password-set' : 'password-changed'}`);
  };

  const endOtherSessions: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const ended = await deps.accounts.endOtherSessions(user.id, req.sessionID);
    deps.logger.info('other sessions ended', { userId: user.id, ended });
    res.redirect('/account?notice=sessions-ended');
  };

  const removeKey: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const id = Number(req.params.id);
    const outcome = Number.isSafeInteger(id) ? await deps.keys.unlink(user.id, id) : 'not-found';
    if (outcome === 'last-method')
      return show(req, res, 409, {
        keys: 'This is your only way to log in, so it cannot be removed. Set a password or link another key first.',
      });
    if (outcome === 'not-found') return show(req, res, 404, { keys: 'That key is not linked to your account.' });
    deps.logger.info('login key removed', { userId: user.id, keyId: id });
    res.redirect('/account?notice=key-removed');
  };

  const linkNode: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const ip = req.ip ?? 'unknown';
    const signature = field(req.body, 'signature').trim();
    const pubkey = field(req.body, 'pubkey').trim().toLowerCase();
    const refuse = (status: number, problem: string) =>
      show(req, res, status, { link: problem }, signature.slice(0, 200), pubkey.slice(0, 80));
    // Counted before the signature is checked; a refusal below keeps it counted.
    const attempt = await deps.throttle.reserve(lightningAttemptKeys(deps.limits, ip, '~node-signature'));
    if (!attempt.allowed) {
      res.set('Retry-After', String(attempt.retryAfterSeconds));
      return refuse(429, tooManyAttempts(attempt.retryAfterSeconds));
    }
    const shown = req.session.nodeLinkMessage;
    if (!shown || shown.expiresAt <= Date.now()) return refuse(400, MESSAGE_PROBLEMS.expired);
    if (!/^0[23][0-9a-f]{64}$/.test(pubkey))
      return refuse(
        400,
        "Your node's public key is 66 hexadecimal characters starting with 02 or 03 (lncli getinfo shows it as identity_pubkey).",
      );
    if (!isZbase32Signature(signature)) return refuse(400, MESSAGE_PROBLEMS.notASignature);
    const signer = await signerOf(deps.verifier, shown.message, signature);
    if (signer === 'node-down') {
      await attempt.succeeded(); // not judged: it does not count
      return refuse(503, "The site's Lightning node cannot check signatures right now. Please try again in a minute.");
    }
    if (signer !== pubkey) {
      deps.logger.info('node link refused', { userId: user.id, reason: 'signature not by that key over this message' });
      return refuse(
        400,
        'That signature was not made by that node over the message shown. Sign exactly the message shown with the node whose key you entered.',
      );
    }
    if (!(await deps.challenges.useMessageNonce(shown.nonce, 'link', user.id, new Date(shown.expiresAt)))) {
      delete req.session.nodeLinkMessage;
      return refuse(400, MESSAGE_PROBLEMS.used);
    }
    delete req.session.nodeLinkMessage;
    await attempt.succeeded({ clear: [userIpKey(ip, '~node-signature')] });
    const linked = await deps.keys.link(user.id, pubkey, 'node');
    if (linked === 'taken') return refuse(409, 'This node key already belongs to another account.');
    deps.logger.info('node key linked', { userId: user.id });
    res.redirect('/account?notice=node-linked');
  };

  /** The profile as typed: any problem shows the form again with the message next to its field and saves nothing. */
  const saveProfile: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const form = readProfileForm(req.body);
    const avatar = form.profile.avatarImageId;
    if (!form.fieldErrors.avatar && avatar !== null && !(await deps.profiles.ownsImage(user.id, avatar)))
      form.fieldErrors.avatar = 'The picture was not found among your uploads: upload it again.';
    if (Object.keys(form.fieldErrors).length > 0) return show(req, res, 422, { profile: form });
    await deps.profiles.save(user.id, form.profile);
    deps.logger.info('profile saved', { userId: user.id, avatar: avatar !== null });
    res.redirect('/account?notice=profile-saved#profile-heading');
  };

  return { show: (req, res) => show(req, res), changePassword, endOtherSessions, removeKey, linkNode, saveProfile };
}
