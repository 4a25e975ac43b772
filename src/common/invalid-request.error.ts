import { BadRequestException, ValidationError } from '@nestjs/common';

export interface InvalidParameter {
  parameter: string;
  message: string;
}

/** A 400 that lists every wrong parameter with the rule it broke. */
export class InvalidRequestError extends BadRequestException {
  constructor(readonly invalidParameters: InvalidParameter[]) {
    super(invalidParameters.map((p) => p.message).join('; '));
  }

  /** `exceptionFactory` for the global ValidationPipe. */
  static fromValidationErrors(errors: ValidationError[]): InvalidRequestError {
    return new InvalidRequestError(
      errors.map((error) => ({
        parameter: error.property,
        message: Object.values(error.constraints ?? {})[0] ?? `${error.property} is invalid`,
      })),
    );
  }
}
