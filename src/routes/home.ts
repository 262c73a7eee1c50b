import { Router } from 'express';
import type { ArticlesRepo } from '../db/articles-repo';

export function createHomeRouter(deps: { articles: ArticlesRepo }): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const articles = await deps.articles.listPublished();
    res.render('home', { title: null, articles });
  });
  return router;
}
