/**
 * Splits a mainland Chinese postal address written in one cell ("浙江省杭州市西湖区文三路90号") into
 * province, city, district and the rest, the way a person reads it: by the administrative suffixes
 * (省/自治区, 市/自治州/地区/盟, 区/县/市/旗), with the province always written out in full so that
 * routing compares it with warehouse regions. No dictionary of every city: only the 34 provincial
 * names (short forms accepted) and the few cities that have no districts. What cannot be split with
 * confidence is `null`: the uploader then fills 省/市/区 themselves.
 */
export interface SplitAddress {
  province: string;
  city: string;
  district: string;
  /** The street part (what is left after the region), never empty. */
  street: string;
}

/** Full provincial names by their short form. */
const PROVINCES: Record<string, string> = {
  北京: '北京市',
  天津: '天津市',
  上海: '上海市',
  重庆: '重庆市',
  河北: '河北省',
  山西: '山西省',
  辽宁: '辽宁省',
  吉林: '吉林省',
  黑龙江: '黑龙江省',
  江苏: '江苏省',
  浙江: '浙江省',
  安徽: '安徽省',
  福建: '福建省',
  江西: '江西省',
  山东: '山东省',
  河南: '河南省',
  湖北: '湖北省',
  湖南: '湖南省',
  广东: '广东省',
  海南: '海南省',
  四川: '四川省',
  贵州: '贵州省',
  云南: '云南省',
  陕西: '陕西省',
  甘肃: '甘肃省',
  青海: '青海省',
  台湾: '台湾省',
  内蒙古: '内蒙古自治区',
  广西: '广西壮族自治区',
  西藏: '西藏自治区',
  宁夏: '宁夏回族自治区',
  新疆: '新疆维吾尔自治区',
  香港: '香港特别行政区',
  澳门: '澳门特别行政区',
};

const MUNICIPALITIES = new Set(['北京市', '天津市', '上海市', '重庆市']);

/**
 * Cities with no districts: towns come right after the city (广东省东莞市长安镇…), and the town is
 * the third part, as shops write it. Includes the county-level cities governed by their province.
 */
const CITIES_WITHOUT_DISTRICTS = new Set([
  '东莞市',
  '中山市',
  '嘉峪关市',
  '儋州市',
  '三沙市',
  '仙桃市',
  '潜江市',
  '天门市',
  '神农架林区',
  '济源市',
  '五指山市',
  '琼海市',
  '文昌市',
  '万宁市',
  '东方市',
  '石河子市',
  '阿拉尔市',
  '图木舒克市',
  '五家渠市',
]);

/** Separators people put between the parts: spaces, commas, slashes, dashes. */
const SEPARATORS = /^[\s\u3000,，、/\\|-]+/;

/** A region name: Chinese characters only (no digits, no street words after its first character), bounded. */
const CITY = /^([\u4e00-\u9fff·]{1,15}?(?:自治州|地区|林区|盟|市))/;
const DISTRICT = /^([\u4e00-\u9fff·]{1,15}?(?:区|县|市|旗))(?![区县市旗])/;
const TOWN = /^([\u4e00-\u9fff]{1,10}?(?:镇|乡|街道))/;
/** Names that read as a region but are places inside one (a housing estate, a campus, a development zone's building). */
const NOT_A_REGION = /(小区|社区|校区|厂区|景区|街区)$|.[路街巷弄号楼栋村镇]/;

/** The full name of a province written in full or short ("浙江", "广西壮族自治区"), else null. */
export function provinceOf(text: string): string | null {
  const trimmed = text.replace(/[\s\u3000]+/g, '');
  if (Object.values(PROVINCES).includes(trimmed)) return trimmed;
  return PROVINCES[trimmed] ?? PROVINCES[trimmed.replace(/(省|市|自治区|特别行政区)$/, '')] ?? null;
}

/** The province the text begins with, and its length in the text. */
function leadingProvince(text: string): { province: string; length: number } | null {
  for (const full of Object.values(PROVINCES)) {
    if (text.startsWith(full)) return { province: full, length: full.length };
  }
  for (const [short, full] of Object.entries(PROVINCES)) {
    // "广西南宁市…" but not "广西壮族…" cut short: the short form must not run into the rest of the full one.
    if (text.startsWith(short) && !full.slice(short.length).startsWith(text.slice(short.length, short.length + 1))) {
      const suffix = /^(省|市|自治区)/.exec(text.slice(short.length));
      return { province: full, length: short.length + (suffix?.[0].length ?? 0) };
    }
  }
  return null;
}

function skipSeparators(text: string): string {
  return text.replace(SEPARATORS, '');
}

function region(pattern: RegExp, text: string): string | null {
  const match = pattern.exec(text);
  if (!match || NOT_A_REGION.test(match[1])) return null;
  return match[1];
}

/** Splits an address; null when its province, city or district cannot be told apart. */
export function splitChineseAddress(input: string): SplitAddress | null {
  let rest = skipSeparators(input.normalize('NFKC').trim());
  const province = leadingProvince(rest);
  if (!province) return null;
  rest = skipSeparators(rest.slice(province.length));
  let city: string | null;
  if (MUNICIPALITIES.has(province.province)) {
    city = province.province;
    // "上海市上海市浦东新区", "北京市市辖区东城区": the repeated city level is dropped.
    const repeated = new RegExp(`^(${city}|${city.slice(0, -1)}(?![市区县])|市辖区)`);
    while (repeated.test(rest)) rest = skipSeparators(rest.replace(repeated, ''));
  } else {
    city = region(CITY, rest);
    if (!city) return null;
    // "石家庄市市辖区长安区": the city's own "districts under the city" level is dropped.
    rest = skipSeparators(skipSeparators(rest.slice(city.length)).replace(/^市辖区/, ''));
  }
  let district = region(DISTRICT, rest);
  if (!district && CITIES_WITHOUT_DISTRICTS.has(city)) district = TOWN.exec(rest)?.[1] ?? null;
  if (!district) return null;
  const street = skipSeparators(rest.slice(district.length)).trim();
  if (street === '') return null;
  return { province: province.province, city, district, street };
}
