import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { InvalidRequestError } from './invalid-request.error';

/**
 * The global ValidationPipe, plus one rule it cannot enforce alone: a query key that is not a
 * declared parameter is a 400 even when it is named like a built-in method (`constructor`,
 * `toString`), which class-transformer drops before the whitelist ever sees it.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: true,
      exceptionFactory: (errors) => InvalidRequestError.fromValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'query' &&
      metadata.metatype &&
      typeof value === 'object' &&
      value !== null
    ) {
      const declared = new Set(
        getMetadataStorage()
          .getTargetValidationMetadatas(metadata.metatype, '', true, false)
          .map((m) => m.propertyName),
      );
      const unknown = Object.keys(value).filter((key) => !declared.has(key));
      if (unknown.length > 0) {
        throw new InvalidRequestError(
          unknown.map((key) => ({ parameter: key, message: `property ${key} should not exist` })),
        );
      }
    }
    return super.transform(value, metadata);
  }
}
