import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** A JSON Schema as an OpenAPI document holds it: plain JSON, looked at loosely. */
export type Schema = Record<string, unknown>;

/** Where the document's `components.schemas` live once handed to Ajv; a name, never fetched. */
const COMPONENTS_ID = 'https://openapi.contract.test/components.json';

/** OpenAPI's own annotations, which say nothing about validity but must not trip strict mode. */
const OPENAPI_ANNOTATIONS = ['example', 'xml', 'externalDocs', 'discriminator'];

/**
 * Compiles the schemas of an OpenAPI document into validators for the answers it describes.
 *
 * - 3.0 schemas are JSON Schema draft-05 plus `nullable`: Ajv's draft-07 mode reads them, and Ajv
 *   implements `nullable` as OpenAPI 3.0.3 defines it, as an extra allowed type next to `type` in
 *   the same schema object only. So `{ nullable: true, allOf: [{ $ref }] }` still refuses null,
 *   exactly as a strict client or validating proxy does. 3.1 schemas are JSON Schema 2020-12.
 * - `$ref: '#/components/schemas/X'` is pointed at the document's own components.
 * - An object schema that lists its properties and says nothing of others is read as closed:
 *   a field the document does not name is a field no generated client knows about.
 * - Strict mode stays on, so an unknown keyword or `format` fails loudly instead of validating
 *   nothing.
 */
export class OpenApiSchemas {
  private readonly ajv: Ajv | Ajv2020;
  private readonly definitionsKey: '$defs' | 'definitions';
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(openapiVersion: string, components: Record<string, Schema> = {}) {
    if (/^3\.0\./.test(openapiVersion)) {
      this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
      this.definitionsKey = 'definitions';
    } else if (/^3\.1\./.test(openapiVersion)) {
      this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
      this.definitionsKey = '$defs';
    } else {
      throw new Error(`OpenAPI ${openapiVersion}: no JSON Schema dialect known for it`);
    }
    addFormats(this.ajv);
    this.ajv.addVocabulary(OPENAPI_ANNOTATIONS);
    const definitions = Object.fromEntries(
      Object.entries(components).map(([name, schema]) => [name, this.toJsonSchema(schema)]),
    );
    this.ajv.addSchema({ $id: COMPONENTS_ID, [this.definitionsKey]: definitions });
  }

  /** The problems of `value` against `schema`, one line each naming the field; empty when valid. */
  errorsOf(schema: Schema, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(this.toJsonSchema(schema));
      this.compiled.set(key, validate);
    }
    if (validate(value)) {
      return [];
    }
    return (validate.errors ?? []).map((error) => {
      const field = error.instancePath === '' ? '(the body)' : error.instancePath;
      const extra =
        'additionalProperty' in error.params ? `: ${String(error.params.additionalProperty)}` : '';
      return `${field} ${error.message ?? 'is invalid'}${extra}, got ${shortJson(
        valueAt(value, error.instancePath),
      )}`;
    });
  }

  private toJsonSchema(schema: unknown): Schema {
    return rewrite(schema, (ref) => {
      const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
      if (name === undefined) {
        throw new Error(`$ref ${ref}: only #/components/schemas/... is supported`);
      }
      return `${COMPONENTS_ID}#/${this.definitionsKey}/${name}`;
    }) as Schema;
  }
}

/** A deep copy with each `$ref` mapped and each listed-properties object schema closed. */
function rewrite(node: unknown, mapRef: (ref: string) => string): unknown {
  if (Array.isArray(node)) {
    return node.map((item) => rewrite(item, mapRef));
  }
  if (typeof node !== 'object' || node === null) {
    return node;
  }
  const copy: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      copy.$ref = mapRef(value);
    } else if (key === 'properties' || key === 'patternProperties') {
      // Property names are data, not keywords: a property called `$ref` stays itself.
      copy[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, sub]) => [name, rewrite(sub, mapRef)]),
      );
    } else if (key === 'example' || key === 'examples' || key === 'default') {
      copy[key] = value;
    } else {
      copy[key] = rewrite(value, mapRef);
    }
  }
  const composed = 'allOf' in copy || 'anyOf' in copy || 'oneOf' in copy;
  if ('properties' in copy && !('additionalProperties' in copy) && !composed) {
    copy.additionalProperties = false;
  }
  return copy;
}

function valueAt(value: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined,
      value,
    );
}

/** Enough of a value to recognise it in a failure message. */
function shortJson(value: unknown): string {
  const json = JSON.stringify(value) ?? 'undefined';
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
