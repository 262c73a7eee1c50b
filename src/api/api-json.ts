/**
 * The API's JSON shapes, in one place: stable camelCase names, times as ISO 8601 strings, money as
 * integer sats, every link absolute (built from PUBLIC_URL). openapi.ts describes exactly these.
 */
import type { Article } from '../articles/articles-repo';
import type { WriterRow } from './api-reads-repo';
import { shownName } from '../accounts/profile/profile-form';

export interface WriterRef {
  username: string;
  url: string;
  apiUrl: string;
}

export const writerRef = (base: string, username: string): WriterRef => ({
  username,
  url: `${base}/writers/${encodeURIComponent(username)}`,
  apiUrl: `${base}/api/v1/writers/${encodeURIComponent(username)}`,
});

export function articleJson(base: string, a: Article) {
  return {
    id: a.id,
    title: a.title,
    teaser: a.teaser,
    teaserHtml: a.teaserHtml,
    priceSat: a.priceSat,
    writer: a.authorUsername ? writerRef(base, a.authorUsername) : null,
    publishedAt: a.publishedAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    counts: { paidViews: a.views, machineReads: a.machineReads, upvotes: a.upvotes, upvoteSats: a.upvoteSats },
    url: `${base}/articles/${a.id}`,
    apiUrl: `${base}/api/v1/articles/${a.id}`,
    contentUrl: `${base}/api/v1/articles/${a.id}/content`,
  };
}

/** The paid article: everything of the summary plus the body, as Markdown and as safe HTML. */
export function contentJson(base: string, a: Article) {
  return { ...articleJson(base, a), bodyMarkdown: a.body, bodyHtml: a.bodyHtml };
}

/** The paid article as one Markdown document (Accept: text/markdown). */
export function contentMarkdown(base: string, a: Article): string {
  const by = a.authorUsername ? `by ${a.authorUsername} · ` : '';
  return `# ${a.title}\n\n_${by}${a.publishedAt.toISOString().slice(0, 10)} · ${base}/articles/${a.id}_\n\n${a.teaser.trim()}\n\n${a.body.trim()}\n`;
}

/** A writer as the API shows them: their links, profile (name shown, bio, avatar) and counts. */
export function writerJson(base: string, w: WriterRow) {
  return {
    ...writerRef(base, w.username),
    displayName: shownName(w, w.username),
    bio: w.bio,
    avatarUrl: w.avatarImageId === null ? null : `${base}/images/${w.avatarImageId}/320.webp`,
    publishedArticles: w.publishedArticles,
    joinedAt: w.joinedAt.toISOString(),
  };
}
