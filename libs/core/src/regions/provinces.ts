/**
 * The 34 provincial divisions with every name platforms write for them: GB/T 2260 code, full and short
 * Chinese name, pinyin (polyphones fixed by hand: 陕西 Shaanxi, 山西 Shanxi, 重庆 Chongqing), ISO 3166-2
 * letters (Shopify's province_code; Shopify writes Tibet "YZ"), WooCommerce's state code (CN1…CN32, its
 * own numbering) and the English names people use.
 */
export interface ProvinceEntry {
  code: string;
  name: string;
  short: string;
  pinyin: string;
  iso: string;
  woo?: string;
  english: string[];
}

const P = (code: string, name: string, short: string, pinyin: string, iso: string, woo: string | undefined, ...english: string[]): ProvinceEntry => ({ code, name, short, pinyin, iso, woo, english });

export const PROVINCES: readonly ProvinceEntry[] = [
  P('11', '北京市', '北京', 'Beijing', 'BJ', 'CN2', 'Peking'),
  P('12', '天津市', '天津', 'Tianjin', 'TJ', 'CN3'),
  P('13', '河北省', '河北', 'Hebei', 'HE', 'CN4'),
  P('14', '山西省', '山西', 'Shanxi', 'SX', 'CN5'),
  P('15', '内蒙古自治区', '内蒙古', 'Neimenggu', 'NM', 'CN6', 'Inner Mongolia', 'Nei Mongol', 'Inner Mongolia Autonomous Region'),
  P('21', '辽宁省', '辽宁', 'Liaoning', 'LN', 'CN7'),
  P('22', '吉林省', '吉林', 'Jilin', 'JL', 'CN8'),
  P('23', '黑龙江省', '黑龙江', 'Heilongjiang', 'HL', 'CN9'),
  P('31', '上海市', '上海', 'Shanghai', 'SH', 'CN10'),
  P('32', '江苏省', '江苏', 'Jiangsu', 'JS', 'CN11'),
  P('33', '浙江省', '浙江', 'Zhejiang', 'ZJ', 'CN12'),
  P('34', '安徽省', '安徽', 'Anhui', 'AH', 'CN13'),
  P('35', '福建省', '福建', 'Fujian', 'FJ', 'CN14'),
  P('36', '江西省', '江西', 'Jiangxi', 'JX', 'CN15'),
  P('37', '山东省', '山东', 'Shandong', 'SD', 'CN16'),
  P('41', '河南省', '河南', 'Henan', 'HA', 'CN17'),
  P('42', '湖北省', '湖北', 'Hubei', 'HB', 'CN18'),
  P('43', '湖南省', '湖南', 'Hunan', 'HN', 'CN19'),
  P('44', '广东省', '广东', 'Guangdong', 'GD', 'CN20', 'Kwangtung'),
  P('45', '广西壮族自治区', '广西', 'Guangxi', 'GX', 'CN21', 'Guangxi Zhuang', 'Guangxi Zhuang Autonomous Region', 'Guangxi Zhuangzu Zizhiqu'),
  P('46', '海南省', '海南', 'Hainan', 'HI', 'CN22'),
  P('50', '重庆市', '重庆', 'Chongqing', 'CQ', 'CN23', 'Chungking'),
  P('51', '四川省', '四川', 'Sichuan', 'SC', 'CN24', 'Szechuan', 'Szechwan'),
  P('52', '贵州省', '贵州', 'Guizhou', 'GZ', 'CN25'),
  P('53', '云南省', '云南', 'Yunnan', 'YN', 'CN1'),
  P('54', '西藏自治区', '西藏', 'Xizang', 'XZ', 'CN31', 'Tibet', 'Tibet Autonomous Region', 'YZ'),
  P('61', '陕西省', '陕西', 'Shaanxi', 'SN', 'CN26', 'Shensi'),
  P('62', '甘肃省', '甘肃', 'Gansu', 'GS', 'CN27'),
  P('63', '青海省', '青海', 'Qinghai', 'QH', 'CN28'),
  P('64', '宁夏回族自治区', '宁夏', 'Ningxia', 'NX', 'CN29', 'Ningxia Hui', 'Ningxia Hui Autonomous Region', 'Ningxia Huizu Zizhiqu'),
  P('65', '新疆维吾尔自治区', '新疆', 'Xinjiang', 'XJ', 'CN32', 'Xinjiang Uygur', 'Xinjiang Uyghur', 'Xinjiang Uighur', 'Xinjiang Uygur Autonomous Region', 'Xinjiang Weiwuer Zizhiqu'),
  P('71', '台湾省', '台湾', 'Taiwan', 'TW', undefined, 'Taiwan Province'),
  P('81', '香港特别行政区', '香港', 'Xianggang', 'HK', undefined, 'Hong Kong', 'Hongkong', 'Hong Kong SAR'),
  P('82', '澳门特别行政区', '澳门', 'Aomen', 'MO', 'CN30', 'Macau', 'Macao', 'Macau SAR', 'Macao SAR'),
];

/** Country codes (ISO 3166-1) whose addresses are normalized: the mainland and the three regions platforms list as countries. */
export const CHINESE_COUNTRY_CODES: Readonly<Record<string, string | null>> = { CN: null, HK: '81', MO: '82', TW: '71' };
