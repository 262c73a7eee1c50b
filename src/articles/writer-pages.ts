/**
 * Writing: any signed-up user writes. GET/POST /write (new), GET/POST /articles/:id/edit (the
 * author only), both with a preview that saves nothing; /me/articles (your articles, their status,
 * why one was hidden, and your earnings); /writers/:username (a writer's published articles).
 */
import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { ArticlesRepo, Article } from './articles-repo';
import type { User, UsersRepo } from '../accounts/users-repo';
import type { Logger } from '../lib/logger';
import type { SiteSettings } from '../web/site-settings';
import { currentUser } from '../accounts/guards';
import { NotFoundError } from '../web/errors';
import { readArticleForm, blankForm, LIMITS, type ArticleForm } from './article-form';
import type { ImagesRepo } from '../images/images-repo';
import type { UnlockedAmong } from './unlocked';
import { loadOr404 } from '../web/params';
import type { PriceFeed } from '../prices/price-feed';
import { applyFiatPrice, fiatTextOf } from '../prices/fiat-form';
import type { MarkdownRenderer } from './markdown-pool';
import type { AttemptThrottle } from '../accounts/attempt-throttle';
import type { SiteLimits } from '../accounts/limits';
import { inputValue, isScheduled, readPublishAt, scheduleText } from './schedule';
import type { ProfileRepo } from '../accounts/profile/profile-repo';
import { shownName } from '../accounts/profile/profile-form';

export interface WriterPagesDeps {
  articles: ArticlesRepo;
  users: UsersRepo;
  logger: Logger;
  settings: SiteSettings;
  /** With FIAT_CURRENCY: writers may price in fiat. */
  prices: PriceFeed | null;
  /** Renders Markdown off the event loop (markdown-pool.ts). */
  markdown: MarkdownRenderer;
  throttle: AttemptThrottle;
  limits: SiteLimits;
  /** Uploaded images: a form's cover must exist. */
  images: Pick<ImagesRepo, 'existing'>;
  /** Which listed articles the reader has paid for. */
  unlockedAmong: UnlockedAmong;
  /** Writers' profiles (display name, bio, avatar) for their page. */
  profiles: Pick<ProfileRepo, 'find'>;
}

/** The write form's one-time key (a UUID): one submission makes one article. */
const submissionKeyOf = (body: unknown): string | null => {
  const v = (body as Record<string, unknown> | undefined)?.submissionKey;
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v) ? v : null;
};

/**
 * What the writer's button asks: preview; save a draft (or save a published article's changes);
 * publish (now, or at the publish time when one is given); schedule (a scheduled article's "Save
 * changes": a time is required); now (a scheduled article's "Publish now"); unschedule (back to draft).
 */
type Intent = 'preview' | 'draft' | 'publish' | 'schedule' | 'now' | 'unschedule';
const INTENTS: readonly Intent[] = ['draft', 'publish', 'schedule', 'now', 'unschedule'];
const intentOf = (body: unknown): Intent => {
  const v = (body as Record<string, unknown> | undefined)?.intent;
  return (INTENTS as readonly unknown[]).includes(v) ? (v as Intent) : 'preview';
};
const publishes = (i: Intent) => i === 'publish' || i === 'schedule' || i === 'now';

/** The form's publish time, checked, into the draft (only when the button publishes at a time). */
function applyPublishAt(form: ArticleForm, body: unknown, intent: Intent): void {
  const input = readPublishAt(body, new Date());
  form.publishAtText = input.text;
  if (intent === 'now') return;
  if (input.error) form.fieldErrors.publishAt = input.error;
  else if (intent === 'schedule' && !input.at) form.fieldErrors.publishAt = 'Choose when to publish it, or use "Publish now".';
  form.draft.publishAt = publishes(intent) ? input.at : null;
  form.errors = Object.values(form.fieldErrors) as string[];
}

export interface WriterPages {
  newForm: RequestHandler;
  create: RequestHandler;
  editForm: RequestHandler;
  saveEdit: RequestHandler;
  mine: RequestHandler;
  writerPage: RequestHandler;
}

