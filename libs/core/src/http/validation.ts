import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, ValidationFailedError } from '../errors/domain-error';

/** Flattens class-validator errors into `lines[2].quantity`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const path = parent === '' ? (isIndex ? `[${error.property}]` : error.property) : isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      field: path,
      reason: reason.replace(/^property (\S+) should not exist$/, 'is not a known field'),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

/** The global pipe: strip nothing silently, reject unknown fields, convert types, name every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const summary = details.slice(0, 3).map((detail) => `${detail.field} ${detail.reason}`).join('; ');
      return new ValidationFailedError(`The request is invalid: ${summary}${details.length > 3 ? '; …' : ''}`, details);
    },
  });
}
