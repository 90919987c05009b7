import { ErrorDetail, ValidationFailedError } from '@gongxiao/core';

/** What a buyer may set per line (轻定制): text on the product, a choice from a list, or a file's URL. */
export const CUSTOMIZATION_KINDS = ['text', 'choice', 'file_url'] as const;
export type CustomizationKind = (typeof CUSTOMIZATION_KINDS)[number];

export const MAX_CUSTOMIZATION_OPTIONS = 10;
export const MAX_CUSTOMIZATION_CHOICES = 20;
export const MAX_CUSTOMIZATION_TEXT = 200;
export const MAX_CUSTOMIZATION_URL = 500;

export interface CustomizationChoice {
  value: string;
  label: string;
  /** Fen per unit added to the price of every hop when this choice is chosen. */
  extraPriceAmount: number;
}

/** One option as stored on the origin offer: every field present (null / [] / 0 where the kind has none). */
export interface CustomizationOption {
  key: string;
  label: string;
  kind: CustomizationKind;
  required: boolean;
  /** Text options: the longest text, in characters (default 200). */
  maxLength: number | null;
  /** Choice options: the list to choose from. */
  choices: CustomizationChoice[];
  /** Text and file_url options: fen per unit added when the option is set (0: free). */
  extraPriceAmount: number;
}

/** The options as a seller declares them (the DTO's shape, already type-checked field by field). */
export interface CustomizationOptionInput {
  key: string;
  label: string;
  kind: CustomizationKind;
  required?: boolean;
  maxLength?: number;
  choices?: CustomizationChoice[];
  extraPriceAmount?: number;
}

/**
 * Checks what class-validator cannot see field by field (keys unique, choices only on choice options
 * and at least one there, values unique, a length only on text) and returns the options as stored.
 * Throws naming every bad field (`options[2].choices[0].value`).
 */
export function declaredOptions(inputs: CustomizationOptionInput[]): CustomizationOption[] {
  const problems: ErrorDetail[] = [];
  const keys = new Set<string>();
  inputs.forEach((input, index) => {
    const at = `options[${index}]`;
    if (keys.has(input.key)) problems.push({ field: `${at}.key`, reason: `"${input.key}" is declared twice` });
    keys.add(input.key);
    if (input.kind === 'choice') {
      if (!input.choices || input.choices.length === 0) problems.push({ field: `${at}.choices`, reason: 'a choice option needs at least one choice' });
      if (input.extraPriceAmount !== undefined) problems.push({ field: `${at}.extraPriceAmount`, reason: 'a choice option is priced per choice (choices[].extraPriceAmount)' });
      const values = new Set<string>();
      (input.choices ?? []).forEach((choice, choiceIndex) => {
        if (values.has(choice.value.trim())) problems.push({ field: `${at}.choices[${choiceIndex}].value`, reason: `"${choice.value}" is listed twice` });
        values.add(choice.value.trim());
      });
    } else if (input.choices !== undefined) {
      problems.push({ field: `${at}.choices`, reason: `only choice options have choices (this one is ${input.kind})` });
    }
    if (input.maxLength !== undefined && input.kind !== 'text') problems.push({ field: `${at}.maxLength`, reason: `only text options have a maxLength (this one is ${input.kind})` });
  });
  if (problems.length > 0) throw new ValidationFailedError(`The customization options are not valid: ${problems.map((problem) => `${problem.field} ${problem.reason}`).join('; ')}.`, problems);
  return inputs.map((input) => ({
    key: input.key,
    label: input.label.trim(),
    kind: input.kind,
    required: input.required ?? false,
    maxLength: input.kind === 'text' ? (input.maxLength ?? MAX_CUSTOMIZATION_TEXT) : null,
    choices: input.kind === 'choice' ? (input.choices ?? []).map((choice) => ({ value: choice.value.trim(), label: choice.label.trim(), extraPriceAmount: choice.extraPriceAmount })) : [],
    extraPriceAmount: input.kind === 'choice' ? 0 : (input.extraPriceAmount ?? 0),
  }));
}

/** A line's customization checked against its origin offer's options, normalized. */
export interface LineCustomization {
  /** Keys sorted, values trimmed, empty values dropped. */
  values: Record<string, string>;
  /** A stable canonical string of `values` ('' for none): what made-to-order runs group by. */
  key: string;
  /** "刻字: 生日快乐；包装: 礼盒" in the options' order, with choice labels: the order sheet's 定制 cell. */
  label: string;
  /** Fen per unit, summed over the chosen options: added to the price of every hop. */
  extraAmount: number;
}

