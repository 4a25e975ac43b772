import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsInt,
  IsOptional,
  Max,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';

/**
 * Thrown when an environment variable is missing or wrong. Its message is one line that names
 * the variable and the rule, so an operator can fix the deployment without reading code.
 */
export class InvalidEnvironmentError extends Error {
  override readonly name = 'InvalidEnvironmentError';
}

/**
 * Validates the slice of the environment one config namespace owns. The class's property names
 * are the variable names; class-transformer turns strings into numbers where the class says so.
 */
export function validateEnv<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const slice = plainToInstance(schema, withoutEmptyValues(env), { exposeDefaultValues: true });
  const errors = validateSync(slice, { stopAtFirstError: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(errors.map(describeError).join('; '));
  }
  return slice;
}

/** The variables a schema reads: its validated properties, named after them. */
export function variablesOf(schema: new () => object): string[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(schema, '', true, false)
    .map((metadata) => metadata.propertyName);
}

function describeError(error: ValidationError): string {
  const rules = Object.values(error.constraints ?? {}).join(', ');
  return `Invalid environment variable ${error.property}: ${rules}`;
}

/** `.env` files and compose often carry `NAME=` for "not set"; treat it as unset, not as a value. */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

/** For `@Transform`: a decimal string becomes a number; anything else is left for the validator to reject. */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** An optional integer variable within bounds, with one message that names it and its range. */
export function OptionalIntegerEnv(name: string, min: number, max: number): PropertyDecorator {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return applyDecorators(
    IsOptional(),
    Transform(toInteger),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
}
