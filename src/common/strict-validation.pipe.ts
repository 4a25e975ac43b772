import { ArgumentMetadata, Injectable, Type, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { LRUCache } from 'lru-cache';
import { InvalidRequestError } from './invalid-request.error';

/** Validated parameter objects kept for reuse: dashboards send the same few queries again and again. */
const VALIDATED_MEMO_SIZE = 2000;
/** Keys are request values, so bytes are bounded too: a flood of long distinct queries stays small. */
const VALIDATED_MEMO_BYTES = 2 * 1024 * 1024;

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
  private readonly validated = new LRUCache<string, object>({
    max: VALIDATED_MEMO_SIZE,
    maxSize: VALIDATED_MEMO_BYTES,
    sizeCalculation: (_value, key) => 2 * key.length + 64,
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
    const known = this.validated.get(memoKey);
    if (known !== undefined) {
      return known;
    }
    if (type === 'query') {
      this.rejectUndeclaredKeys(value, metatype);
    }
    const result: unknown = await super.transform(value, metadata);
    if (typeof result === 'object' && result !== null) {
      this.validated.set(memoKey, result);
    }
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
