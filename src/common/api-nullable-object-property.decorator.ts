import { Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, getSchemaPath, type SchemaObject } from '@nestjs/swagger';

/**
 * A schema only null satisfies. No `type` (3.0 has no `null` type, and `nullable` beside `type`
 * would admit a whole type more): an untyped schema admits every value, `enum` keeps only null.
 * openapi-typescript reads it as `null`.
 */
const ONLY_NULL: SchemaObject = { enum: [null] };

/**
 * Documents a property that holds a `model` object or null.
 *
 * `@ApiProperty({ type: Model, nullable: true })` does not say that: @nestjs/swagger writes it as
 * `{ nullable: true, type: 'object', allOf: [{ $ref }] }`, and OpenAPI 3.0.3 defines `nullable`
 * as adding null to the `type` of its own schema object only, so the `allOf` still refuses null
 * (as Ajv, validating proxies and strict client generators read it). The 3.0 way to say "this
 * model or null" is a choice between the reference and a schema that holds only null.
 */
export function ApiNullableObjectProperty(
  model: Type<unknown>,
  options: { description?: string } = {},
): PropertyDecorator {
  return (target, key) => {
    // The model is named only inside `oneOf`, where @nestjs/swagger does not look for models.
    ApiExtraModels(model)(target.constructor);
    ApiProperty({ ...options, oneOf: [{ $ref: getSchemaPath(model) }, ONLY_NULL] })(target, key);
  };
}
