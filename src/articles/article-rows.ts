/** The article row as stored and the Article the rest of the code sees; one mapping between them. */
import { renderMarkdownCached } from './markdown';

export type ArticleStatus = 'draft' | 'published' | 'deleted by admin';

export interface Article {
  id: number;
  authorId: number | null;
  authorUsername: string | null;
  /** The writer's profile (src/accounts/profile/): their display name (null: the username) and avatar image. */
  authorDisplayName: string | null;
  authorAvatarId: number | null;
  title: string;
  /** Markdown source, for the edit form. */
  teaser: string;
  body: string;
  /** Safe HTML rendered from the Markdown (src/articles/markdown.ts). */
  teaserHtml: string;
  bodyHtml: string;
  priceSat: number;
  /** A price the writer set in the site's fiat currency (minor units); converted to sats per invoice. */
  priceFiat: { minor: number; currency: string } | null;
  tags: string[];
  /** The cover image (src/images/) and its alt text. */
  coverImageId: number | null;
  coverAlt: string | null;
  /** Minutes to read the body, counted at save time (null for rows written outside the app). */
  readingMinutes: number | null;
  status: ArticleStatus;
  /** Why an admin hid it; shown to its writer. */
  hiddenReason: string | null;
  createdAt: Date;
  publishedAt: Date;
  updatedAt: Date;
  /** Number of complete view payments. */
  views: number;
  upvotes: number;
  upvoteSats: number;
  /** Articles bought over L402 by machines (src/api/), counted apart from paid views. */
  machineReads: number;
  /** Sats of every complete payment (views, upvotes and machine reads). */
  revenueSat: number;
}

export interface ArticleRow {
  id: number;
  author_id: number | null;
  author_username: string | null;
  author_display_name?: string | null;
  author_avatar_id?: number | string | null;
  title: string;
  teaser: string;
  /** Absent in list queries, which never select the paid body. */
  body?: string | null;
  teaser_html: string | null;
  body_html?: string | null;
  price_sat: number;
  price_fiat_minor?: string | number | null;
  price_currency?: string | null;
  tags?: string[] | null;
  cover_image_id?: number | string | null;
  cover_alt?: string | null;
  reading_minutes?: number | null;
  status: ArticleStatus;
  hidden_reason: string | null;
  created_at: Date;
  published_at: Date;
  updated_at: Date;
  views: number;
  upvotes_count: number;
  upvote_sats: number;
  machine_reads_count: number;
  revenue_sat: number;
}

/** Rows written outside the app (a bulk load) may lack the stored HTML: render it on read then. */
export const toArticle = (r: ArticleRow): Article => ({
  id: r.id,
  authorId: r.author_id,
  authorUsername: r.author_username,
  authorDisplayName: r.author_display_name ?? null,
  authorAvatarId: r.author_avatar_id == null ? null : Number(r.author_avatar_id),
  title: r.title,
  teaser: r.teaser,
  body: r.body ?? '',
  teaserHtml: r.teaser_html ?? renderMarkdownCached(r.teaser),
  bodyHtml: r.body == null ? '' : (r.body_html ?? renderMarkdownCached(r.body)),
  priceSat: r.price_sat,
  priceFiat: r.price_fiat_minor != null && r.price_currency ? { minor: Number(r.price_fiat_minor), currency: r.price_currency } : null,
  tags: r.tags ?? [],
  coverImageId: r.cover_image_id == null ? null : Number(r.cover_image_id),
  coverAlt: r.cover_alt ?? null,
  readingMinutes: r.reading_minutes ?? null,
  status: r.status,
  hiddenReason: r.hidden_reason,
  createdAt: r.created_at,
  publishedAt: r.published_at,
  updatedAt: r.updated_at,
  views: r.views,
  upvotes: r.upvotes_count,
  upvoteSats: r.upvote_sats,
  machineReads: r.machine_reads_count,
  revenueSat: r.revenue_sat,
});

/** Columns of a list: everything but the paid body, which a list never shows. */
export const LIST_COLUMNS = [
  'a.id',
  'a.author_id',
  'u.username as author_username',
  'u.display_name as author_display_name',
  'u.avatar_image_id as author_avatar_id',
  'a.title',
  'a.teaser',
  'a.teaser_html',
  'a.price_sat',
  'a.price_fiat_minor',
  'a.price_currency',
  'a.tags',
  'a.cover_image_id',
  'a.cover_alt',
  'a.reading_minutes',
  'a.status',
  'a.hidden_reason',
  'a.created_at',
  'a.published_at',
  'a.updated_at',
  'a.views_count as views',
  'a.upvotes_count',
  'a.upvote_sats',
  'a.machine_reads_count',
  'a.revenue_sat',
];
