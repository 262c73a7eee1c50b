/**
 * The list of migrations, in order. Listing them explicitly (instead of letting knex scan a folder)
 * makes them work the same from TypeScript sources under Jest and from compiled JavaScript in dist/.
 */
import type { Knex } from 'knex';
import * as initialSchema from './20261121000001_initial_schema';
import * as invoiceHistory from './20261121000002_invoice_history_and_watcher';
import * as articleCounters from './20261121000003_article_counters';
import * as writersAndUpvotes from './20261121000010_writers_and_upvotes';
import * as moderation from './20261121000011_moderation';
import * as revenueDays from './20261121000012_revenue_days';
import * as loginAttempts from './20261121000020_login_attempts';
import * as articleChangeNotify from './20261122000030_article_change_notify';
import * as articleInsertNotify from './20261122000031_article_insert_notify';
import * as paymentRevokedNotify from './20261122000032_payment_revoked_notify';
import * as articleRevisions from './20261129120001_article_revisions';
import * as tagsAndSearch from './20261129140001_tags_and_search';
import * as images from './20261129140002_images';
import * as readingMinutes from './20261129140003_reading_minutes';
import * as lightningLoginAndAccounts from './20261129150001_lightning_login_and_accounts';
import * as payoutsLedger from './20261129160001_payouts_ledger';
import * as machineReads from './20261129170001_machine_reads';
import * as webhooks from './20261129180001_webhooks';
import * as fiatPrices from './20261129180002_fiat_prices';
import * as writerProfiles from './20261130140011_writer_profiles';
import * as scheduledPublishing from './20261130140012_scheduled_publishing';
import * as l402RevokedNotify from './20261130170001_l402_revoked_notify';
import * as l402ChallengeCounts from './20261130170002_l402_challenge_counts';
import * as invoiceFiatQuote from './20261130180001_invoice_fiat_quote';
import * as writerChangeNotify from './20261130190001_writer_change_notify';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['20261121000001_initial_schema', initialSchema],
  ['20261121000002_invoice_history_and_watcher', invoiceHistory],
  ['20261121000003_article_counters', articleCounters],
  ['20261121000010_writers_and_upvotes', writersAndUpvotes],
  ['20261121000011_moderation', moderation],
  ['20261121000012_revenue_days', revenueDays],
  ['20261121000020_login_attempts', loginAttempts],
  ['20261122000030_article_change_notify', articleChangeNotify],
  ['20261122000031_article_insert_notify', articleInsertNotify],
  ['20261122000032_payment_revoked_notify', paymentRevokedNotify],
  ['20261129120001_article_revisions', articleRevisions],
  ['20261129140001_tags_and_search', tagsAndSearch],
  ['20261129140002_images', images],
  ['20261129140003_reading_minutes', readingMinutes],
  ['20261129150001_lightning_login_and_accounts', lightningLoginAndAccounts],
  ['20261129160001_payouts_ledger', payoutsLedger],
  ['20261129170001_machine_reads', machineReads],
  ['20261129180001_webhooks', webhooks],
  ['20261129180002_fiat_prices', fiatPrices],
  ['20261130140011_writer_profiles', writerProfiles],
  ['20261130140012_scheduled_publishing', scheduledPublishing],
  ['20261130170001_l402_revoked_notify', l402RevokedNotify],
  ['20261130170002_l402_challenge_counts', l402ChallengeCounts],
  ['20261130180001_invoice_fiat_quote', invoiceFiatQuote],
  ['20261130190001_writer_change_notify', writerChangeNotify],
];
