/**
 * Keeps /api/v1/openapi.json true: every API response a test receives goes through `apiFetch` (or
 * `checkApiResponse`) and is validated against the document the site serves, with ajv (JSON
 * Schema 2020-12). A status the operation does not list, a content type it does not list, or a body
 * its schema refuses fails the test. Responses on paths or methods the document does not describe
 * (404s, 405s) must be problem JSON.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../src/api/openapi';

type Doc = ReturnType<typeof openApiDocument>;
type ResponseSpec = { description: string; content?: Record<string, { schema: object }> };

let doc: Doc | null = null;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: object): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    // The components ride along at the root, so `#/components/schemas/X` resolves as in the document.
    v = ajv.compile({ ...schema, components: (doc as Doc).components });
    compiled.set(key, v);
  }
  return v;
}

/** The document to check against: the one the site under test serves (set once per file). */
export function useOpenApiDocument(served: unknown): void {
  doc = served as Doc;
  compiled.clear();
}

function operationFor(method: string, pathname: string): { template: string; responses: Record<string, ResponseSpec> } | null {
  for (const [template, item] of Object.entries((doc as Doc).paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`);
    if (!re.test(pathname)) continue;
    const op = (item as Record<string, { responses: Record<string, ResponseSpec> }>)[
      method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()
    ];
    return op ? { template, responses: op.responses } : null;
  }
  return null;
}

export function checkApiResponse(method: string, url: string, status: number, contentType: string | null, body: string): void {
  if (!doc) throw new Error('call useOpenApiDocument first');
  const pathname = new URL(url, 'http://x').pathname;
  const type = (contentType ?? '').split(';')[0].trim();
  const op = operationFor(method, pathname);
  let schema: object;
  let key: string;
  if (!op) {
    if (type !== 'application/problem+json')
      throw new Error(`${method} ${pathname} ${status}: not in the OpenAPI document and not problem JSON (${type})`);
    schema = { $ref: '#/components/schemas/Problem' };
    key = 'problem';
  } else {
    const spec = op.responses[String(status)] ?? op.responses.default;
    if (!spec) throw new Error(`${method} ${op.template}: status ${status} is not documented`);
    if (!spec.content) {
      if (body.length > 0) throw new Error(`${method} ${op.template} ${status}: documented without a body, got one`);
      return;
    }
    const media = spec.content[type];
    if (!media) throw new Error(`${method} ${op.template} ${status}: content type ${type} is not documented`);
    schema = media.schema;
    key = `${op.template} ${status} ${type}`;
  }
  if (method.toUpperCase() === 'HEAD') return;
  const value = type === 'application/json' || type === 'application/problem+json' ? JSON.parse(body) : body;
  const validate = validatorFor(key, schema);
  if (!validate(value))
    throw new Error(
      `${method} ${pathname} ${status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${body.slice(0, 500)}`,
    );
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // Parsed JSON bodies are read in assertions field by field.
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** fetch, then the OpenAPI check, then the body as text and (when JSON) parsed. */
export async function apiFetch(url: string, init: RequestInit = {}): Promise<ApiResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  checkApiResponse(init.method ?? 'GET', url, res.status, res.headers.get('content-type'), text);
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, text, json: /json/.test(type) && text ? JSON.parse(text) : null };
}

/** Fetches the document the site serves, checks against it from now on (and checks that answer too). */
export async function useOpenApiFrom(baseUrl: string): Promise<void> {
  const url = `${baseUrl}/api/v1/openapi.json`;
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  useOpenApiDocument(JSON.parse(text));
  checkApiResponse('GET', url, res.status, res.headers.get('content-type'), text);
}