export function createWriterPages(deps: WriterPagesDeps): WriterPages {
  const { settings } = deps;
  const bounds = { min: settings.articleMinPriceSat, max: settings.articleMaxPriceSat };

  type FormLocals = {
    article: Article | null;
    form: ArticleForm;
    preview: { teaserHtml: string; bodyHtml: string } | null;
    submissionKey?: string | null;
  };
  function renderForm(res: Response, status: number, locals: FormLocals) {
    const { article, form, preview } = locals;
    const scheduled = article !== null && isScheduled(article);
    res.status(status).render('writer/edit', {
      scheduled,
      scheduledText: scheduled && article ? scheduleText(article.publishedAt) : null,
      publishAtText: form.publishAtText ?? (scheduled && article ? inputValue(article.publishedAt) : ''),
      // The stored time, written in UTC: the editor's script shows it in the writer's time zone.
      publishAtUtc: form.publishAtText === undefined && scheduled,
      title: article ? `Edit “${article.title}”` : 'Write an article',
      article,
      form,
      preview,
      bounds,
      limits: LIMITS,
      fiatCurrency: deps.prices?.currency ?? null,
      fiatText: (form as ArticleForm & { fiatText?: string }).fiatText ?? fiatTextOf(article?.priceFiat ?? null, deps.prices),
      submissionKey: locals.submissionKey ?? null,
    });
  }

  /**
   * A preview: counted per writer (each one is a render a writer can repeat for free), rendered off
   * the event loop. Too many previews keep the text and say how long to wait.
   */
  async function showPreview(req: Request, res: Response, article: Article | null, form: ArticleForm, submissionKey: string | null) {
    if (form.errors.length > 0) return renderForm(res, 422, { article, form, preview: null, submissionKey });
    const user = currentUser(req) as User;
    const r = await deps.throttle.reserve([
      { key: `preview:user:${user.id}`, limit: deps.limits.previewPerUserPer10Min, windowMs: 600_000 },
    ]);
    if (!r.allowed) {
      res.set('Retry-After', String(r.retryAfterSeconds));
      form.errors.push(
        `You have previewed ${deps.limits.previewPerUserPer10Min} times in the last 10 minutes. Save a draft, or preview again in ${Math.ceil(r.retryAfterSeconds / 60)} minute(s).`,
      );
      return renderForm(res, 429, { article, form, preview: null, submissionKey });
    }
    const [teaserHtml, bodyHtml] = await deps.markdown.render([form.draft.teaser, form.draft.body]);
    renderForm(res, 200, { article, form, preview: { teaserHtml, bodyHtml }, submissionKey });
  }

  const renderedHtml = async (form: ArticleForm) => {
    const [teaserHtml, bodyHtml] = await deps.markdown.render([form.draft.teaser, form.draft.body]);
    return { teaserHtml, bodyHtml };
  };

  async function ownArticle(req: Request): Promise<Article> {
    const user = currentUser(req) as User;
    // Someone else's article is simply not found: its existence is none of their business.
    return loadOr404(req.params.id, deps.articles.findById, (a) => a.authorId === user.id);
  }

  const newForm: RequestHandler = (_req, res) => {
    const form = blankForm(
      { title: '', teaser: '', body: '', priceSat: 0, tags: [] },
      String(Math.max(bounds.min, Math.min(100, bounds.max))),
    );
    renderForm(res, 200, { article: null, form, preview: null, submissionKey: crypto.randomUUID() });
  };

  /** The form as read, with a cover image that does not exist (any more) refused next to its field. */
  async function readForm(req: Request): Promise<ArticleForm> {
    const form = readArticleForm(req.body, bounds);
    const cover = form.draft.coverImageId;
    if (cover && !(await deps.images.existing([cover])).has(cover)) {
      form.fieldErrors.coverAlt = 'The cover image was not found: upload it again.';
      form.errors = Object.values(form.fieldErrors) as string[];
    }
    return form;
  }

  const create: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const form = await readForm(req);
    applyFiatPrice(form, req.body, deps.prices, bounds);
    const intent = intentOf(req.body);
    applyPublishAt(form, req.body, intent);
    const submissionKey = submissionKeyOf(req.body);
    if (form.errors.length > 0 || intent === 'preview') return showPreview(req, res, null, form, submissionKey);
    // The same form posted twice (a double click, a slow network) gives the first one's article.
    const article = await deps.articles.create(user.id, form.draft, publishes(intent), {
      html: await renderedHtml(form),
      submissionKey,
    });
    deps.logger.info('article created', { articleId: article.id, authorId: user.id, status: article.status });
    res.redirect(`/articles/${article.id}`);
  };

  const editForm: RequestHandler = async (req, res) => {
    const article = await ownArticle(req);
    const form = blankForm(
      {
        title: article.title,
        teaser: article.teaser,
        body: article.body,
        priceSat: article.priceSat,
        tags: article.tags,
        coverImageId: article.coverImageId,
        coverAlt: article.coverAlt,
      },
      String(article.priceSat),
    );
    renderForm(res, 200, { article, form, preview: null });
  };

  const saveEdit: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const article = await ownArticle(req);
    const form = await readForm(req);
    applyFiatPrice(form, req.body, deps.prices, bounds);
    const intent = intentOf(req.body);
    applyPublishAt(form, req.body, intent);
    if (form.errors.length > 0 || intent === 'preview') return showPreview(req, res, article, form, null);
    const saved = await deps.articles.update(article.id, user.id, form.draft, publishes(intent), {
      html: await renderedHtml(form),
      unschedule: intent === 'unschedule',
    });
    if (!saved) throw new NotFoundError();
    deps.logger.info('article edited', { articleId: article.id, authorId: user.id, intent, publishAt: form.draft.publishAt ?? null });
    res.redirect(`/articles/${article.id}`);
  };

  const mine: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const [articles, totals] = await Promise.all([
      deps.articles.listByAuthor(user.id, { publishedOnly: false }),
      deps.articles.writerTotals(user.id),
    ]);
    res.render('writer/mine', {
      title: 'Your articles',
      articles,
      totals,
      scheduledText: (a: Article) => (isScheduled(a) ? scheduleText(a.publishedAt) : null),
    });
  };

  const writerPage: RequestHandler = async (req, res) => {
    const writer = await deps.users.findByUsername(String(req.params.username));
    if (!writer) throw new NotFoundError();
    const [articles, profile] = await Promise.all([
      deps.articles.listByAuthor(writer.id, { publishedOnly: true }),
      deps.profiles.find(writer.id),
    ]);
    const unlocked = await deps.unlockedAmong(
      currentUser(req)?.id,
      articles.map((a) => a.id),
    );
    const name = shownName(profile, writer.username);
    res.render('writer/page', {
      title: `${name}: articles`,
      description: profile.bio ?? `Articles by ${name}.`,
      writer,
      profile,
      articles,
      unlocked,
      canonicalUrl: `${settings.publicUrl}/writers/${encodeURIComponent(writer.username)}`,
    });
  };

  return { newForm, create, editForm, saveEdit, mine, writerPage };
}
