/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Kept true by
 * tests/integration/api-openapi.test.ts and the other API tests, which validate every API response
 * they receive against it (ajv, JSON Schema 2020-12); objects forbid unknown properties, so a new
 * field must be described here before a test passes.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const str = { type: 'string' };
const int = { type: 'integer' };
const dateTime = { type: 'string', format: 'date-time' };
const uri = { type: 'string', format: 'uri' };
const obj = (properties: Record<string, object>, required = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const errors = {
  '404': problem('Nothing at this address, or the article is not published.'),
  '405': problem('Method not allowed (see the Allow header).'),
  '503': problem('The database or the Lightning node cannot be reached right now (Retry-After).'),
};

const limitParam = { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };

const writerRef = obj({ username: str, url: uri, apiUrl: uri });
const article = obj({
  id: int,
  title: str,
  teaser: { type: 'string', description: 'Markdown' },
  teaserHtml: { type: 'string', description: 'Safe HTML rendered from the Markdown' },
  priceSat: { type: 'integer', minimum: 1 },
  writer: { oneOf: [ref('WriterRef'), { type: 'null' }] },
  publishedAt: dateTime,
  updatedAt: dateTime,
  counts: obj({ paidViews: int, machineReads: int, upvotes: int, upvoteSats: int }),
  url: uri,
  apiUrl: uri,
  contentUrl: uri,
});
const content = {
  ...article,
  required: [...article.required, 'bodyMarkdown', 'bodyHtml'],
  properties: { ...article.properties, bodyMarkdown: str, bodyHtml: str },
};
const writer = obj({
  username: str,
  url: uri,
  apiUrl: uri,
  displayName: { type: 'string', description: 'The name the writer chose to be shown by, or their username' },
  bio: { type: ['string', 'null'], description: 'A short plain-text bio (at most 300 characters)' },
  avatarUrl: { type: ['string', 'null'], format: 'uri', description: 'Their picture (WebP); null: none' },
  publishedArticles: int,
  joinedAt: dateTime,
});
const writerDetail = {
  ...writer,
  required: [...writer.required, 'articles'],
  properties: { ...writer.properties, articles: { type: 'array', items: ref('Article') } },
};

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable. A 402 also carries the invoice and the token of its challenges.',
  required: ['type', 'title', 'status', 'detail', 'code', 'instance'],
  additionalProperties: false,
  properties: {
    type: str,
    title: str,
    status: int,
    detail: str,
    code: {
      type: 'string',
      enum: [
        'not_found',
        'method_not_allowed',
        'invalid_parameter',
        'payment_required',
        'invalid_credential',
        'unpaid',
        'invalid_token',
        'not_purchased',
        'too_many_challenges',
        'node_unavailable',
        'database_unavailable',
        'forbidden',
        'bad_request',
        'too_large',
        'http_error',
        'internal_error',
      ],
    },
    instance: str,
    parameter: str,
    url: uri,
    invoice: { type: 'string', description: 'BOLT 11 invoice to pay (402 only)' },
    amountSat: int,
    paymentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    token: { type: 'string', description: 'The L402 token (base64 macaroon) of the challenge' },
    credentialValidUntil: dateTime,
  },
};

export function openApiDocument(publicUrl: string, siteName: string) {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: `${siteName} API`,
      version: '1.0.0',
      description:
        'Published articles, writers, and paid article content over L402: GET a content URL, get 402 with an invoice and a token, pay the invoice with any Lightning wallet, then repeat the request with `Authorization: L402 <token>:<preimage hex>`. The credential reads that article until it expires.',
    },
    servers: [{ url: publicUrl }],
    components: {
      schemas: {
        Problem: problemSchema,
        WriterRef: writerRef,
        Article: article,
        ArticleContent: content,
        Writer: writer,
        WriterDetail: writerDetail,
      },
      securitySchemes: {
        l402: { type: 'http', scheme: 'L402', description: '`L402 <base64 token>:<hex preimage>`; `LSAT` is accepted too.' },
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API token (from /me/tokens) for articles you already bought.',
        },
      },
    },
    paths: {
      '/api/v1': {
        get: {
          summary: 'What this API offers',
          responses: {
            '200': {
              description: 'Links to everything',
              content: json(obj({ name: str, openapi: uri, articles: uri, writers: uri, llms: uri, payment: str })),
            },
            ...errors,
          },
        },
      },
      '/api/v1/openapi.json': {
        get: {
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) }, ...errors },
        },
      },
      '/api/v1/articles': {
        get: {
          summary: 'Published articles, one keyset page at a time',
          parameters: [
            { name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: ['new', 'read', 'top'], default: 'new' } },
            {
              name: 'after',
              in: 'query',
              required: false,
              description: 'The `next` cursor of the previous page',
              schema: { type: 'string' },
            },
            limitParam,
          ],
          responses: {
            '200': {
              description: 'A page',
              content: json(
                obj({
                  sort: { type: 'string', enum: ['new', 'read', 'top'] },
                  limit: int,
                  articles: { type: 'array', items: ref('Article') },
                  next: { type: ['string', 'null'] },
                  nextUrl: { oneOf: [uri, { type: 'null' }] },
                }),
              ),
            },
            '304': { description: 'Not modified (If-None-Match)' },
            '400': problem('A bad sort, cursor or limit'),
            ...errors,
          },
        },
      },
      '/api/v1/articles/{id}': {
        get: {
          summary: "One published article's metadata",
          parameters: [idParam],
          responses: {
            '200': { description: 'The article', content: json(ref('Article')) },
            '304': { description: 'Not modified' },
            ...errors,
          },
        },
      },
      '/api/v1/articles/{id}/content': {
        get: {
          summary: 'The paid article (L402 or a personal API token)',
          parameters: [idParam],
          security: [{ l402: [] }, { apiToken: [] }, {}],
          responses: {
            '200': {
              description: 'The article with its body',
              content: { ...json(ref('ArticleContent')), 'text/markdown': { schema: { type: 'string' } } },
            },
            '401': problem('A genuine token with a preimage that does not match (not paid), or an unknown API token'),
            '402': problem(
              'Payment required: WWW-Authenticate carries `L402 version="0", token="…", invoice="…"` and `LSAT macaroon="…", invoice="…"`',
            ),
            '403': problem('An API token of a reader who has not bought this article'),
            '429': problem('Too many payment challenges (Retry-After)'),
            ...errors,
          },
        },
      },
      '/api/v1/writers': {
        get: {
          summary: 'Writers with at least one published article, by username',
          parameters: [{ name: 'after', in: 'query', required: false, schema: { type: 'string' } }, limitParam],
          responses: {
            '200': {
              description: 'A page',
              content: json(
                obj({
                  writers: { type: 'array', items: ref('Writer') },
                  next: { type: ['string', 'null'] },
                  nextUrl: { oneOf: [uri, { type: 'null' }] },
                }),
              ),
            },
            '304': { description: 'Not modified' },
            '400': problem('A bad cursor or limit'),
            ...errors,
          },
        },
      },
      '/api/v1/writers/{username}': {
        get: {
          summary: 'A writer and their published articles',
          parameters: [{ name: 'username', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The writer', content: json(ref('WriterDetail')) },
            '304': { description: 'Not modified' },
            ...errors,
          },
        },
      },
    },
  };
}
