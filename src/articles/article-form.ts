/** Reads and checks the writer's form: title, teaser, body (Markdown) and a price within the configured bounds. */
import type { ArticleDraft } from './articles-repo';
import { readTags } from './tags';
import { imageProblems } from './markdown';

/**
 * Sizes a writer may save (characters). The body's bound also bounds the cost of rendering it
 * (about a second of a worker's CPU for the worst 100,000-character tables measured).
 */
export const LIMITS = { title: 200, teaser: 2_000, body: 100_000 } as const;

export interface ArticleForm {
  draft: ArticleDraft;
  /** The price as typed, so a bad one is shown back to the writer. */
  priceText: string;
  /** The tags as typed, shown back when something is wrong with them. */
  tagsText: string;
  errors: string[];
  /** The same messages by field, shown next to it. */
  fieldErrors: Partial<Record<ArticleField, string>>;
  /** The publish time as typed (scheduled publishing, schedule.ts); empty: now. */
  publishAtText?: string;
}

export type ArticleField = 'title' | 'teaser' | 'body' | 'priceSat' | 'priceFiat' | 'tags' | 'coverAlt' | 'publishAt';

/** The form for a new article, or for editing `draft`. */
export function blankForm(draft: ArticleDraft, priceText: string): ArticleForm {
  return { draft, priceText, tagsText: draft.tags.join(', '), errors: [], fieldErrors: {} };
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
  const tagsText = text(body, 'tags').trim();
  const fieldErrors: ArticleForm['fieldErrors'] = {};
  if (!title) fieldErrors.title = 'Give the article a title.';
  else if (title.length > LIMITS.title) fieldErrors.title = `The title can be at most ${LIMITS.title} characters.`;
  if (!teaser) fieldErrors.teaser = 'Write a teaser: it is free for everyone and shown above the paywall.';
  else if (teaser.length > LIMITS.teaser)
    fieldErrors.teaser = `The teaser can be at most ${LIMITS.teaser.toLocaleString('en-US')} characters (it has ${teaser.length.toLocaleString('en-US')}).`;
  if (!articleBody) fieldErrors.body = 'Write the article body: it is what readers pay for.';
  else if (articleBody.length > LIMITS.body)
    fieldErrors.body = `The body can be at most ${LIMITS.body.toLocaleString('en-US')} characters (it has ${articleBody.length.toLocaleString('en-US')}): shorten it or split it into two articles.`;
  const price = /^\d{1,12}$/.test(priceText) ? Number(priceText) : NaN;
  if (!Number.isSafeInteger(price) || price < bounds.min || price > bounds.max) {
    fieldErrors.priceSat = `The price must be a whole number of sats from ${bounds.min.toLocaleString('en-US')} to ${bounds.max.toLocaleString('en-US')}.`;
  }
  if (!fieldErrors.teaser && imageProblems(teaser).length) fieldErrors.teaser = imageProblems(teaser)[0];
  if (!fieldErrors.body && imageProblems(articleBody).length) fieldErrors.body = imageProblems(articleBody).join(' ');
  const coverText = text(body, 'coverImageId').trim();
  const coverImageId = /^[1-9]\d{0,15}$/.test(coverText) ? Number(coverText) : null;
  const coverAlt = text(body, 'coverAlt').trim().slice(0, 300);
  if (coverImageId && !coverAlt) fieldErrors.coverAlt = 'Describe the cover image for readers who cannot see it.';
  const tags = readTags(tagsText);
  if (tags.error) fieldErrors.tags = tags.error;
  const errors = Object.values(fieldErrors) as string[];
  return {
    draft: {
      title,
      teaser,
      body: articleBody,
      priceSat: Number.isSafeInteger(price) ? price : 0,
      tags: tags.tags,
      coverImageId,
      coverAlt: coverImageId ? coverAlt : null,
    },
    priceText,
    tagsText,
    errors,
    fieldErrors,
  };
}
