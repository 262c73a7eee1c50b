/**
 * GET /llms.txt (the llmstxt.org format): what the site is, where the API is, how a machine pays
 * for an article over L402, and the latest articles with their prices and content URLs.
 */
import type { RequestHandler } from 'express';
import type { ArticlePageReads } from '../articles/article-cache';

export function createLlmsTxt(deps: {
  articlePages: ArticlePageReads;
  publicUrl: string;
  siteName: string;
  credentialDays: number;
}): RequestHandler {
  return async (_req, res) => {
    const base = deps.publicUrl;
    const { articles } = await deps.articlePages.listPage({ sort: 'new', after: null, limit: 20 });
    const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 200);
    const text = [
      `# ${deps.siteName}`,
      '',
      `> Independent writing, each article unlocked with a Lightning micropayment. Software can buy an article per request over L402, without an account.`,
      '',
      '## API',
      '',
      `- [OpenAPI 3.1 description](${base}/api/v1/openapi.json): every endpoint, field and error (errors are RFC 9457 problem JSON with a \`code\`).`,
      `- [Published articles](${base}/api/v1/articles): JSON, newest first; \`?sort=new|read|top\`, \`?limit=\`, and \`?after=\` with the \`next\` cursor.`,
      `- [Writers](${base}/api/v1/writers): writers and their published articles.`,
      '',
      '## How to pay (L402)',
      '',
      `1. GET an article's \`contentUrl\` (${base}/api/v1/articles/{id}/content). The answer is 402 with \`WWW-Authenticate: L402 version="0", token="…", invoice="…"\` (and the same as \`LSAT macaroon="…", invoice="…"\`).`,
      '2. Pay the BOLT 11 invoice with any Lightning wallet and keep the preimage it returns.',
      '3. Repeat the GET with `Authorization: L402 <token>:<preimage hex>`. The answer is the article as JSON (title, teaser, body as Markdown and HTML), or as Markdown with `Accept: text/markdown`.',
      `4. The same credential reads that article again, without paying, for ${deps.credentialDays} days. Clients such as \`fetchWithL402\` of @getalby/lightning-tools do all of this.`,
      '',
      '## Latest articles',
      '',
      ...articles.map((a) => `- [${oneLine(a.title)}](${base}/api/v1/articles/${a.id}/content): ${a.priceSat} sats. ${oneLine(a.teaser)}`),
      '',
    ].join('\n');
    res.type('text/plain; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(text);
  };
}
