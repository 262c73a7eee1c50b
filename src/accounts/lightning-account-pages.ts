/**
 * The Lightning logins and the account page, built once by the composition root from the
 * database, the site's node (VerifyMessage; invoice lookups for receipts), the LISTEN connection
 * and the login throttle the password login uses. src/routes.ts says which URL goes where.
 */
import type { Knex } from 'knex';
import type { AttemptThrottle } from './attempt-throttle';
import type { SiteLimits } from './limits';
import type { PasswordHasher } from './passwords';
import type { PgListener } from '../db/pg-listener';
import type { MessageVerifier } from '../lightning/message-verifier';
import type { LightningNode } from '../lightning/types';
import type { Logger } from '../lib/logger';
import { createAccountRepo } from './account-page/account-repo';
import { createAccountPages, type AccountPages } from './account-page/account-pages';
import type { ProfileRepo } from './profile/profile-repo';
import { createDeletePages, type DeletePages } from './account-page/delete-pages';
import { createLibraryRepo } from './account-page/library-repo';
import { createLibraryPages, type LibraryPages } from './account-page/library-pages';
import { createChallengesRepo } from './lightning/challenges-repo';
import { createLnurlAuthPages, type LnurlAuthPages } from './lightning/lnurl-auth-pages';
import { createLnurlAuthService } from './lightning/lnurl-auth-service';
import { createLoginEvents } from './lightning/login-events';
import { createLoginKeysRepo } from './lightning/login-keys-repo';
import { createNodeLoginPages, type NodeLoginPages } from './lightning/node-login-pages';

export interface LightningAccountPagesDeps {
  knex: Knex;
  verifier: MessageVerifier;
  node: LightningNode;
  hasher: PasswordHasher;
  logger: Logger;
  throttle: AttemptThrottle;
  limits: SiteLimits;
  /** The site's public URL: LNURLs point there, and its host names the site in messages and for LUD-05. */
  publicUrl: string;
  listener: PgListener;
  /** Writer profiles (one repo for the site, src/compose.ts). */
  profiles: ProfileRepo;
}

export interface LightningAccountPages {
  nodeLogin: NodeLoginPages;
  lnurlAuth: LnurlAuthPages;
  account: AccountPages;
  library: LibraryPages;
  deletion: DeletePages;
}

export function createLightningAccountPages(deps: LightningAccountPagesDeps): LightningAccountPages {
  const { knex } = deps;
  const logger = deps.logger.child({ component: 'accounts' });
  const host = new URL(deps.publicUrl).host;
  const keys = createLoginKeysRepo(knex);
  const challenges = createChallengesRepo(knex);
  const accounts = createAccountRepo(knex);
  // Registers its LISTEN channel now, before the listener starts.
  const events = createLoginEvents({ knex, logger, listener: deps.listener });
  const service = createLnurlAuthService({ knex, challenges, keys, events, logger });
  const { throttle, limits } = deps;
  return {
    nodeLogin: createNodeLoginPages({ verifier: deps.verifier, keys, challenges, throttle, limits, logger, host }),
    lnurlAuth: createLnurlAuthPages({
      challenges,
      keys,
      service,
      events,
      throttle,
      limits,
      logger,
      publicUrl: deps.publicUrl,
    }),
    account: createAccountPages({
      accounts,
      profiles: deps.profiles,
      keys,
      challenges,
      verifier: deps.verifier,
      hasher: deps.hasher,
      throttle,
      limits,
      logger,
      host,
    }),
    library: createLibraryPages({ library: createLibraryRepo(knex), node: deps.node, logger }),
    deletion: createDeletePages({ knex, accounts, hasher: deps.hasher, logger }),
  };
}
