import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  githubDescription,
  GithubDescription,
  OpenApiHeader,
  OpenApiRef,
  OpenApiResponse,
} from './github-description';
import { apiVersionsOf, BASE_API_VERSION, describedAsOf } from './breaking-changes';
import { toJsonSchema } from './openapi30-schema';
import { FoundOperation, OperationFinder } from './operation-finder';
import {
  EDGE_PAGES,
  NULLABLE_DESPITE_DESCRIPTION,
  UNDOCUMENTED_STATUSES,
  UNVERSIONED_ANSWERS,
} from './description-gaps';

/** An answer as received: lower-case header names, the body as text. */
export interface ObservedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * The description's schemas are given to Ajv as one schema with this `$id`, under `definitions`
 * (a keyword Ajv knows, unlike `components`), and every `#/components/schemas/` ref is pointed there.
 */
const DESCRIPTION_ID = 'https://api.github.com/openapi.json';
const COMPONENT_SCHEMAS = '#/components/schemas/';
const toDefinition = (ref: string): string =>
  ref.startsWith(COMPONENT_SCHEMAS)
    ? `${DESCRIPTION_ID}#/definitions/${ref.slice(COMPONENT_SCHEMAS.length)}`
    : ref;
/**
 * GitHub's prose ("Rate limits for the REST API") says every API answer carries these; the
 * description declares their schemas once, in `components.headers`, and attaches them to
 * `/rate_limit` only. Checked on every API answer.
 */
const RATE_LIMIT_HEADERS: Record<string, string> = {
  'x-ratelimit-limit': 'x-rate-limit-limit',
  'x-ratelimit-remaining': 'x-rate-limit-remaining',
  'x-ratelimit-reset': 'x-rate-limit-reset',
};

/** The header naming the API version GitHub served an answer in. */
const VERSION_HEADER = 'x-github-api-version-selected';

/**
 * Checks answers against GitHub's OpenAPI description as of the API version each answer says it
 * was served in (`x-github-api-version-selected`, see breaking-changes.ts): the operation is found
 * by path template, the status must be documented for it (or be one of the few in
 * description-gaps.ts), the body must match the response's schema (where a field the version
 * removed is forbidden) and the media type its content, declared headers their schemas, and every
 * `Link` URL must lead to the same operation.
 */
export class ResponseContract {
  /** The checks for each version, built when an answer first names it (~0.3 s each). */
  private readonly contracts = new Map<string, VersionContract>();
  /** Every version the description knows; an answer naming another is a problem. */
  readonly versions: readonly string[];

  constructor(private readonly description: GithubDescription = githubDescription()) {
    this.versions = apiVersionsOf(description);
  }

  /** What is wrong with this answer, each problem naming the request and the field; empty when none. */
  check(method: string, path: string, response: ObservedResponse): string[] {
    const { version, problem } = this.versionOf(response);
    let contract = this.contracts.get(version);
    if (!contract) {
      contract = new VersionContract(describedAsOf(this.description, version), version);
      this.contracts.set(version, contract);
    }
    return contract.check(method, path, response, problem);
  }

  /**
   * The version to check an answer against. Only a refusal before any version was selected (see
   * description-gaps.ts) may leave the header out; it is checked against the description as written.
   */
  private versionOf(response: ObservedResponse): { version: string; problem?: string } {
    const raw = response.headers[VERSION_HEADER];
    if (raw === undefined) {
      return UNVERSIONED_ANSWERS.some((answer) => answer.status === response.status)
        ? { version: BASE_API_VERSION }
        : { version: BASE_API_VERSION, problem: `header ${VERSION_HEADER} is missing` };
    }
    const version = String(raw);
    return this.versions.includes(version)
      ? { version }
      : {
          version: BASE_API_VERSION,
          problem: `header ${VERSION_HEADER} (${version}) names no version of the description (${this.versions.join(', ')})`,
        };
  }
}

