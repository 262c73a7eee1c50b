/**
 * Moderation in the database: hiding and restoring articles with a reason, readers' flags, the
 * admin role, and the audit log every one of those actions writes in the same transaction (so the
 * log cannot miss an action that happened, nor record one that did not).
 */
import type { Knex } from 'knex';
import type { Role } from '../accounts/users-repo';
import { enqueueWebhookEvent } from '../webhooks/outbox';
import { revisionsSinceHide, type SinceHide } from '../articles/revisions';

export type ModerationAction = 'hide' | 'restore' | 'grant_admin' | 'revoke_admin' | 'dismiss_flags';

export interface AuditEntry {
  id: number;
  actorUsername: string | null;
  action: ModerationAction;
  articleId: number | null;
  articleTitle: string | null;
  targetUsername: string | null;
  reason: string;
  createdAt: Date;
}

export interface FlaggedArticle {
  articleId: number;
  title: string;
  status: string;
  flags: number;
  /** The most recent reasons, newest first. */
  reasons: string[];
}

export type RoleChange = 'changed' | 'unchanged' | 'last-admin' | 'not-found';

export interface ModerationRepo {
  /** published -> 'deleted by admin' with the reason; resolves the article's open flags. False if not published. */
  hide(articleId: number, actorId: number, reason: string): Promise<boolean>;
  /**
   * 'deleted by admin' -> published; false if it was not hidden. When the writer saved a new
   * version since the hide, only with `reviewedRevisionId` naming the latest one (the moderator saw
   * what changed), else 'needs-review' and nothing changes.
   */
  restore(articleId: number, actorId: number, reason: string, reviewedRevisionId?: number | null): Promise<boolean | 'needs-review'>;
  /** The version current at the hide and the latest one, for the restore review. */
  sinceHide(articleId: number): Promise<SinceHide>;
  /** A reader's flag; a second flag by the same reader while one is open replaces its reason. */
  flag(articleId: number, userId: number, reason: string): Promise<void>;
  dismissFlags(articleId: number, actorId: number, reason: string): Promise<number>;
  flaggedArticles(limit?: number): Promise<FlaggedArticle[]>;
  /** Ids of articles with open flags among `ids` and how many flags each has. */
  openFlagCounts(ids: number[]): Promise<Map<number, number>>;
  /** Newest first. */
  auditLog(limit?: number): Promise<AuditEntry[]>;
  /** Gives or takes the admin role; never takes it from the last admin (checked under a lock). */
  setRole(actorId: number, targetUsername: string, role: Role, reason: string): Promise<RoleChange>;
  listAdmins(): Promise<Array<{ id: number; username: string }>>;
}

