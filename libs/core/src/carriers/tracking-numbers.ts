import { Transform } from 'class-transformer';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { resolveCarrier } from './carriers';

type Language = 'zh-CN' | 'en';

/** The shape a carrier's tracking numbers take: one or more patterns and how to say it in words. */
interface TrackingShape {
  patterns: RegExp[];
  shape: Record<Language, string>;
}

/** Any carrier without a shape of its own (a local courier, and carriers whose numbers vary): letters, digits or -. */
const GENERIC: TrackingShape = {
  patterns: [/^[A-Z0-9-]{4,40}$/],
  shape: { en: 'tracking numbers are 4 to 40 letters, digits or -', 'zh-CN': '快递单号应为 4 到 40 位字母、数字或 -' },
};

/**
 * Realistic shapes, not a check digit: a number in the wrong carrier's shape (a ZTO number under SF)
 * or a typo of a few digits is refused, while every shape a carrier issues today is accepted.
 */
const SHAPES: Record<string, TrackingShape> = {
  SF: { patterns: [/^SF\d{12,13}$/], shape: { en: 'SF tracking numbers are SF followed by 12 or 13 digits', 'zh-CN': '顺丰单号应为 SF 加 12 或 13 位数字' } },
  ZTO: { patterns: [/^[5-7]\d{11,14}$/], shape: { en: 'ZTO tracking numbers are 12 to 15 digits starting with 5, 6 or 7', 'zh-CN': '中通单号应为 5、6 或 7 开头的 12 到 15 位数字' } },
  YTO: { patterns: [/^YT\d{13}$/], shape: { en: 'YTO tracking numbers are YT followed by 13 digits', 'zh-CN': '圆通单号应为 YT 加 13 位数字' } },
  STO: {
    patterns: [/^(77|88|66|55)\d{10,13}$/],
    shape: { en: 'STO tracking numbers are 12 to 15 digits starting with 77, 88, 66 or 55', 'zh-CN': '申通单号应为 77、88、66 或 55 开头的 12 到 15 位数字' },
  },
  YUNDA: { patterns: [/^\d{13,15}$/], shape: { en: 'Yunda tracking numbers are 13 to 15 digits', 'zh-CN': '韵达单号应为 13 到 15 位数字' } },
  JTSD: { patterns: [/^JT\d{13}$/], shape: { en: 'J&T tracking numbers are JT followed by 13 digits', 'zh-CN': '极兔单号应为 JT 加 13 位数字' } },
  JD: {
    patterns: [/^JD[0-9A-Z]{8,20}$/],
    shape: { en: 'JD tracking numbers are JD followed by 8 to 20 letters or digits (JDVA…, JDX…)', 'zh-CN': '京东单号应为 JD 加 8 到 20 位字母或数字（如 JDVA…、JDX…）' },
  },
  EMS: {
    patterns: [/^[A-Z]{2}\d{9}[A-Z]{2}$/, /^1\d{12}$/],
    shape: { en: 'EMS tracking numbers are 13 characters like EA123456789CN, or 13 digits starting with 1', 'zh-CN': 'EMS 单号应为 13 位，如 EA123456789CN，或 1 开头的 13 位数字' },
  },
  POSTB: { patterns: [/^9\d{12}$/], shape: { en: 'China Post parcel numbers are 13 digits starting with 9', 'zh-CN': '邮政快递包裹单号应为 9 开头的 13 位数字' } },
  DBKD: {
    patterns: [/^DPK\d{6,15}$/, /^\d{10,12}$/],
    shape: { en: 'Deppon tracking numbers are DPK followed by digits, or 10 to 12 digits', 'zh-CN': '德邦单号应为 DPK 加数字，或 10 到 12 位数字' },
  },
};

/** A tracking number as stored and compared: full-width folded (NFKC), spaces dropped, upper case. */
export function normalizeTrackingNumber(trackingNumber: string): string {
  return trackingNumber
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .toUpperCase();
}

function problemOf(carrierCode: string, trackingNumber: string): { shape: TrackingShape; number: string } | null {
  const carrier = resolveCarrier(carrierCode);
  const shape = (carrier && SHAPES[carrier.code]) ?? GENERIC;
  const number = normalizeTrackingNumber(typeof trackingNumber === 'string' ? trackingNumber : '');
  return shape.patterns.some((pattern) => pattern.test(number)) ? null : { shape, number };
}

