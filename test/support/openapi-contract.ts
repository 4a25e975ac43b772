import { Server } from 'node:http';
import request from 'supertest';
import { OpenApiSchemas, Schema } from './openapi-schemas';

interface HeaderObject {
  required?: boolean;
  schema?: Schema;
}
interface ResponseObject {
  content?: Record<string, { schema?: Schema }>;
  headers?: Record<string, HeaderObject>;
}
interface OperationObject {
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

/** An answer of the app, with what was asked to get it. */
export interface ObservedAnswer {
  method: string;
  /** Path and query, as sent. */
  url: string;
  requestHeaders: Record<string, string>;
  status: number;
  headers: Headers;
  text: string;
}

type Headers = Record<string, string | string[] | undefined>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

interface Route {
  template: string;
  pattern: RegExp;
  literalSegments: number;
  item: Record<string, unknown>;
}

/**
 * Judges the app's real answers by its own OpenAPI document: the document says, for a path,
 * method, status and content type, what the body and headers are; an answer the document does
 * not foresee (a status, a content type) is a violation too. It also remembers which documented
 * responses were seen, so a test can insist that every one of them was.
 */
export class OpenApiContract {
  private readonly schemas: OpenApiSchemas;
  private readonly routes: Route[];
  private readonly seen = new Set<string>();

