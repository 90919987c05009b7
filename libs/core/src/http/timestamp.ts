import { ValidationOptions, registerDecorator } from 'class-validator';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** A date (2026-11-22) or an RFC 3339 timestamp with its offset (2026-11-22T10:00:00+08:00). */
export function isTimestamp(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = RFC3339.exec(value);
  if (!match) return false;
  const [, , month, day, hour, minute, second] = match;
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return false;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) return false;
  return Number.isFinite(Date.parse(value));
}

export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a date or an ISO-8601 timestamp with offset, like 2026-11-22T10:00:00+08:00`, ...options },
      validator: { validate: isTimestamp },
    });
}
