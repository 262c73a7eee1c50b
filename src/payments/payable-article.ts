/**
 * What the payments feature needs to know of an article. src/articles owns the full row (Article);
 * payments depends on this shape only, so articles may use payments and never the other way round.
 */
export interface PayableArticle {
  id: number;
  title: string;
  priceSat: number;
  authorId: number | null;
  status: string;
}

/**
 * The can-upvote rule, in one place: a published article, and the reader's own view payment of it
 * is complete (an author reading free, or an admin, has none, so cannot upvote).
 */
export function mayUpvote(article: Pick<PayableArticle, 'status'>, viewPayment: { status: string } | null | undefined): boolean {
  return article.status === 'published' && viewPayment?.status === 'complete';
}