/** `articleChanged` hears every article this repo changes, after the change has committed. */
export function createModerationRepo(knex: Knex, articleChanged: (id: number) => void = () => undefined): ModerationRepo {
  const log = (
    trx: Knex.Transaction,
    entry: { actorId: number; action: ModerationAction; articleId?: number; targetUserId?: number; reason: string },
  ) =>
    trx('moderation_log').insert({
      actor_id: entry.actorId,
      action: entry.action,
      article_id: entry.articleId ?? null,
      target_user_id: entry.targetUserId ?? null,
      reason: entry.reason,
    });

  const resolveFlags = (trx: Knex.Transaction, articleId: number) =>
    trx('article_flags').where({ article_id: articleId }).whereNull('resolved_at').update({ resolved_at: trx.fn.now() });

  /**
   * Compare-and-set of an article's status from `from`, with `alsoInTrx` (the log entry...) in the
   * same transaction; false if it was not in `from`. Announced to `articleChanged` once committed.
   */
  async function moveArticle(
    articleId: number,
    from: string,
    patch: Record<string, unknown>,
    alsoInTrx: (trx: Knex.Transaction) => Promise<void>,
  ): Promise<boolean> {
    const moved = await knex.transaction(async (trx) => {
      const n = await trx('articles')
        .where({ id: articleId, status: from })
        .update({ ...patch, updated_at: trx.fn.now() });
      if (n !== 1) return false;
      await alsoInTrx(trx);
      return true;
    });
    if (moved) articleChanged(articleId);
    return moved;
  }

  return {
    async hide(articleId, actorId, reason) {
      // An article saved before revisions were kept gets its first one now, so the hide has one to point at.
      await knex.raw(
        `INSERT INTO article_revisions (article_id, title, teaser, body, price_sat)
         SELECT id, title, teaser, body, price_sat FROM articles a
         WHERE a.id = ? AND NOT EXISTS (SELECT 1 FROM article_revisions r WHERE r.article_id = a.id)`,
        [articleId],
      );
      // The version readers could see is remembered, so a restore can show what changed since.
      const atHide = knex.raw('(SELECT max(id) FROM article_revisions WHERE article_id = ?)', [articleId]);
      return moveArticle(
        articleId,
        'published',
        { status: 'deleted by admin', hidden_reason: reason, hidden_revision_id: atHide },
        async (trx) => {
          await log(trx, { actorId, action: 'hide', articleId, reason });
          await resolveFlags(trx, articleId);
          await enqueueWebhookEvent(trx, 'article.hidden', { articleId, reason });
        },
      );
    },
    async restore(articleId, actorId, reason, reviewedRevisionId = null) {
      const result = await knex.transaction(async (trx) => {
        const article = await trx('articles').where({ id: articleId }).forUpdate().first('status', 'hidden_revision_id');
        if (!article || article.status !== 'deleted by admin') return false;
        const latest = await trx('article_revisions').where({ article_id: articleId }).max({ id: 'id' }).first();
        const latestId = latest?.id == null ? null : Number(latest.id);
        const unchanged = latestId === null || (article.hidden_revision_id != null && Number(article.hidden_revision_id) === latestId);
        if (!unchanged && reviewedRevisionId !== latestId) return 'needs-review' as const;
        await trx('articles')
          .where({ id: articleId })
          .update({ status: 'published', hidden_reason: null, hidden_revision_id: null, updated_at: trx.fn.now() });
        await log(trx, { actorId, action: 'restore', articleId, reason });
        await enqueueWebhookEvent(trx, 'article.restored', { articleId, reason });
        return true;
      });
      if (result === true) articleChanged(articleId);
      return result;
    },
    sinceHide(articleId) {
      return revisionsSinceHide(knex, articleId);
    },
    async flag(articleId, userId, reason) {
      await knex.raw(
        `INSERT INTO article_flags (article_id, user_id, reason) VALUES (?, ?, ?)
         ON CONFLICT (article_id, user_id) WHERE resolved_at IS NULL DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`,
        [articleId, userId, reason],
      );
    },
    dismissFlags(articleId, actorId, reason) {
      return knex.transaction(async (trx) => {
        const n = await resolveFlags(trx, articleId);
        if (n > 0) await log(trx, { actorId, action: 'dismiss_flags', articleId, reason });
        return n;
      });
    },
    async flaggedArticles(limit = 100) {
      const rows = await knex('article_flags as f')
        .join('articles as a', 'a.id', 'f.article_id')
        .whereNull('f.resolved_at')
        .groupBy('a.id', 'a.title', 'a.status')
        .orderByRaw('count(*) DESC, max(f.created_at) DESC')
        .limit(limit)
        .select(
          'a.id',
          'a.title',
          'a.status',
          knex.raw('count(*)::int as flags'),
          knex.raw('(array_agg(f.reason ORDER BY f.created_at DESC))[1:5] as reasons'),
        );
      return rows.map((r) => ({ articleId: r.id, title: r.title, status: r.status, flags: r.flags, reasons: r.reasons }));
    },
    async openFlagCounts(ids) {
      if (ids.length === 0) return new Map();
      const rows = await knex('article_flags')
        .whereIn('article_id', ids)
        .whereNull('resolved_at')
        .groupBy('article_id')
        .select('article_id', knex.raw('count(*)::int as n'));
      return new Map(rows.map((r) => [Number(r.article_id), Number(r.n)]));
    },
    async auditLog(limit = 200) {
      const rows = await knex('moderation_log as l')
        .leftJoin('users as actor', 'actor.id', 'l.actor_id')
        .leftJoin('users as target', 'target.id', 'l.target_user_id')
        .leftJoin('articles as a', 'a.id', 'l.article_id')
        .orderBy([
          { column: 'l.created_at', order: 'desc' },
          { column: 'l.id', order: 'desc' },
        ])
        .limit(limit)
        .select(
          'l.id',
          'actor.username as actor',
          'l.action',
          'l.article_id',
          'a.title',
          'target.username as target',
          'l.reason',
          'l.created_at',
        );
      return rows.map((r) => ({
        id: r.id,
        actorUsername: r.actor,
        action: r.action,
        articleId: r.article_id,
        articleTitle: r.title,
        targetUsername: r.target,
        reason: r.reason,
        createdAt: r.created_at,
      }));
    },
    setRole(actorId, targetUsername, role, reason) {
      return knex.transaction(async (trx) => {
        // Lock every admin row first: two admins taking each other's role at once queue here,
        // and the second sees that only one admin is left.
        const admins = await trx('users').where({ role: 'admin' }).forUpdate().select('id');
        const target = await trx('users').whereRaw('lower(username) = lower(?)', [targetUsername]).forUpdate().first('id', 'role');
        if (!target) return 'not-found';
        if (target.role === role) return 'unchanged';
        if (role === 'reader' && admins.length <= 1) return 'last-admin';
        await trx('users').where({ id: target.id, role: target.role }).update({ role });
        await log(trx, { actorId, action: role === 'admin' ? 'grant_admin' : 'revoke_admin', targetUserId: target.id, reason });
        return 'changed';
      });
    },
    async listAdmins() {
      const rows = await knex('users').where({ role: 'admin' }).orderBy('username').select('id', 'username');
      return rows.map((r) => ({ id: r.id, username: r.username }));
    },
  };
}
