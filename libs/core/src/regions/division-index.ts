import { DIVISIONS } from './divisions.data';
import { PROVINCES, ProvinceEntry } from './provinces';

/** A city or district of the shipped GB/T 2260 data. */
export interface Division {
  /** The six-digit division code ("440305"). */
  code: string;
  name: string;
  provinceCode: string;
  /** The city a district belongs to (a municipality is its own city); null for a city. */
  cityCode: string | null;
}

export interface ProvinceDivisions {
  entry: ProvinceEntry;
  /** A municipality (北京, 上海, 天津, 重庆): its districts hang directly off it and its city is itself. */
  municipality: boolean;
  cities: Map<string, Division>;
  /** Districts per city code. */
  districts: Map<string, Division[]>;
  /** Lookup keys → city codes, and → district codes (every district of the province). */
  cityKeys: Map<string, string[]>;
  districtKeys: Map<string, string[]>;
}

export interface DivisionIndex {
  provinces: Map<string, ProvinceDivisions>;
  /** Lookup keys → province codes. */
  provinceKeys: Map<string, string>;
  /** Every city and district by code, and every city key nationwide (to tell "wrong province" from "unknown"). */
  byCode: Map<string, Division>;
  nationalCityKeys: Map<string, string[]>;
}

const pad = (code: string) => code.padEnd(6, '0');

/**
 * How a written name is looked up: full-width folded (NFKC), lower case, without spaces, apostrophes,
 * dots, hyphens or brackets ("Xi'an" → "xian", "ＧＵＡＮＧＤＯＮＧ" → "guangdong").
 */
export function divisionKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s'’‘`´·•.\-_,，、()（）]/g, '');
}

/** The administrative suffixes people add or leave out, Chinese, pinyin and English ("Shenzhen Shi", "Nanshan District", "大理州"). */
const SUFFIX =
  /(特别行政区|自治区|自治州|自治县|自治旗|地区|林区|新区|省|市|区|县|盟|旗|州|specialadministrativeregion|autonomousregion|autonomousprefecture|autonomouscounty|municipality|province|prefecture|district|county|league|banner|city|sar|zizhiqu|zizhizhou|zizhixian|diqu|sheng|shi|qu|xian|meng)$/;

/** The key without one administrative suffix, or null when nothing (or too little) would be left. */
export function strippedKey(key: string): string | null {
  const stripped = key.replace(SUFFIX, '');
  return stripped !== key && stripped.length >= 2 ? stripped : null;
}

/** The peoples named in autonomous prefectures and counties (longest first: 土家 before 土). */
const ETHNIC =
  '蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺'
    .split(' ')
    .sort((a, b) => b.length - a.length);
const ETHNIC_TAIL = new RegExp(`(?:(?:${ETHNIC.join('|')})族|蒙古|哈萨克|柯尔克孜)$`);

/** The name without its suffix, as the data's pinyin spells it (大理白族自治州 → 大理, 南山区 → 南山), or null when that leaves one character. */
function baseName(name: string): string | null {
  let base = name;
  if (/自治[州县旗]$/.test(base)) {
    base = base.replace(/自治[州县旗]$/, '');
    while (ETHNIC_TAIL.test(base)) base = base.replace(ETHNIC_TAIL, '');
  } else base = base.replace(/(特别行政区|自治区|地区|林区|新区|市|区|县|盟|旗)$/, '');
  return base !== name && base.length >= 2 ? base : null;
}

function add(map: Map<string, string[]>, key: string, code: string): void {
  const codes = map.get(key);
  if (!codes) map.set(key, [code]);
  else if (!codes.includes(code)) codes.push(code);
}

function keysOf(code: string, name: string, pinyin: string | undefined): string[] {
  const base = baseName(name);
  return [code, pad(code), divisionKey(name), ...(base ? [divisionKey(base)] : []), ...(pinyin ? [pinyin] : [])];
}

function provinceKeysOf(entry: ProvinceEntry): string[] {
  const names = [entry.name, entry.short, entry.name.replace(/自治区$/, ''), entry.pinyin, ...entry.english, entry.iso];
  return [entry.code, pad(entry.code), ...names.map(divisionKey), ...(entry.woo ? [divisionKey(entry.woo)] : [])];
}

function emptyProvince(entry: ProvinceEntry): ProvinceDivisions {
  return { entry, municipality: false, cities: new Map(), districts: new Map(), cityKeys: new Map(), districtKeys: new Map() };
}

/** The municipality as its own city: its names, "市辖区" and "县" (the data's placeholder levels) and their codes. */
function addMunicipalityCity(index: DivisionIndex, province: ProvinceDivisions): void {
  const code = pad(province.entry.code);
  const city: Division = { code, name: province.entry.name, provinceCode: province.entry.code, cityCode: null };
  province.municipality = true;
  province.cities.set(code, city);
  index.byCode.set(code, city);
  const placeholders = ['市辖区', '县', `${province.entry.code}01`, `${province.entry.code}0100`, `${province.entry.code}02`, `${province.entry.code}0200`];
  for (const key of [...provinceKeysOf(province.entry), ...placeholders.map(divisionKey)]) add(province.cityKeys, key, code);
}

let built: DivisionIndex | null = null;

/** The index of the shipped division data, built once on first use (a few milliseconds). */
export function divisionIndex(): DivisionIndex {
  if (built) return built;
  const index: DivisionIndex = { provinces: new Map(), provinceKeys: new Map(), byCode: new Map(), nationalCityKeys: new Map() };
  for (const entry of PROVINCES) {
    index.provinces.set(entry.code, emptyProvince(entry));
    for (const key of provinceKeysOf(entry)) index.provinceKeys.set(key, entry.code);
  }
  let province: ProvinceDivisions | undefined;
  let city: Division | undefined;
  for (const line of DIVISIONS.split('\n')) {
    const match = /^([pcd])(\d+),([^,]+)(?:,([a-z]*))?$/.exec(line);
    if (!match) continue;
    const [, level, code, name, pinyin] = match;
    if (level === 'p') {
      province = index.provinces.get(code)!;
      city = undefined;
      continue;
    }
    if (!province) continue;
    if (level === 'c') {
      city = { code: pad(code), name, provinceCode: province.entry.code, cityCode: null };
      province.cities.set(city.code, city);
      index.byCode.set(city.code, city);
      for (const key of keysOf(code, name, pinyin)) {
        add(province.cityKeys, key, city.code);
        add(index.nationalCityKeys, key, city.code);
      }
      continue;
    }
    if (!city) addMunicipalityCity(index, province);
    city ??= province.cities.get(pad(province.entry.code))!;
    const district: Division = { code, name, provinceCode: province.entry.code, cityCode: city.code };
    province.districts.set(city.code, [...(province.districts.get(city.code) ?? []), district]);
    index.byCode.set(code, district);
    for (const key of keysOf(code, name, pinyin)) add(province.districtKeys, key, code);
  }
  built = index;
  return index;
}
