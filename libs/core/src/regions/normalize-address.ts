import { Division, divisionIndex, divisionKey, ProvinceDivisions, strippedKey } from './division-index';
import { CHINESE_COUNTRY_CODES } from './provinces';

export interface AddressRegionInput {
  province: string;
  city: string;
  district: string;
  /** The street address: looked in for a district when the district field names none of the city's. */
  address?: string;
  /** ISO 3166-1 alpha-2; absent means China. */
  countryCode?: string;
}

export type AddressWarningCode = 'province_unknown' | 'city_unknown' | 'city_not_in_province' | 'district_unknown' | 'district_not_in_city';

/** Why a part of an address was kept as given: the code, the field, what was written, and a zh-CN sentence. */
export interface AddressWarning {
  code: AddressWarningCode;
  field: 'province' | 'city' | 'district';
  value: string;
  message: string;
}

export interface NormalizedAddress {
  province: string;
  city: string;
  district: string;
  /** The most precise GB/T 2260 code recognized (district, else city, else province), six digits; null when not even the province was. */
  divisionCode: string | null;
  warnings: AddressWarning[];
}

const MESSAGES: Record<AddressWarningCode, (value: string, parent: string) => string> = {
  province_unknown: (value) => `无法识别省份“${value}”：地址按原样保存，路由无法按省份优先选择仓库，请核对收货地址。`,
  city_unknown: (value, parent) => `无法识别${parent}下的城市“${value}”：城市与区县按原样保存，请核对收货地址。`,
  city_not_in_province: (value, parent) => `城市“${value}”不属于${parent}：城市与区县按原样保存，请核对收货地址。`,
  district_unknown: (value, parent) => `无法识别${parent}下的区县“${value}”：区县按原样保存，请核对收货地址。`,
  district_not_in_city: (value, parent) => `区县“${value}”不属于${parent}：区县按原样保存，请核对收货地址。`,
};

function warning(code: AddressWarningCode, field: AddressWarning['field'], value: string, parent = ''): AddressWarning {
  return { code, field, value, message: MESSAGES[code](value, parent) };
}

/** Codes a key maps to: as written first, then without one administrative suffix ("Shenzhen Shi" → "shenzhen"). */
function lookup(keys: Map<string, string[]>, text: string): string[] {
  const key = divisionKey(text);
  const exact = keys.get(key);
  if (exact) return exact;
  const stripped = strippedKey(key);
  return (stripped && keys.get(stripped)) || [];
}

/**
 * The province a text names, by any spelling: Chinese full or short, pinyin with or without "Sheng",
 * English, ISO 3166-2 ("CN-GD", "GD", "CN-44"), WooCommerce ("CN20": its own numbering 1–32),
 * division code ("44", "440000"). Null when none.
 */
export function provinceCodeOf(text: string): string | null {
  const index = divisionIndex();
  const raw = text.normalize('NFKC').trim().toUpperCase().replace(/\s+/g, '');
  const gb = /^CN-(\d{2})$/.exec(raw) ?? /^CN(\d{2})$/.exec(raw);
  const woo = /^CN(\d{1,2})$/.exec(raw);
  if (woo && Number(woo[1]) >= 1 && Number(woo[1]) <= 32) return index.provinceKeys.get(`cn${woo[1]}`) ?? null;
  if (gb) return index.provinces.has(gb[1]) ? gb[1] : null;
  const iso = /^CN-?([A-Z]{2})$/.exec(raw);
  if (iso) return index.provinceKeys.get(iso[1].toLowerCase()) ?? null;
  const key = divisionKey(text);
  if (/^\d{2}0000$/.test(key)) return index.provinces.has(key.slice(0, 2)) ? key.slice(0, 2) : null;
  const found = index.provinceKeys.get(key);
  if (found) return found;
  const stripped = strippedKey(key);
  return (stripped && index.provinceKeys.get(stripped)) || null;
}

/** The canonical full name of a province ("Guangdong" → "广东省"), or null when the text names none. */
export function canonicalProvince(text: string): string | null {
  const code = provinceCodeOf(text);
  return code ? divisionIndex().provinces.get(code)!.entry.name : null;
}

function one(codes: string[]): string | null {
  return codes.length === 1 ? codes[0] : null;
}

interface CityChoice {
  city: Division | null;
  /** The district the city field named instead (a municipality's district, or a county-level city written as the city). */
  district: Division | null;
}

