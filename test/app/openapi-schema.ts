/** The parts of an OpenAPI 3.0 document the dashboard tests read. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  pattern?: string;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
}

export interface OperationResponse {
  description?: string;
  content?: Record<string, { schema: Schema }>;
  headers?: Record<string, unknown>;
}

export interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  responses: Record<string, OperationResponse>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/**
 * Where `value` disagrees with `schema`: a wrong type, a required property missing, a property the
 * schema does not document, a date-time that does not parse. Empty when the body is described
 * exactly. A small checker of the keywords the service's document uses, not a full validator.
 */
export function schemaMismatches(
  doc: OpenApiDocument,
  schema: Schema,
  value: unknown,
  at = '$',
): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    return target
      ? schemaMismatches(
          doc,
          { ...target, nullable: schema.nullable ?? target.nullable },
          value,
          at,
        )
      : [`${at}: unknown $ref ${schema.$ref}`];
  }
  if (schema.oneOf) {
    const branches = schema.oneOf.map((part) => schemaMismatches(doc, part, value, at));
    const matching = branches.filter((mismatches) => mismatches.length === 0).length;
    return matching === 1
      ? []
      : [`${at}: matches ${matching} of the oneOf branches, not exactly one`, ...branches.flat()];
  }
  if (value === null) {
    // `{ enum: [null] }` is how OpenAPI 3.0 says "only null" beside a $ref (a oneOf branch).
    return schema.nullable || schema.enum?.includes(null) ? [] : [`${at}: null, but not nullable`];
  }
  if (schema.allOf) {
    return schema.allOf.flatMap((part) => schemaMismatches(doc, part, value, at));
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  }
  switch (schema.type) {
    case 'object':
    case undefined:
      return objectMismatches(doc, schema, value, at);
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) =>
            schema.items ? schemaMismatches(doc, schema.items, item, `${at}[${i}]`) : [],
          )
        : [`${at}: not an array`];
    case 'string':
      if (typeof value !== 'string') return [`${at}: not a string`];
      return schema.format === 'date-time' && Number.isNaN(Date.parse(value))
        ? [`${at}: not a date-time`]
        : [];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: not a number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
    default:
      return [`${at}: unhandled schema type ${schema.type}`];
  }
}

function objectMismatches(
  doc: OpenApiDocument,
  schema: Schema,
  value: unknown,
  at: string,
): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${at}: not an object`];
  }
  const properties = schema.properties ?? {};
  const record = value as Record<string, unknown>;
  return [
    ...(schema.required ?? [])
      .filter((name) => !(name in record))
      .map((name) => `${at}.${name}: required, missing`),
    ...Object.keys(record)
      .filter((name) => !(name in properties))
      .map((name) => `${at}.${name}: not documented`),
    ...Object.entries(properties).flatMap(([name, property]) =>
      name in record ? schemaMismatches(doc, property, record[name], `${at}.${name}`) : [],
    ),
  ];
}
