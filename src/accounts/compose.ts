/**
 * The Lightning logins and the account page, built once at boot from the database, the site's
 * node (VerifyMessage, invoice lookups for receipts) and the process's LISTEN connection. The
 * router needs the login throttle the password login uses, so createApp hands it over.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import type { LoginThrottle } from '../auth/login-throttle';
import type { PasswordHasher } from '../auth/passwords';
import type { PgListener } from '../db/pg-listener';
import type { MessageVerifier } from '../lightning/message-verifier';
import type { LightningNode } from '../lightning/types';
import type { Logger } from '../logger';
import { createAccountRepo } from './account-page/account-repo';
import { createAccountRouter } from './account-page/account-router';
import { createDeleteRouter } from './account-page/delete-router';
import { createLibraryRepo } from './account-page/library-repo';
import { createLibraryRouter } from './account-page/library-router';
import { createChallengesRepo } from './lightning/challenges-repo';
import { createLnurlAuthRouter } from './lightning/lnurl-auth-router';
import { createLnurlAuthService } from './lightning/lnurl-auth-service';
import { createLoginEvents, type LoginEvents } from './lightning/login-events';
import { createLoginKeysRepo } from './lightning/login-keys-repo';
import { createNodeLoginRouter } from './lightning/node-login-router';
import { throttleFor } from './lightning/throttle';

export interface AccountsDeps {
  knex: Knex;
  verifier: MessageVerifier;
  node: LightningNode;
  hasher: PasswordHasher;
  logger: Logger;
  /** The site's public URL: LNURLs point there, and its host names the site in messages and for LUD-05. */
  publicUrl: string;
  listener?: PgListener;
}

export interface Accounts {
  events: LoginEvents;
  /** Mounted before the password login's router: it adds the Lightning login to /login. */
  router(throttle: LoginThrottle): Router;
}

export function createAccounts(deps: AccountsDeps): Accounts {
  const { knex, logger } = deps;
  const log = logger.child({ component: 'accounts' });
  const host = new URL(deps.publicUrl).host;
  const keys = createLoginKeysRepo(knex);
  const challenges = createChallengesRepo(knex);
  const accounts = createAccountRepo(knex);
  const events = createLoginEvents({ knex, logger: log, listener: deps.listener });
  const service = createLnurlAuthService({ knex, challenges, keys, events, logger: log });
  return {
    events,
    router(throttle) {
      const node = throttleFor(throttle, '~node-signature');
      const router = Router();
      router.use(createNodeLoginRouter({ verifier: deps.verifier, keys, challenges, throttle: node, logger: log, host }));
      router.use(createLnurlAuthRouter({ challenges, keys, service, events, throttle: throttleFor(throttle, '~lnurl-auth'), logger: log, publicUrl: deps.publicUrl }));
      router.use(createAccountRouter({ accounts, keys, challenges, verifier: deps.verifier, hasher: deps.hasher, throttle: node, logger: log, host }));
      router.use(createLibraryRouter({ library: createLibraryRepo(knex), node: deps.node, logger: log }));
      router.use(createDeleteRouter({ knex, accounts, hasher: deps.hasher, logger: log }));
      return router;
    },
  };
}
