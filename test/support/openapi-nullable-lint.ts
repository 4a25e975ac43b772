const COMBINATORS = ['allOf', 'anyOf', 'oneOf', '$ref'];

/**
 * Where an OpenAPI 3.0 document says `nullable: true` in a way that admits no null: OpenAPI 3.0.3
 * makes `nullable` add null to the `type` of its own schema object only, so without a `type` it
 * does nothing, and beside `allOf`/`anyOf`/`oneOf`/`$ref` those still have to accept the null.
 * (`@ApiProperty({ type: Model, nullable: true })` writes exactly that.) The contract test catches
 * such a field once a fake sends null; this finds it even where no fake does.
 */
export function ineffectiveNullables(node: unknown, pointer = '#'): string[] {
  if (Array.isArray(node)) {
    return node.flatMap((item, i) => ineffectiveNullables(item, `${pointer}/${i}`));
  }
  if (typeof node !== 'object' || node === null) {
    return [];
  }
  const schema = node as Record<string, unknown>;
  const here =
    schema.nullable === true &&
    (schema.type === undefined || COMBINATORS.some((keyword) => keyword in schema))
      ? [pointer]
      : [];
  return [
    ...here,
    ...Object.entries(schema)
      .filter(([key]) => key !== 'example' && key !== 'examples')
      .flatMap(([key, value]) =>
        ineffectiveNullables(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
      ),
  ];
}
