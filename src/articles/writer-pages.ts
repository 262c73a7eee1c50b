/**
 * Writing: any signed-up user writes. GET/POST /write (new), GET/POST /articles/:id/edit (the
 * author only), both with a preview that saves nothing; /me/articles (your articles, their status,
 * why one was hidden, and your earnings); /writers/:username (a writer's published articles).
 */
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
import { renderMarkdown } from './markdown';
import { loadOr404 } from '../web/params';

export interface WriterPagesDeps {
  articles: ArticlesRepo;
  users: UsersRepo;
  logger: Logger;
  settings: SiteSettings;
  /** Uploaded images: a form's cover must exist. */
  images: Pick<ImagesRepo, 'existing'>;
  /** Which listed articles the reader has paid for. */
  unlockedAmong: UnlockedAmong;
}

type Intent = 'preview' | 'draft' | 'publish';
const intentOf = (body: unknown): Intent => {
  const v = (body as Record<string, unknown> | undefined)?.intent;
  return v === 'publish' || v === 'draft' ? v : 'preview';
};

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

  function renderForm(res: Response, status: number, locals: { article: Article | null; form: ArticleForm; preview: boolean }) {
    const { article, form, preview } = locals;
    res.status(status).render('writer/edit', {
      title: article ? `Edit “${article.title}”` : 'Write an article',
      article,
      form,
      preview: preview && form.errors.length === 0 ? { teaserHtml: renderMarkdown(form.draft.teaser), bodyHtml: renderMarkdown(form.draft.body) } : null,
      bounds,
      limits: LIMITS,
    });
  }

  async function ownArticle(req: Request): Promise<Article> {
    const user = currentUser(req) as User;
    // Someone else's article is simply not found: its existence is none of their business.
    return loadOr404(req.params.id, deps.articles.findById, (a) => a.authorId === user.id);
  }

  const newForm: RequestHandler = (_req, res) => {
    const form = blankForm({ title: '', teaser: '', body: '', priceSat: 0, tags: [] }, String(Math.max(bounds.min, Math.min(100, bounds.max))));
    renderForm(res, 200, { article: null, form, preview: false });
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
    const intent = intentOf(req.body);
    if (form.errors.length > 0 || intent === 'preview') return renderForm(res, form.errors.length ? 422 : 200, { article: null, form, preview: true });
    const article = await deps.articles.create(user.id, form.draft, intent === 'publish');
    deps.logger.info('article created', { articleId: article.id, authorId: user.id, status: article.status });
    res.redirect(`/articles/${article.id}`);
  };

  const editForm: RequestHandler = async (req, res) => {
    const article = await ownArticle(req);
    const form = blankForm({ title: article.title, teaser: article.teaser, body: article.body, priceSat: article.priceSat, tags: article.tags, coverImageId: article.coverImageId, coverAlt: article.coverAlt }, String(article.priceSat));
    renderForm(res, 200, { article, form, preview: false });
  };

  const saveEdit: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const article = await ownArticle(req);
    const form = await readForm(req);
    const intent = intentOf(req.body);
    if (form.errors.length > 0 || intent === 'preview') return renderForm(res, form.errors.length ? 422 : 200, { article, form, preview: true });
    if (!(await deps.articles.update(article.id, user.id, form.draft, intent === 'publish'))) throw new NotFoundError();
    deps.logger.info('article edited', { articleId: article.id, authorId: user.id, publish: intent === 'publish' });
    res.redirect(`/articles/${article.id}`);
  };

  const mine: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const [articles, totals] = await Promise.all([deps.articles.listByAuthor(user.id, { publishedOnly: false }), deps.articles.writerTotals(user.id)]);
    res.render('writer/mine', { title: 'Your articles', articles, totals });
  };

  const writerPage: RequestHandler = async (req, res) => {
    const writer = await deps.users.findByUsername(String(req.params.username));
    if (!writer) throw new NotFoundError();
    const articles = await deps.articles.listByAuthor(writer.id, { publishedOnly: true });
    const unlocked = await deps.unlockedAmong(currentUser(req)?.id, articles.map((a) => a.id));
    res.render('writer/page', {
      title: `Articles by ${writer.username}`,
      writer,
      articles,
      unlocked,
      canonicalUrl: `${settings.publicUrl}/writers/${encodeURIComponent(writer.username)}`,
    });
  };

  return { newForm, create, editForm, saveEdit, mine, writerPage };
}
