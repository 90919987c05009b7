import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** Platforms and trackers whose carrier codes differ from Gongxiao's own. */
export const CARRIER_PLATFORMS = ['kuaidi100', 'wechat_shop'] as const;
export type CarrierPlatform = (typeof CARRIER_PLATFORMS)[number];

export interface Carrier {
  /** Gongxiao's code (the one stored and sent in events). */
  code: string;
  name: { 'zh-CN': string; en: string };
  /** Other spellings people and systems use: short and long Chinese names, English names. */
  aliases: string[];
  /** The carrier's code on each platform (when it differs from `code`). */
  platformCodes: Partial<Record<CarrierPlatform, string>>;
}

/**
 * The carriers Gongxiao knows, with the names people write and the codes platforms use (for
 * example 极兔 is `JTSD` on WeChat Shop and `jtexpress` on Kuaidi100; 德邦 is `DBKD` or `debangwuliu`).
 */
export const CARRIERS: readonly Carrier[] = [
  { code: 'SF', name: { 'zh-CN': '顺丰速运', en: 'SF Express' }, aliases: ['顺丰', '顺丰快递', 'SF Express', 'SFEXPRESS'], platformCodes: { kuaidi100: 'shunfeng', wechat_shop: 'SF' } },
  { code: 'ZTO', name: { 'zh-CN': '中通快递', en: 'ZTO Express' }, aliases: ['中通', 'ZTO Express'], platformCodes: { kuaidi100: 'zhongtong', wechat_shop: 'ZTO' } },
  { code: 'YTO', name: { 'zh-CN': '圆通速递', en: 'YTO Express' }, aliases: ['圆通', '圆通快递', 'YTO Express'], platformCodes: { kuaidi100: 'yuantong', wechat_shop: 'YTO' } },
  { code: 'STO', name: { 'zh-CN': '申通快递', en: 'STO Express' }, aliases: ['申通', 'STO Express'], platformCodes: { kuaidi100: 'shentong', wechat_shop: 'STO' } },
  { code: 'YUNDA', name: { 'zh-CN': '韵达快递', en: 'Yunda Express' }, aliases: ['韵达', '韵达速递', 'Yunda Express', 'YD'], platformCodes: { kuaidi100: 'yunda', wechat_shop: 'YUNDA' } },
  { code: 'JTSD', name: { 'zh-CN': '极兔速递', en: 'J&T Express' }, aliases: ['极兔', '极兔快递', 'J&T', 'J&T Express', 'JT'], platformCodes: { kuaidi100: 'jtexpress', wechat_shop: 'JTSD' } },
  { code: 'JD', name: { 'zh-CN': '京东物流', en: 'JD Logistics' }, aliases: ['京东', '京东快递', 'JD Logistics', 'JDL'], platformCodes: { kuaidi100: 'jd', wechat_shop: 'JD' } },
  { code: 'EMS', name: { 'zh-CN': 'EMS', en: 'EMS' }, aliases: ['中国邮政EMS', '邮政EMS', 'China Post EMS'], platformCodes: { kuaidi100: 'ems', wechat_shop: 'EMS' } },
  {
    code: 'POSTB',
    name: { 'zh-CN': '邮政快递包裹', en: 'China Post parcel' },
    aliases: ['邮政', '邮政包裹', '中国邮政', 'China Post', 'YZPY'],
    platformCodes: { kuaidi100: 'youzhengguonei', wechat_shop: 'YZPY' },
  },
  { code: 'DBKD', name: { 'zh-CN': '德邦快递', en: 'Deppon Express' }, aliases: ['德邦', '德邦物流', 'Deppon', 'DBL'], platformCodes: { kuaidi100: 'debangwuliu', wechat_shop: 'DBKD' } },
  {
    code: 'HTKY',
    name: { 'zh-CN': '百世快递', en: 'Best Express' },
    aliases: ['百世', '百世汇通', '汇通', 'Best Express', 'BEST'],
    platformCodes: { kuaidi100: 'huitongkuaidi', wechat_shop: 'HTKY' },
  },
  { code: 'ZJS', name: { 'zh-CN': '宅急送', en: 'ZJS Express' }, aliases: ['ZJS Express'], platformCodes: { kuaidi100: 'zhaijisong', wechat_shop: 'ZJS' } },
  { code: 'UC', name: { 'zh-CN': '优速快递', en: 'UC Express' }, aliases: ['优速', 'UC Express'], platformCodes: { kuaidi100: 'youshuwuliu', wechat_shop: 'UC' } },
  { code: 'KYE', name: { 'zh-CN': '跨越速运', en: 'KY Express' }, aliases: ['跨越', 'KY Express'], platformCodes: { kuaidi100: 'kuayue', wechat_shop: 'KYSY' } },
  { code: 'ANE', name: { 'zh-CN': '安能物流', en: 'ANE Logistics' }, aliases: ['安能', 'ANE Logistics'], platformCodes: { kuaidi100: 'annengwuliu', wechat_shop: 'ANE' } },
  // A carrier not in the list (a local courier): the tracking number is kept, nothing is translated.
  { code: 'OTHER', name: { 'zh-CN': '其他快递', en: 'Other carrier' }, aliases: ['其他', 'Other'], platformCodes: {} },
];

/** Spaces (also full-width) and case do not matter: "顺丰 速运", "sf", "ＳＦ" and "shunfeng" are SF. */
const keyOf = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .toLowerCase();

const BY_KEY = new Map<string, Carrier>();
for (const carrier of CARRIERS) {
  for (const spelling of [carrier.code, carrier.name['zh-CN'], carrier.name.en, ...carrier.aliases, ...Object.values(carrier.platformCodes)]) {
    const key = keyOf(spelling);
    if (!BY_KEY.has(key)) BY_KEY.set(key, carrier);
  }
}

/** The carrier a code or name stands for (Gongxiao's code, a Chinese name, a platform's code), or null. */
export function resolveCarrier(input: string): Carrier | null {
  return typeof input === 'string' ? (BY_KEY.get(keyOf(input)) ?? null) : null;
}

/** The carrier's code on a platform (its own code where the platform uses it). */
export function carrierCodeFor(platform: CarrierPlatform, code: string): string {
  const carrier = resolveCarrier(code);
  return carrier?.platformCodes[platform] ?? carrier?.code ?? code;
}

/** DTO field: a known carrier written any way people and platforms write it, stored as Gongxiao's code. */
export function IsCarrier(options: ValidationOptions = {}): PropertyDecorator {
  const transform = Transform(({ value }) => (typeof value === 'string' ? (resolveCarrier(value)?.code ?? value) : value));
  return (target: object, propertyKey: string | symbol) => {
    transform(target, propertyKey);
    registerDecorator({
      name: 'isCarrier',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: {
        message: `carrierCode must be a known carrier (${CARRIERS.map((carrier) => carrier.code).join(', ')}, or its Chinese name such as 顺丰 or 中通)`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && CARRIERS.some((carrier) => carrier.code === value) },
    });
  };
}
