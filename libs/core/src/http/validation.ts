import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ErrorDetail, ValidationFailedError } from '../errors/domain-error';

/**
 * What is wrong, without the field's name that class-validator (and our own messages) start with:
 * `quantity must not be less than 1` becomes `must not be less than 1`, since the detail names the
 * field already and the summary puts the full path in front.
 */
export function reasonWithoutField(property: string, message: string): string {
  if (/^property (\S+) should not exist$/.test(message)) return 'is not a known field';
  const prefix = `${property} `;
  return message.startsWith(prefix) && message.length > prefix.length ? message.slice(prefix.length) : message;
}

/** Flattens class-validator errors into `lines[2].quantity`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const path = parent === '' ? (isIndex ? `[${error.property}]` : error.property) : isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      field: path,
      reason: reasonWithoutField(error.property, reason),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

/** Paths of every string in a JSON value that holds a NUL character (PostgreSQL cannot store it). */
export function findNulCharacters(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || 'body'] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => findNulCharacters(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [...(key.includes('\u0000') ? [path ? `${path}.${key}` : key] : []), ...findNulCharacters(item, path ? `${path}.${key}` : key)]);
  }
  return [];
}

export function assertNoNulCharacters(value: unknown): void {
  // JSON writes U+0000 as \u0000: one pass over the text clears a 5,000-row body before any path is built.
  if (!mayHoldNul(value)) return;
  const fields = findNulCharacters(value);
  if (fields.length > 0) {
    throw new ValidationFailedError(
      `Text may not contain NUL characters (\\u0000): ${fields.slice(0, 3).join(', ')}`,
      fields.map((field) => ({ field, reason: 'contains a NUL character (\\u0000)' })),
    );
  }
}

function mayHoldNul(value: unknown): boolean {
  try {
    return JSON.stringify(value)?.includes('\\u0000') ?? false;
  } catch {
    return true;
  }
}

/**
 * A DTO whose bodies come in thousands of rows may say, with a static `acceptsAsIs`, that a plain
 * value is one class-validator would accept unchanged; the pipe then hands the value on as it is and
 * skips building and validating an instance per row. It must answer false whenever unsure: the pipe
 * then validates as usual, so every error still comes from the decorators.
 */
export interface AcceptsAsIs {
  acceptsAsIs(value: unknown): boolean;
}

function acceptedAsIs(metatype: unknown, value: unknown): boolean {
  const check = (metatype as Partial<AcceptsAsIs> | undefined)?.acceptsAsIs;
  return typeof check === 'function' && check.call(metatype, value) === true;
}

class GongxiaoValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') assertNoNulCharacters(value);
    if (metadata.type === 'body' && metadata.data === undefined && typeof metadata.metatype === 'function' && ![Object, Array].includes(metadata.metatype as never)) {
      // No body at all reads as {} (every field then checked); `null`, an array or a bare value is refused.
      if (value === undefined) value = {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ValidationFailedError('The body must be a JSON object.', [{ field: 'body', reason: 'must be a JSON object' }]);
      }
    }
    if (metadata.type === 'body' && acceptedAsIs(metadata.metatype, value)) return value;
    return super.transform(value, metadata);
  }
}

/** The global pipe: strip nothing silently, reject unknown fields, convert types, name every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new GongxiaoValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const summary = details
        .slice(0, 3)
        .map((detail) => `${detail.field} ${detail.reason}`)
        .join('; ');
      return new ValidationFailedError(`The request is invalid: ${summary}${details.length > 3 ? '; …' : ''}`, details);
    },
  });
}

/**
 * Validates a body by hand (routes that must authenticate before they validate, e.g. signed pushes).
 * A body the type's `acceptsAsIs` vouches for comes back as it is (the same object, not a copy).
 */
export async function validateBody<T extends object>(type: new () => T, body: unknown): Promise<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationFailedError('The body must be a JSON object.', [{ field: 'body', reason: 'must be a JSON object' }]);
  }
  assertNoNulCharacters(body);
  if (acceptedAsIs(type, body)) return body as T;
  const instance = plainToInstance(type, body);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length > 0) {
    const details = flattenValidationErrors(errors);
    const summary = details
      .slice(0, 3)
      .map((detail) => `${detail.field} ${detail.reason}`)
      .join('; ');
    throw new ValidationFailedError(`The request is invalid: ${summary}${details.length > 3 ? '; …' : ''}`, details);
  }
  return instance;
}