function chooseCity(province: ProvinceDivisions, cityText: string): CityChoice {
  const index = divisionIndex();
  const cityCode = one(lookup(province.cityKeys, cityText));
  if (cityCode) return { city: province.cities.get(cityCode)!, district: null };
  const districtCode = one(lookup(province.districtKeys, cityText));
  if (!districtCode) return { city: null, district: null };
  const district = index.byCode.get(districtCode)!;
  return { city: province.cities.get(district.cityCode!)!, district };
}

function chooseDistrict(province: ProvinceDivisions, city: Division, districtText: string, address: string | undefined): Division | null {
  const index = divisionIndex();
  const inCity = lookup(province.districtKeys, districtText)
    .map((code) => index.byCode.get(code)!)
    .filter((district) => district.cityCode === city.code);
  if (inCity.length === 1) return inCity[0];
  if (!address) return null;
  // "广东省深圳市南山区科技园…" in the street line while the district field holds something else (a town, a repeat of the city).
  const text = address.normalize('NFKC');
  const named = (province.districts.get(city.code) ?? []).filter((district) => district.name.length >= 2 && text.includes(district.name));
  return named.length === 1 ? named[0] : null;
}

function kept(input: AddressRegionInput): Pick<NormalizedAddress, 'province' | 'city' | 'district'> {
  return { province: input.province.trim(), city: input.city.trim(), district: input.district.trim() };
}

/** Hong Kong, Macao and Taiwan: the region's name as the province, the rest as written (no city data shipped). */
function regionAddress(input: AddressRegionInput, regionCode: string): NormalizedAddress {
  const region = divisionIndex().provinces.get(regionCode)!.entry;
  const given = kept(input);
  const city = provinceCodeOf(given.province) === regionCode || given.city !== '' ? given.city : given.province;
  return { province: region.name, city, district: given.district, divisionCode: region.code.padEnd(6, '0'), warnings: [] };
}

function cityWarning(province: ProvinceDivisions, cityText: string): AddressWarning {
  const elsewhere = lookup(divisionIndex().nationalCityKeys, cityText).length > 0;
  return warning(elsewhere ? 'city_not_in_province' : 'city_unknown', 'city', cityText.trim(), province.entry.name);
}

function districtWarning(province: ProvinceDivisions, city: Division, districtText: string): AddressWarning {
  const elsewhere = lookup(province.districtKeys, districtText).length > 0;
  return warning(elsewhere ? 'district_not_in_city' : 'district_unknown', 'district', districtText.trim(), city.name);
}

/**
 * An address's province, city and district as the national divisions name them ("Guangdong" /
 * "Shenzhen Shi" / "Nanshan District" → 广东省 / 深圳市 / 南山区, with 440305). The province decides
 * which city and district a name may be; what is not recognized, or not part of the level above, is kept
 * as written and said in a warning — never guessed. Addresses outside China pass through untouched.
 */
export function normalizeAddress(input: AddressRegionInput): NormalizedAddress {
  const country = input.countryCode?.trim().toUpperCase();
  if (country && !(country in CHINESE_COUNTRY_CODES)) return { ...kept(input), divisionCode: null, warnings: [] };
  const regionCode = country ? CHINESE_COUNTRY_CODES[country] : null;
  if (regionCode) return regionAddress(input, regionCode);
  const index = divisionIndex();
  const provinceCode = provinceCodeOf(input.province);
  if (!provinceCode) return { ...kept(input), divisionCode: null, warnings: [warning('province_unknown', 'province', input.province.trim())] };
  const province = index.provinces.get(provinceCode)!;
  if (province.cities.size === 0) return regionAddress(input, provinceCode);
  const base = { province: province.entry.name, divisionCode: provinceCode.padEnd(6, '0') };
  const choice = chooseCity(province, input.city);
  if (!choice.city) return { ...kept(input), ...base, warnings: [cityWarning(province, input.city)] };
  const city = choice.city;
  const districts = province.districts.get(city.code) ?? [];
  // Cities without districts (东莞, 中山, 济源…): what follows the city is a town, kept as written.
  if (districts.length === 0) return { ...kept(input), ...base, city: city.name, divisionCode: city.code, warnings: [] };
  const district = chooseDistrict(province, city, input.district, input.address) ?? choice.district;
  if (!district) return { ...kept(input), ...base, city: city.name, divisionCode: city.code, warnings: [districtWarning(province, city, input.district)] };
  return { province: province.entry.name, city: city.name, district: district.name, divisionCode: district.code, warnings: [] };
}