/** Why a line's customization cannot be used, naming the option's key. */
export interface CustomizationProblem {
  key: string;
  reason: string;
}

export type CustomizationCheck = ({ ok: true } & LineCustomization) | { ok: false; problems: CustomizationProblem[] };

export const NO_CUSTOMIZATION: LineCustomization = { values: {}, key: '', label: '', extraAmount: 0 };

// C0 and C1 control characters (tabs and newlines included): they would break sheets, labels and ERP payloads.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Half of a surrogate pair alone: not text (it cannot be encoded into a key, a sheet or a payload). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Keys sorted by code point (keys are a–z, 0–9 and _): the same values give the same order whatever order they came in. */
function sortedKeys(values: Record<string, unknown>): string[] {
  return Object.keys(values).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The canonical string of normalized values: `key=value` pairs, percent-encoded, in key order, joined by `&`. */
export function customizationKey(values: Record<string, string>): string {
  return sortedKeys(values)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(values[key])}`)
    .join('&');
}

function isHttpUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** What is wrong with one value of one option, or null. */
function valueProblem(option: CustomizationOption, value: string): string | null {
  if (CONTROL.test(value)) return 'contains control characters (line breaks, tabs)';
  if (LONE_SURROGATE.test(value)) return 'is not valid text (a broken character)';
  if (option.kind === 'text' && [...value].length > (option.maxLength ?? MAX_CUSTOMIZATION_TEXT)) {
    return `is ${[...value].length} characters long, at most ${option.maxLength ?? MAX_CUSTOMIZATION_TEXT} allowed`;
  }
  if (option.kind === 'choice' && !option.choices.some((choice) => choice.value === value)) {
    return `"${value}" is not one of ${option.choices.map((choice) => `"${choice.value}"`).join(', ')}`;
  }
  if (option.kind === 'file_url') {
    if (value.length > MAX_CUSTOMIZATION_URL) return `is ${value.length} characters long, at most ${MAX_CUSTOMIZATION_URL} allowed`;
    if (!isHttpUrl(value)) return 'is not an http(s) URL';
  }
  return null;
}

/**
 * Checks a line's customization (as the shop sent it; absent or null: none) against the origin
 * offer's options and normalizes it. Problems: a key the offer does not declare, a value that is
 * not a string, a required option missing (an empty value is missing), text too long, a choice not
 * in the list, a file URL that is not http(s) or too long, control characters. Pure; idempotent on
 * its own output (`checkCustomization(options, result.values)` gives the same result).
 */
export function checkCustomization(options: CustomizationOption[], raw: unknown): CustomizationCheck {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problems: [{ key: '', reason: 'customization must be an object of option keys to texts' }] };
  const given = raw as Record<string, unknown>;
  const byKey = new Map(options.map((option) => [option.key, option]));
  const problems: CustomizationProblem[] = [];
  const values: Record<string, string> = {};
  for (const key of sortedKeys(given)) {
    const option = byKey.get(key);
    const value = given[key];
    if (!option) {
      problems.push({ key, reason: 'is not an option of this product' });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') {
      problems.push({ key, reason: 'must be a text' });
      continue;
    }
    const trimmed = value.trim();
    if (trimmed === '') continue;
    const problem = valueProblem(option, trimmed);
    if (problem) problems.push({ key, reason: problem });
    else values[key] = trimmed;
  }
  for (const option of options) {
    if (option.required && values[option.key] === undefined && !problems.some((problem) => problem.key === option.key)) problems.push({ key: option.key, reason: 'is required' });
  }
  if (problems.length > 0) return { ok: false, problems };
  const chosen = options.filter((option) => values[option.key] !== undefined);
  const extraOf = (option: CustomizationOption) => (option.kind === 'choice' ? option.choices.find((choice) => choice.value === values[option.key])!.extraPriceAmount : option.extraPriceAmount);
  const shown = (option: CustomizationOption) => (option.kind === 'choice' ? option.choices.find((choice) => choice.value === values[option.key])!.label : values[option.key]);
  return {
    ok: true,
    values,
    key: customizationKey(values),
    label: chosen.map((option) => `${option.label}: ${shown(option)}`).join('；'),
    extraAmount: chosen.reduce((sum, option) => sum + extraOf(option), 0),
  };
}
