import { ValidateBy, ValidationOptions } from 'class-validator';

/** At most this many options on a line (an offer declares at most 10; room for a few unknown ones, which routing names). */
export const MAX_LINE_CUSTOMIZATION_KEYS = 20;
/** The longest value stored as sent; routing holds the line when it is longer than its option allows. */
export const MAX_LINE_CUSTOMIZATION_VALUE = 1000;

/** Half of a surrogate pair alone: PostgreSQL's jsonb refuses it, so it is refused at the boundary. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NUL = /\u0000/;

/**
 * A line's customization as a shop sends it: an object of option keys (1–64 characters) to texts.
 * Only the shape is checked at ingest (the order is stored as sent); what the origin offer allows is
 * checked at routing, where a bad value holds the order with a reason naming the key.
 */
export function IsCustomizationValues(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCustomizationValues',
      validator: {
        validate: (value: unknown) => {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          return (
            entries.length <= MAX_LINE_CUSTOMIZATION_KEYS &&
            entries.every(
              ([key, text]) =>
                key.length >= 1 &&
                key.length <= 64 &&
                typeof text === 'string' &&
                text.length <= MAX_LINE_CUSTOMIZATION_VALUE &&
                ![key, text].some((part) => LONE_SURROGATE.test(part) || NUL.test(part)),
            )
          );
        },
        defaultMessage: () =>
          `customization must be an object of at most ${MAX_LINE_CUSTOMIZATION_KEYS} option keys (1-64 characters) to texts of at most ${MAX_LINE_CUSTOMIZATION_VALUE} characters (valid Unicode, no NUL)`,
      },
    },
    options,
  );
}