/** The checks against the description as of one API version. */
class VersionContract {
  private readonly ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  private readonly finder: OperationFinder;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly description: GithubDescription,
    private readonly version: string,
  ) {
    addFormats(this.ajv);
    // GitHub's own format for `x-ratelimit-reset`: UTC epoch seconds.
    this.ajv.addFormat('timestamp', { type: 'number', validate: Number.isInteger });
    this.ajv.addSchema({
      $id: DESCRIPTION_ID,
      definitions: Object.fromEntries(
        Object.entries(withCorrections(description.components.schemas)).map(([name, schema]) => [
          name,
          toJsonSchema(schema, toDefinition),
        ]),
      ),
    });
    this.finder = new OperationFinder(description);
  }

  check(
    method: string,
    path: string,
    response: ObservedResponse,
    versionProblem: string | undefined,
  ): string[] {
    const found = this.finder.find(method, path);
    const label = `${found.method} ${path} -> ${response.status} (${found.operation.operationId}, ${found.template}, ${this.version})`;
    const mediaType = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    if (
      EDGE_PAGES.some((page) => page.status === response.status && page.mediaType === mediaType)
    ) {
      return [];
    }
    const documented = this.responseFor(found, response.status);
    if (!documented) {
      return [`${label}: status ${response.status} is not documented for this operation`];
    }
    return [
      ...(versionProblem === undefined ? [] : [versionProblem]),
      ...this.checkBody(found, response, documented, mediaType),
      ...this.checkHeaders(documented, response),
      ...this.checkLinks(found, response),
    ]
      .filter((problem, index, all) => all.indexOf(problem) === index)
      .map((problem) => `${label}: ${problem}`);
  }

  private responseFor(found: FoundOperation, status: number): OpenApiResponse | undefined {
    const { responses } = found.operation;
    const own = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
    if (own) {
      return this.resolve<OpenApiResponse>(own);
    }
    const shared = UNDOCUMENTED_STATUSES[String(status)];
    return shared ? this.description.components.responses[shared.response] : undefined;
  }

  private checkBody(
    found: FoundOperation,
    response: ObservedResponse,
    documented: OpenApiResponse,
    mediaType: string,
  ): string[] {
    if (!documented.content) {
      return response.text === '' ? [] : [`body must be empty, got ${response.text.slice(0, 80)}`];
    }
    const content = documented.content[mediaType];
    if (!content) {
      const allowed = Object.keys(documented.content).join(', ');
      return [`header content-type must be one of ${allowed}, got "${mediaType}"`];
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return [`body is not JSON: ${response.text.slice(0, 80)}`];
    }
    const key = `${found.method} ${found.template} ${response.status} ${mediaType}`;
    const validate = this.validatorFor(key, content.schema);
    return validate(body) ? [] : describe('body', validate.errors);
  }

  private checkHeaders(documented: OpenApiResponse, response: ObservedResponse): string[] {
    const declared = Object.entries(documented.headers ?? {}).map(
      ([name, header]) => [name.toLowerCase(), this.resolve<OpenApiHeader>(header)] as const,
    );
    const everywhere = Object.entries(RATE_LIMIT_HEADERS).map(
      ([name, component]) =>
        [name, { ...this.description.components.headers[component], required: true }] as const,
    );
    const headers = new Map<string, OpenApiHeader>([...declared, ...everywhere]);
    return [...headers].flatMap(([name, header]) => {
      const raw = response.headers[name];
      if (raw === undefined) {
        return header.required ? [`header ${name} is missing`] : [];
      }
      const value = String(raw);
      const validate = this.validatorFor(`header ${name}`, header.schema);
      const parsed = /^-?\d+$/.test(value) ? Number(value) : value;
      const typed = schemaType(header.schema) === 'integer' ? parsed : value;
      return validate(typed) ? [] : describe(`header ${name} (${value})`, validate.errors);
    });
  }

  /** A `Link` URL must lead to the operation that gave it, as GitHub's own do. */
  private checkLinks(found: FoundOperation, response: ObservedResponse): string[] {
    const link = response.headers.link;
    if (link === undefined) {
      return [];
    }
    return [...String(link).matchAll(/<([^>]+)>/g)].flatMap(([, url]) => {
      let target: FoundOperation;
      try {
        target = this.finder.find(found.method, new URL(url).pathname);
      } catch (error) {
        return [
          `header link points at no operation of the description: ${(error as Error).message}`,
        ];
      }
      return target.operation === found.operation
        ? []
        : [`header link points at ${target.template}, another operation: ${url}`];
    });
  }

  private validatorFor(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema, toDefinition) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private resolve<T>(value: T | OpenApiRef): T {
    if (typeof value !== 'object' || value === null || !('$ref' in value)) {
      return value;
    }
    const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(value.$ref) ?? [];
    const components = this.description.components as unknown as Record<string, Record<string, T>>;
    const target = components[kind]?.[name];
    if (target === undefined) {
      throw new Error(`cannot resolve ${value.$ref}`);
    }
    return this.resolve(target);
  }
}

/** The component schemas with description-gaps.ts applied; the description itself is left alone. */
function withCorrections(schemas: Record<string, unknown>): Record<string, unknown> {
  const corrected = { ...schemas };
  for (const { schema, property } of NULLABLE_DESPITE_DESCRIPTION) {
    const original = schemas[schema] as { properties: Record<string, object> };
    const target = original.properties[property];
    if (target === undefined) {
      throw new Error(`description-gaps.ts: ${schema} has no ${property} any more`);
    }
    corrected[schema] = {
      ...original,
      properties: { ...original.properties, [property]: { ...target, nullable: true } },
    };
  }
  return corrected;
}

function schemaType(schema: unknown): unknown {
  return typeof schema === 'object' && schema !== null
    ? (schema as { type?: unknown }).type
    : undefined;
}

/**
 * Ajv's errors one a line: `body/0/stargazers_count must be integer`. Where Ajv's path names the
 * description's schema (a `oneOf` branch, say) it is added, so `public-user` and `private-user`
 * can each say why they refused: `must have required property 'hireable' (public-user)`.
 */
function describe(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const extra =
      error.keyword === 'additionalProperties'
        ? ` '${(error.params as { additionalProperty: string }).additionalProperty}'`
        : '';
    const schema = /#\/definitions\/([^/]+)/.exec(error.schemaPath)?.[1];
    return `${where}${error.instancePath} ${error.message ?? error.keyword}${extra}${schema ? ` (${schema})` : ''}`;
  });
}
