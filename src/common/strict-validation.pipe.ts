import { CacheableMemory } from '@cacheable/memory';
import { ArgumentMetadata, Injectable, Type, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { InvalidRequestError } from './invalid-request.error';

/** Validated parameter objects kept for reuse: dashboards send the same few queries again and again. */
const VALIDATED_MEMO_SIZE = 2000;

/**
 * The global ValidationPipe, plus one rule it cannot enforce alone: a query key that is not a
 * declared parameter is a 400 even when it is named like a built-in method (`constructor`,
 * `toString`), which class-transformer drops before the whitelist ever sees it. Valid path and
 * query objects are memoised by value, so a repeated request skips transformation and validation
 * (the DTOs are read, never mutated, by the controllers).
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  private readonly declaredKeys = new WeakMap<Type<unknown>, Set<string>>();
  private readonly validated = new CacheableMemory({
    lruSize: VALIDATED_MEMO_SIZE,
    useClone: false,
    storeHashSize: 1,
  });

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
    const { metatype, type } = metadata;
    if (
      (type !== 'query' && type !== 'param') ||
      !metatype ||
      typeof value !== 'object' ||
      value === null
    ) {
      return super.transform(value, metadata);
    }
    const memoKey = `${type}:${metatype.name}:${JSON.stringify(value)}`;
    const known = this.validated.get<unknown>(memoKey);
    if (known !== undefined) {
      return known;
    }
    if (type === 'query') {
      this.rejectUndeclaredKeys(value, metatype);
    }
    const result: unknown = await super.transform(value, metadata);
    this.validated.set(memoKey, result);
    return result;
  }

  private rejectUndeclaredKeys(value: object, metatype: Type<unknown>): void {
    let declared = this.declaredKeys.get(metatype);
    if (!declared) {
      declared = new Set(
        getMetadataStorage()
          .getTargetValidationMetadatas(metatype, '', true, false)
          .map((m) => m.propertyName),
      );
      this.declaredKeys.set(metatype, declared);
    }
    const unknown = Object.keys(value).filter((key) => !declared.has(key));
    if (unknown.length > 0) {
      throw new InvalidRequestError(
        unknown.map((key) => ({ parameter: key, message: `property ${key} should not exist` })),
      );
    }
  }
}
