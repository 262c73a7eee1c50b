/**
 * GET /api/v1/articles/:id/content: the paid article, for a machine with an L402 credential or a
 * reader with a personal API token. Without a good credential: 402 with the two challenges
 * (`L402 version="0", token=..., invoice=...` and `LSAT macaroon=..., invoice=...`), a problem body
 * that also carries the invoice, and `Cache-Control: no-store`. A bad, foreign, expired or
 * revoked L402 credential gets a fresh challenge, as Aperture answers; a genuine token presented
 * with a wrong preimage gets 401 (not paid), as the L402 spec says.
 */
import { isOut } from '../articles/schedule';
import type { Request, RequestHandler, Response } from 'express';
import type { ArticlePageReads } from '../articles/article-cache';
import type { Article } from '../articles/articles-repo';
import type { PaymentsRepo } from '../payments/payments-repo';
import type { UsersRepo } from '../accounts/users-repo';
import type { Logger } from '../lib/logger';
import { Lru } from '../lib/lru';
import { contentJson, contentMarkdown } from './api-json';
import { ApiProblem, notFound, sendProblem } from './problem';
import { parseArticleId } from './public-routes';
import { challengeHeaders, readCredential } from './l402/auth-header';
import type { ChallengeLimiter } from './l402/challenge-limiter';
import type { L402Service } from './l402/l402-service';
import type { ApiTokensRepo } from './personal-tokens/api-tokens-repo';

export interface ContentRouteDeps {
  articlePages: ArticlePageReads;
  users: UsersRepo;
  paymentsRepo: PaymentsRepo;
  apiTokens: ApiTokensRepo;
  l402: L402Service;
  limiter: ChallengeLimiter;
  logger: Logger;
  publicUrl: string;
}

/** Bytes of paid-article answers kept: a few hundred articles. */
const ANSWERS_MAX_BYTES = 4_000_000;

interface Answer {
  /** The version it was made from. */
  article: Article;
  type: string;
  body: Buffer;
  etag: string | undefined;
}

