/**
 * Writing: any signed-up user writes. GET/POST /write (new), GET/POST /articles/:id/edit (the
 * author only), both with a preview that saves nothing; /me/articles (your articles, their status,
 * why one was hidden, and your earnings); /writers/:username (a writer's published articles).
 */
import { Router, type Request, type Response } from 'express';
import type { ArticlesRepo, Article } from '../db/articles-repo';
import type { User, UsersRepo } from '../db/users-repo';
import type { Logger } from '../logger';
import type { Publishing } from '../publishing';
import { currentUser, requireUser } from '../auth/guards';
import { NotFoundError } from '../errors';
import { readArticleForm, blankForm, LIMITS, type ArticleForm } from '../articles/article-form';
import { renderMarkdown } from '../articles/markdown';
import { parseId } from './articles';

export interface WriterRouterDeps {
  articles: ArticlesRepo;
  users: UsersRepo;
  logger: Logger;
  publishing: Publishing;
}

type Intent = 'preview' | 'draft' | 'publish';
const intentOf = (body: unknown): Intent => {
  const v = (body as Record<string, unknown> | undefined)?.intent;
  return v === 'publish' || v === 'draft' ? v : 'preview';
};

export function createWriterRouter(deps: WriterRouterDeps): Router {
  const router = Router();
  const { settings } = deps.publishing;
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
    const id = parseId(String(req.params.id));
    const article = id === null ? null : await deps.articles.findById(id);
    // Someone else's article is simply not found: its existence is none of their business.
    if (!article || article.authorId !== user.id) throw new NotFoundError();
    return article;
  }

  router.get('/write', requireUser, (_req, res) => {
    const form = blankForm({ title: '', teaser: '', body: '', priceSat: 0, tags: [] }, String(Math.max(bounds.min, Math.min(100, bounds.max))));
    renderForm(res, 200, { article: null, form, preview: false });
  });

  /** The form as read, with a cover image that does not exist (any more) refused next to its field. */
  async function readForm(req: Request): Promise<ArticleForm> {
    const form = readArticleForm(req.body, bounds);
    const cover = form.draft.coverImageId;
    if (cover && !(await deps.publishing.images.existing([cover])).has(cover)) {
      form.fieldErrors.coverAlt = 'The cover image was not found: upload it again.';
      form.errors = Object.values(form.fieldErrors) as string[];
    }
    return form;
  }

  router.post('/write', requireUser, async (req, res) => {
    const user = currentUser(req) as User;
    const form = await readForm(req);
    const intent = intentOf(req.body);
    if (form.errors.length > 0 || intent === 'preview') return renderForm(res, form.errors.length ? 422 : 200, { article: null, form, preview: true });
    const article = await deps.articles.create(user.id, form.draft, intent === 'publish');
    deps.logger.info('article created', { articleId: article.id, authorId: user.id, status: article.status });
    res.redirect(`/articles/${article.id}`);
  });

  router.get('/articles/:id/edit', requireUser, async (req, res) => {
    const article = await ownArticle(req);
    const form = blankForm({ title: article.title, teaser: article.teaser, body: article.body, priceSat: article.priceSat, tags: article.tags, coverImageId: article.coverImageId, coverAlt: article.coverAlt }, String(article.priceSat));
    renderForm(res, 200, { article, form, preview: false });
  });

  router.post('/articles/:id/edit', requireUser, async (req, res) => {
    const user = currentUser(req) as User;
    const article = await ownArticle(req);
    const form = await readForm(req);
    const intent = intentOf(req.body);
    if (form.errors.length > 0 || intent === 'preview') return renderForm(res, form.errors.length ? 422 : 200, { article, form, preview: true });
    if (!(await deps.articles.update(article.id, user.id, form.draft, intent === 'publish'))) throw new NotFoundError();
    deps.logger.info('article edited', { articleId: article.id, authorId: user.id, publish: intent === 'publish' });
    res.redirect(`/articles/${article.id}`);
  });

  router.get('/me/articles', requireUser, async (req, res) => {
    const user = currentUser(req) as User;
    const [articles, totals] = await Promise.all([deps.articles.listByAuthor(user.id, { publishedOnly: false }), deps.articles.writerTotals(user.id)]);
    res.render('writer/mine', { title: 'Your articles', articles, totals });
  });

  router.get('/writers/:username', async (req, res) => {
    const writer = await deps.users.findByUsername(String(req.params.username));
    if (!writer) throw new NotFoundError();
    const articles = await deps.articles.listByAuthor(writer.id, { publishedOnly: true });
    res.render('writer/page', {
      title: `Articles by ${writer.username}`,
      writer,
      articles,
      canonicalUrl: `${settings.publicUrl}/writers/${encodeURIComponent(writer.username)}`,
    });
  });

  return router;
}
