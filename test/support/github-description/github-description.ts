import { readFileSync } from 'node:fs';

/** The parts of an OpenAPI 3.0 document the contract check reads. */
export interface OpenApiResponse {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, OpenApiHeader | OpenApiRef>;
}
export interface OpenApiHeader {
  schema?: unknown;
  required?: boolean;
}
export interface OpenApiRef {
  $ref: string;
}
export interface OpenApiOperation {
  operationId: string;
  responses: Record<string, OpenApiResponse | OpenApiRef>;
}
export interface GithubDescription {
  openapi: string;
  /** Path items hold parameters and servers beside the operations, keyed by lower-case method. */
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, OpenApiResponse>;
    headers: Record<string, OpenApiHeader>;
  };
}

/** Which description: GitHub's own (github/rest-api-description) for api.github.com, as @octokit/openapi packages it. */
export const DESCRIPTION_PACKAGE = '@octokit/openapi';
const DESCRIPTION_FILE = `${DESCRIPTION_PACKAGE}/generated/api.github.com.json`;

let loaded: GithubDescription | undefined;

/**
 * GitHub's REST API description for api.github.com, read once per test file (~13 MB, ~0.1 s).
 * The `$ref`s stay in place (Ajv resolves them), rather than the 70 MB `.deref.json`.
 */
export function githubDescription(): GithubDescription {
  loaded ??= JSON.parse(
    readFileSync(require.resolve(DESCRIPTION_FILE), 'utf8'),
  ) as GithubDescription;
  // The schema conversion (openapi30-schema.ts) is for 3.0; a 3.1 description is JSON Schema
  // 2020-12 already and wants Ajv2020 without the conversion.
  if (!loaded.openapi.startsWith('3.0.')) {
    throw new Error(
      `${DESCRIPTION_FILE} is OpenAPI ${loaded.openapi}; the contract check reads 3.0 only`,
    );
  }
  return loaded;
}

/** The packaged version, for messages and the README: `@octokit/openapi@23.0.2`. */
export function descriptionVersion(): string {
  const { version } = JSON.parse(
    readFileSync(require.resolve(`${DESCRIPTION_PACKAGE}/package.json`), 'utf8'),
  ) as { version: string };
  return `${DESCRIPTION_PACKAGE}@${version}`;
}