export function createContentEndpoint(deps: ContentRouteDeps): RequestHandler {
  const base = deps.publicUrl;

  // The paid article's answer is the same for every client until the article changes (the article
  // cache then hands out a new Article object), so its body and ETag are worked out once per
  // version instead of serialising and hashing it on every read. Bounded in bytes.
  const answers = new Lru<string, Answer>(ANSWERS_MAX_BYTES, (a) => a.body.length);

  function answerFor(res: Response, article: Article, markdown: boolean): Answer {
    const key = `${article.id}:${markdown ? 'md' : 'json'}`;
    const hit = answers.get(key);
    if (hit && hit.article === article) return hit;
    // Exactly what res.json / res.send would send: the same text, type and (weak) ETag.
    const body = Buffer.from(markdown ? contentMarkdown(base, article) : JSON.stringify(contentJson(base, article)));
    const etag = (res.app.get('etag fn') as ((body: Buffer) => string | undefined) | undefined)?.(body);
    const made = { article, type: markdown ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8', body, etag };
    answers.set(key, made);
    return made;
  }

  function sendContent(req: Request, res: Response, article: Article): void {
    const answer = answerFor(res, article, wantsMarkdown(req));
    res.setHeader('Cache-Control', 'private, no-store');
    if (answer.etag) res.setHeader('ETag', answer.etag);
    res.setHeader('Content-Type', answer.type);
    res.send(answer.body);
  }

  async function challenge(req: Request, res: Response, article: Article, code: string, detail: string): Promise<void> {
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const allowed = await deps.limiter.take(client);
    if (!allowed.ok) {
      deps.logger.warn('l402 challenge refused: limit reached', { client, scope: allowed.scope, articleId: article.id });
      throw new ApiProblem(
        429,
        'too_many_challenges',
        'Too many requests',
        allowed.scope === 'client'
          ? 'Too many payment challenges for your address. Wait, then try again (see Retry-After).'
          : 'The site is issuing too many payment challenges right now. Wait, then try again (see Retry-After).',
        { 'Retry-After': String(allowed.retryAfterSeconds) },
      );
    }
    const c = await deps.l402.challenge(article);
    sendProblem(
      req,
      res,
      new ApiProblem(
        402,
        code,
        'Payment required',
        detail,
        { 'WWW-Authenticate': challengeHeaders(c.token, c.invoice) },
        {
          invoice: c.invoice,
          amountSat: c.amountSat,
          paymentHash: c.paymentHash,
          token: c.token,
          credentialValidUntil: c.validUntil.toISOString(),
        },
      ),
    );
  }

  const answer: RequestHandler = (req, res) => {
    // Nothing before this sets Vary on API answers (tests/integration/api-reads.test.ts checks the header).
    res.setHeader('Vary', 'Authorization, Accept');
    const id = parseArticleId(String(req.params.id));
    // The read a paying machine repeats: an article in memory and a credential judged good before.
    // Answered in this tick, with nothing to parse, look up or wait for.
    const raw = rawCredential(req);
    const cached = deps.articlePages.peek?.(id);
    if (cached && isOut(cached) && raw !== '' && deps.l402.recall(raw, cached.id)) return sendContent(req, res, cached);
    return answerAfterLookups(req, res, id, raw, cached);
  };

  /** `cached`: the article memory held (already checked against `raw`); undefined: read it. */
  async function answerAfterLookups(req: Request, res: Response, id: number, raw: string, cached: Article | undefined): Promise<void> {
    const article = cached ?? (await deps.articlePages.findById(id));
    if (!article || !isOut(article)) throw notFound('There is no published article with this id.');
    if (!cached && raw !== '' && deps.l402.recall(raw, article.id)) return sendContent(req, res, article);
    const presented = readCredential(req.headers);
    switch (presented.kind) {
      case 'none':
        return challenge(
          req,
          res,
          article,
          'payment_required',
          `This article costs ${article.priceSat} sats. Pay the invoice, then send Authorization: L402 <token>:<preimage hex>.`,
        );
      case 'malformed':
        return challenge(
          req,
          res,
          article,
          'invalid_credential',
          'The credential could not be read. Send Authorization: L402 <token>:<preimage hex>, or pay this fresh invoice.',
        );
      case 'bearer': {
        const userId = await deps.apiTokens.authenticate(presented.secret);
        if (userId === null) {
          throw new ApiProblem(401, 'invalid_token', 'Invalid token', 'This API token is unknown or was revoked.', {
            'WWW-Authenticate': 'Bearer error="invalid_token"',
          });
        }
        const user = await deps.users.findById(userId);
        const payment = user ? await deps.paymentsRepo.find(user.id, article.id, 'view') : null;
        const free = user !== null && (user.role === 'admin' || article.authorId === user.id);
        if (!free && payment?.status !== 'complete') {
          throw new ApiProblem(
            403,
            'not_purchased',
            'Not purchased',
            'You have not bought this article. Buy it on its page, or pay over L402 without a token.',
            {},
            { url: `${base}/articles/${article.id}` },
          );
        }
        return sendContent(req, res, article);
      }
      case 'l402': {
        const verdict = await deps.l402.judge({
          tokens: presented.tokens,
          preimage: presented.preimage,
          articleId: article.id,
          presented: raw,
        });
        if (verdict.ok) return sendContent(req, res, article);
        deps.logger.info('l402 credential refused', { articleId: article.id, reason: verdict.reason, status: verdict.status });
        if (verdict.status === 401)
          throw new ApiProblem(
            401,
            'unpaid',
            'Not paid',
            'The preimage does not match the payment hash of this token: its invoice has not been paid.',
          );
        return challenge(
          req,
          res,
          article,
          'invalid_credential',
          `The credential was refused (${verdict.reason}). Pay this fresh invoice for a new one.`,
        );
      }
    }
  }

  return answer;
}

/** The credential exactly as sent (the header read first by readCredential), the key of credentials judged good; '' for none. */
function rawCredential(req: Request): string {
  const h = req.headers;
  const raw = h.authorization ?? h['grpc-metadata-macaroon'] ?? h.macaroon ?? '';
  return (Array.isArray(raw) ? raw[0] : raw).slice(0, 20_000);
}

/** Markdown when the client prefers it; the common Accept values are answered without negotiating. */
function wantsMarkdown(req: Request): boolean {
  const accept = req.headers.accept;
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return false;
  return req.accepts(['application/json', 'text/markdown']) === 'text/markdown';
}