  constructor(readonly document: OpenApiDocument) {
    this.schemas = new OpenApiSchemas(document.openapi, document.components?.schemas);
    this.routes = Object.entries(document.paths)
      .map(([template, item]) => ({
        template,
        pattern: templatePattern(template),
        literalSegments: template.split('/').filter((s) => s !== '' && !s.startsWith('{')).length,
        item,
      }))
      // `/a/b` before `/a/{x}`: the more literal template wins, as in any router.
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** The document as the running app serves it at `/docs-json`. */
  static async of(server: Server): Promise<OpenApiContract> {
    const response = await request(server).get('/docs-json');
    if (response.status !== 200) {
      throw new Error(`GET /docs-json answered ${response.status}`);
    }
    return new OpenApiContract(response.body as OpenApiDocument);
  }

  /**
   * Every response the document promises, as `GET /path 200`; a response documented in more than
   * one media type (JSON and CSV) once per media type, as `GET /path 200 text/csv`.
   */
  get documented(): string[] {
    return this.routes.flatMap(({ template, item }) =>
      HTTP_METHODS.filter((method) => method in item).flatMap((method) =>
        Object.entries((item[method] as OperationObject).responses).flatMap(
          ([status, response]) => {
            const key = `${method.toUpperCase()} ${template} ${status}`;
            const mediaTypes = Object.keys(response.content ?? {});
            return mediaTypes.length > 1 ? mediaTypes.map((type) => `${key} ${type}`) : [key];
          },
        ),
      ),
    );
  }

  /** Documented responses no judged answer has matched yet. */
  get unseen(): string[] {
    return this.documented.filter((key) => !this.seen.has(key));
  }

  /** The document's operation for a request, if any; HEAD falls back to GET, as Fastify serves it. */
  operationFor(method: string, url: string): { label: string; operation: OperationObject } | null {
    const path = url.split('?')[0];
    const route = this.routes.find((r) => r.pattern.test(path));
    if (!route) {
      return null;
    }
    const verb = method.toLowerCase();
    const documentedVerb = verb in route.item ? verb : verb === 'head' ? 'get' : undefined;
    if (documentedVerb === undefined) {
      return null;
    }
    return {
      label: `${documentedVerb.toUpperCase()} ${route.template}`,
      operation: route.item[documentedVerb] as OperationObject,
    };
  }

  /**
   * What in this answer the document does not say, one line each, starting with the route and
   * status it was judged by; empty when the answer keeps the document.
   */
  violationsOf(answer: ObservedAnswer): string[] {
    const asked = `${answer.method} ${shortened(answer.url)}`;
    const found = this.operationFor(answer.method, answer.url);
    if (!found) {
      return [`${asked}: the document has no such operation`];
    }
    const { label, operation } = found;
    const status = String(answer.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => k in operation.responses);
    const where = `${label} ${status} (asked ${asked})`;
    const bodiless = answer.method === 'HEAD' || answer.status === 304 || answer.status === 204;
    if (key === undefined) {
      // A 304 answers a conditional request by HTTP's rules, whatever the route documents.
      if (answer.status === 304 && 'if-none-match' in lowerKeys(answer.requestHeaders)) {
        return answer.text === '' ? [] : [`${where}: a 304 with a body`];
      }
      const documented = Object.keys(operation.responses).join(', ');
      return [`${where}: status ${status} is not documented (documented: ${documented})`];
    }
    this.seen.add(`${label} ${key}`);
    if (!bodiless) {
      this.seen.add(`${label} ${key} ${mediaTypeOf(answer.headers)}`);
    }
    const response = operation.responses[key];
    const problems = this.headerViolations(response, answer).map((p) => `${where}: ${p}`);
    if (bodiless) {
      return answer.text === '' ? problems : [...problems, `${where}: a body where none is sent`];
    }
    return [...problems, ...this.bodyViolations(response, answer).map((p) => `${where}: ${p}`)];
  }

  /**
   * What is wrong with the answer to a request no operation serves (an unknown path, a method
   * the API does not take): it must be a problem+json error of the one shape the document gives
   * every problem.
   */
  refusalViolationsOf(answer: ObservedAnswer): string[] {
    const where = `${answer.method} ${shortened(answer.url)} ${answer.status} (no such operation)`;
    if (this.operationFor(answer.method, answer.url)) {
      return [`${where}: the document has this operation; judge it with violationsOf`];
    }
    if (mediaTypeOf(answer.headers) !== PROBLEM_MEDIA_TYPE) {
      return [`${where}: content type ${mediaTypeOf(answer.headers)}, not ${PROBLEM_MEDIA_TYPE}`];
    }
    const schema = this.problemSchema();
    return this.schemas.errorsOf(schema, parseJson(answer.text)).map((p) => `${where}: ${p}`);
  }

  /** The schema every problem+json answer of the document has; it must be one and the same. */
  private problemSchema(): Schema {
    const schemas = new Set<string>();
    for (const { item } of this.routes) {
      for (const method of HTTP_METHODS.filter((m) => m in item)) {
        for (const response of Object.values((item[method] as OperationObject).responses)) {
          const schema = response.content?.[PROBLEM_MEDIA_TYPE]?.schema;
          if (schema) {
            schemas.add(JSON.stringify(schema));
          }
        }
      }
    }
    if (schemas.size !== 1) {
      throw new Error(`The document has ${schemas.size} problem+json schemas, expected one`);
    }
    return JSON.parse([...schemas][0]) as Schema;
  }

  private bodyViolations(response: ResponseObject, answer: ObservedAnswer): string[] {
    const content = response.content ?? {};
    const mediaType = mediaTypeOf(answer.headers);
    if (Object.keys(content).length === 0) {
      return answer.text === '' ? [] : [`a ${mediaType} body where the document gives none`];
    }
    const entry = content[mediaType] ?? content[`${mediaType.split('/')[0]}/*`] ?? content['*/*'];
    if (!entry) {
      const documented = Object.keys(content).join(', ');
      return [`content type ${mediaType} is not documented (documented: ${documented})`];
    }
    if (!entry.schema) {
      return [];
    }
    const isJson = mediaType === 'application/json' || mediaType.endsWith('+json');
    let body: unknown = answer.text;
    if (isJson) {
      try {
        body = JSON.parse(answer.text);
      } catch {
        return [`a ${mediaType} body that is not JSON: ${answer.text.slice(0, 80)}`];
      }
    }
    return this.schemas.errorsOf(entry.schema, body);
  }

  /** Documented headers: required ones present, present ones of their documented type. */
  private headerViolations(response: ResponseObject, answer: ObservedAnswer): string[] {
    const sent = lowerKeys(answer.headers);
    return Object.entries(response.headers ?? {}).flatMap(([name, header]) => {
      const value = sent[name.toLowerCase()];
      if (value === undefined) {
        return header.required ? [`header ${name} is required but missing`] : [];
      }
      if (!header.schema) {
        return [];
      }
      return this.schemas
        .errorsOf(header.schema, headerValue(headerText(value), header.schema))
        .map((p) => `header ${name}: ${p.replace('(the body) ', '')}`);
    });
  }
}

/** `/github/repos/{owner}/{repo}` as a pattern matching one segment per parameter. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) =>
      part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/** A header's text as the JSON value its schema describes (`Retry-After: 60` is an integer). */
function headerValue(text: string, schema: Schema): unknown {
  const type = schema.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) {
    return Number(text);
  }
  if (type === 'boolean' && (text === 'true' || text === 'false')) {
    return text === 'true';
  }
  return text;
}

/** A URL short enough for a failure message: a 2 kB one is the point of some requests here. */
function shortened(url: string): string {
  return url.length > 100 ? `${url.slice(0, 80)}... (${url.length} characters)` : url;
}

function headerText(value: string | string[]): string {
  return Array.isArray(value) ? value.join(', ') : value;
}

function mediaTypeOf(headers: Headers): string {
  const contentType = lowerKeys(headers)['content-type'];
  return (contentType === undefined ? '(none)' : headerText(contentType))
    .split(';')[0]
    .trim()
    .toLowerCase();
}

function lowerKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