/**
 * Null when the (normalized) tracking number is plausible for the carrier, else an English reason
 * naming the shape expected ("SF tracking numbers are SF followed by 12 or 13 digits"). An unknown
 * carrier is checked against the generic shape (the carrier itself is refused on its own field).
 */
export function trackingNumberProblem(carrierCode: string, trackingNumber: string): string | null {
  return problemOf(carrierCode, trackingNumber)?.shape.shape.en ?? null;
}

/** The same check with the reason in the user's language, quoting the number as read. */
export function trackingNumberProblemText(carrierCode: string, trackingNumber: string, language: Language): string | null {
  const problem = problemOf(carrierCode, trackingNumber);
  if (!problem) return null;
  if (problem.number === '') return language === 'en' ? 'the tracking number is empty' : '快递单号为空';
  const name = resolveCarrier(carrierCode)?.name[language] ?? carrierCode;
  return language === 'en' ? `"${problem.number}" is not a plausible ${name} tracking number: ${problem.shape.shape.en}` : `“${problem.number}”不像${name}的快递单号：${problem.shape.shape['zh-CN']}`;
}

/**
 * DTO field: a tracking number, normalized (so it is stored as the carrier prints it), that must be
 * plausible for the carrier in the sibling property `carrierProperty` (default `carrierCode`).
 */
export function IsPlausibleTrackingNumber(carrierProperty = 'carrierCode', options: ValidationOptions = {}): PropertyDecorator {
  const transform = Transform(({ value }) => (typeof value === 'string' ? normalizeTrackingNumber(value) : value));
  return (target: object, propertyKey: string | symbol) => {
    transform(target, propertyKey);
    registerDecorator({
      name: 'isPlausibleTrackingNumber',
      target: target.constructor,
      propertyName: String(propertyKey),
      constraints: [carrierProperty],
      options: {
        message: (args: ValidationArguments) => {
          const carrier = String((args.object as Record<string, unknown>)[carrierProperty] ?? '');
          const reason = trackingNumberProblem(carrier, typeof args.value === 'string' ? args.value : '') ?? 'tracking numbers are at most 40 characters';
          return `${args.property} is not a plausible ${resolveCarrier(carrier)?.code ?? carrier} tracking number: ${reason}`;
        },
        ...options,
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          typeof value === 'string' && value.length <= 40 && trackingNumberProblem(String((args.object as Record<string, unknown>)[carrierProperty] ?? ''), value) === null,
      },
    });
  };
}

/** Prefix and digit count of a plausible number per carrier, for demos and test fixtures. */
const EXAMPLE_FORMS: Record<string, [prefix: string, digits: number]> = {
  SF: ['SF', 13],
  ZTO: ['7', 13],
  YTO: ['YT', 13],
  STO: ['77', 12],
  YUNDA: ['4', 12],
  JTSD: ['JT', 13],
  JD: ['JDX', 12],
  EMS: ['1', 12],
  POSTB: ['9', 12],
  DBKD: ['DPK', 12],
};

/**
 * A plausible tracking number of the carrier built from `serial` (its last digits, zero-padded):
 * unique serials give unique numbers, e.g. `exampleTrackingNumber('SF', 42)` is SF0000000000042.
 */
export function exampleTrackingNumber(carrierCode: string, serial: string | number | bigint): string {
  const code = resolveCarrier(carrierCode)?.code ?? carrierCode;
  const [prefix, digits] = EXAMPLE_FORMS[code] ?? ['X', 12];
  return `${prefix}${String(serial).replace(/\D/g, '').padStart(digits, '0').slice(-digits)}`;
}

/**
 * The same shapes for a set-based check in PostgreSQL (`tracking_number ~ pattern`): one row per
 * carrier code and pattern, the generic shape under code `*` (for carriers without one of their own).
 * The patterns use only syntax both JavaScript and PostgreSQL read alike (anchors, classes, counts).
 */
export function trackingShapesForSql(): { codes: string[]; patterns: string[] } {
  const rows = [...Object.entries(SHAPES), ['*', GENERIC] as const].flatMap(([code, shape]) => shape.patterns.map((pattern) => ({ code, pattern: pattern.source })));
  return { codes: rows.map((row) => row.code), patterns: rows.map((row) => row.pattern) };
}
