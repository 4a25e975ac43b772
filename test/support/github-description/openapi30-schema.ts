/** A JSON Schema (draft-07, what Ajv speaks by default) converted from an OpenAPI 3.0 Schema Object. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
/** Keywords whose value is one schema or a list of schemas. */
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf']);

/**
 * OpenAPI 3.0 schemas are draft-05-like JSON Schema plus a few keywords Ajv does not know. This
 * rewrites those and nothing else, so nothing is loosened:
 * - `nullable: true` becomes `null` among the allowed types (and in `enum`). Where GitHub writes
 *   `nullable` next to `allOf`/`oneOf` without a `type` (3.0.3 would ignore it there), null is
 *   allowed too: that is what GitHub means, and what @octokit/openapi-types generates (`| null`).
 * - `discriminator` is dropped: it only tells tools which `oneOf` branch to try first, and plain
 *   `oneOf` is the stricter check (exactly one branch must match). Ajv cannot read its `mapping`.
 * - `example` and `x-*` extensions are documentation. `x-github-breaking-changes`, what API
 *   versions after 2022-11-28 changed, is applied before this conversion, by breaking-changes.ts
 *   (the service speaks 2026-03-10; the fake serves both); a property a version removed arrives
 *   here as `false` and stays so: forbidden.
 * `mapRef` rewrites each `$ref`, for where the converted schemas are kept.
 */
export function toJsonSchema(
  schema: unknown,
  mapRef: (ref: string) => string = (ref) => ref,
): JsonSchema {
  if (typeof schema !== 'object' || schema === null) {
    return schema as JsonSchema;
  }
  const convert = (inner: unknown): JsonSchema => toJsonSchema(inner, mapRef);
  const converted: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'example' || keyword === 'discriminator' || keyword.startsWith('x-')) {
      continue;
    }
    if (keyword === 'nullable') {
      continue;
    }
    converted[keyword] =
      keyword === '$ref' && typeof value === 'string'
        ? mapRef(value)
        : SCHEMA_MAPS.has(keyword)
          ? mapValues(value, convert)
          : SCHEMA_VALUES.has(keyword)
            ? Array.isArray(value)
              ? value.map(convert)
              : convert(value)
            : value;
  }
  return (schema as { nullable?: unknown }).nullable === true ? allowNull(converted) : converted;
}

function allowNull(schema: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) {
    schema.enum = [...(schema.enum as unknown[]), null];
  }
  if (typeof schema.type === 'string') {
    return { ...schema, type: [schema.type, 'null'] };
  }
  return { anyOf: [{ type: 'null' }, schema] };
}

function mapValues(value: unknown, convert: (schema: unknown) => JsonSchema): unknown {
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, convert(schema)]));
}
