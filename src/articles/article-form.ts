/** Reads and checks the writer's form: title, teaser, body (Markdown) and a price within the configured bounds. */
import type { ArticleDraft } from './articles-repo';

export const LIMITS = { title: 200, teaser: 2_000, body: 200_000 } as const;

export interface ArticleForm {
  draft: ArticleDraft;
  /** The price as typed, so a bad one is shown back to the writer. */
  priceText: string;
  errors: string[];
}

function text(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.replace(/\r\n/g, '\n') : '';
}

export function readArticleForm(body: unknown, bounds: { min: number; max: number }): ArticleForm {
  const title = text(body, 'title').trim();
  const teaser = text(body, 'teaser').trim();
  const articleBody = text(body, 'body').trim();
  const priceText = text(body, 'priceSat').trim();
  const errors: string[] = [];
  if (!title) errors.push('Give the article a title.');
  else if (title.length > LIMITS.title) errors.push(`The title can be at most ${LIMITS.title} characters.`);
  if (!teaser) errors.push('Write a teaser: it is free for everyone and shown above the paywall.');
  else if (teaser.length > LIMITS.teaser) errors.push(`The teaser can be at most ${LIMITS.teaser.toLocaleString('en-US')} characters.`);
  if (!articleBody) errors.push('Write the article body: it is what readers pay for.');
  else if (articleBody.length > LIMITS.body) errors.push(`The body can be at most ${LIMITS.body.toLocaleString('en-US')} characters.`);
  const price = /^\d{1,12}$/.test(priceText) ? Number(priceText) : NaN;
  if (!Number.isSafeInteger(price) || price < bounds.min || price > bounds.max) {
    errors.push(`The price must be a whole number of sats from ${bounds.min.toLocaleString('en-US')} to ${bounds.max.toLocaleString('en-US')}.`);
  }
  return { draft: { title, teaser, body: articleBody, priceSat: Number.isSafeInteger(price) ? price : 0 }, priceText, errors };
}
