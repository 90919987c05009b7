import { divisionIndex } from './division-index';
import { canonicalProvince, normalizeAddress, provinceCodeOf } from './normalize-address';

const address = (province: string, city: string, district: string, extra: { address?: string; countryCode?: string } = {}) => normalizeAddress({ province, city, district, ...extra });

describe('provinces, however platforms write them', () => {
  it.each([
    'Guangdong',
    'guangdong',
    'GUANGDONG',
    'Guangdong Sheng',
    'Guangdong Province',
    ' guang dong ',
    'ＧＵＡＮＧＤＯＮＧ',
    'GD',
    'CN-GD',
    'CN20',
    'CN-44',
    '广东',
    '广东省',
    '广东 省',
    '440000',
    '44',
  ])('%s is 广东省', (text) => {
    expect(canonicalProvince(text)).toBe('广东省');
  });

  it('tells the look-alikes apart: 陕西 Shaanxi, 山西 Shanxi; WooCommerce numbering is not the division code', () => {
    expect(canonicalProvince('Shaanxi')).toBe('陕西省');
    expect(canonicalProvince('Shanxi')).toBe('山西省');
    expect(canonicalProvince('SN')).toBe('陕西省');
    expect(canonicalProvince('CN11')).toBe('江苏省');
    expect(canonicalProvince('CN-11')).toBe('北京市');
    expect(canonicalProvince('CN1')).toBe('云南省');
    expect(canonicalProvince('Chongqing')).toBe('重庆市');
  });

  it.each([
    ['Inner Mongolia', '内蒙古自治区'],
    ['Nei Mongol', '内蒙古自治区'],
    ['Tibet', '西藏自治区'],
    ['Xizang', '西藏自治区'],
    ['YZ', '西藏自治区'],
    ['Xinjiang Uygur Zizhiqu', '新疆维吾尔自治区'],
    ['Guangxi Zhuang', '广西壮族自治区'],
    ['广西壮族', '广西壮族自治区'],
    ['Ningxia Hui', '宁夏回族自治区'],
    ['Hong Kong', '香港特别行政区'],
    ['Macau', '澳门特别行政区'],
    ['Macao', '澳门特别行政区'],
    ['Taiwan', '台湾省'],
  ])('%s is %s', (text, name) => {
    expect(canonicalProvince(text)).toBe(name);
  });

  it('names nothing for what is no province', () => {
    expect(provinceCodeOf('Atlantis')).toBeNull();
    expect(provinceCodeOf('CN-99')).toBeNull();
    expect(provinceCodeOf('')).toBeNull();
  });
});

describe('normalizeAddress', () => {
  const nanshan = { province: '广东省', city: '深圳市', district: '南山区', divisionCode: '440305', warnings: [] };

  it.each([
    ['Guangdong', 'Shenzhen', 'Nanshan'],
    ['Guangdong Sheng', 'Shenzhen Shi', 'Nanshan Qu'],
    ['GD', 'Shenzhen City', 'Nanshan District'],
    ['CN20', '深圳', '南山'],
    ['CN-44', '深圳市', '南山区'],
    ['广东', '440300', '440305'],
    ['440000', '4403', '南山区'],
    ['广东省', '深圳市', '南山区'],
  ])('%s / %s / %s is 广东省深圳市南山区', (province, city, district) => {
    expect(address(province, city, district)).toEqual(nanshan);
  });

  it('reads polyphones of well-known cities as their people say them', () => {
    expect(address('Hunan', 'Changsha', 'Yuelu')).toMatchObject({ city: '长沙市', district: '岳麓区' });
    expect(address('Fujian', 'Xiamen', 'Siming')).toMatchObject({ city: '厦门市', district: '思明区' });
    expect(address('Anhui', 'Bengbu', 'Bengshan')).toMatchObject({ city: '蚌埠市', district: '蚌山区' });
    expect(address('Anhui', "Lu'an", 'Jin’an')).toMatchObject({ city: '六安市', district: '金安区' });
    expect(address('Shaanxi', "Xi'an", 'Yanta')).toMatchObject({ province: '陕西省', city: '西安市', district: '雁塔区' });
    expect(address('Sichuan', 'Chengdu', 'Wuhou')).toMatchObject({ city: '成都市', district: '武侯区' });
    expect(address('Chongqing', 'Chongqing', 'Yuzhong')).toMatchObject({ province: '重庆市', city: '重庆市', district: '渝中区' });
  });

  it('takes a municipality as its own city, and its districts under it', () => {
    expect(address('北京', '北京市', '朝阳区')).toEqual({ province: '北京市', city: '北京市', district: '朝阳区', divisionCode: '110105', warnings: [] });
    expect(address('Beijing', 'Beijing', 'Chaoyang District')).toMatchObject({ city: '北京市', district: '朝阳区', divisionCode: '110105' });
    expect(address('上海市', '市辖区', '浦东新区')).toMatchObject({ city: '上海市', district: '浦东新区' });
    expect(address('Shanghai', 'Pudong', 'Lujiazui')).toMatchObject({ city: '上海市', district: '浦东新区', warnings: [] });
    // 朝阳 is also a city of 辽宁: the province decides.
    expect(address('Liaoning', 'Chaoyang', 'Shuangta')).toMatchObject({ city: '朝阳市', district: '双塔区', divisionCode: '211302' });
  });

  it('keeps the town of a city without districts (东莞, 中山, 济源) as written', () => {
    expect(address('Guangdong', 'Dongguan', '长安镇')).toEqual({ province: '广东省', city: '东莞市', district: '长安镇', divisionCode: '441900', warnings: [] });
    expect(address('广东', '中山', '石岐街道')).toMatchObject({ city: '中山市', district: '石岐街道', warnings: [] });
    expect(address('河南省', '济源市', '沁园街道')).toMatchObject({ city: '济源市', divisionCode: '419001', warnings: [] });
  });

  it('reads a county-level city written as the city, and a district named only in the street line', () => {
    expect(address('Jiangsu', 'Kunshan', 'Kunshan')).toMatchObject({ city: '苏州市', district: '昆山市', divisionCode: '320583' });
    expect(address('广东省', '深圳市', '粤海街道', { address: '南山区科技园科苑路 15 号' })).toMatchObject({ district: '南山区', warnings: [] });
  });

  it('says so when the city is not in the province, and keeps it as written', () => {
    const result = address('浙江省', '深圳市', '南山区');
    expect(result).toMatchObject({ province: '浙江省', city: '深圳市', district: '南山区', divisionCode: '330000' });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'city_not_in_province', field: 'city', value: '深圳市' })]);
    expect(result.warnings[0].message).toContain('浙江省');
    expect(address('浙江省', 'Gotham', '西湖区').warnings).toEqual([expect.objectContaining({ code: 'city_unknown', field: 'city' })]);
  });

  it('says so when the district is not in the city', () => {
    const result = address('广东省', '广州市', '南山区');
    expect(result).toMatchObject({ province: '广东省', city: '广州市', district: '南山区', divisionCode: '440100' });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'district_not_in_city', field: 'district', value: '南山区' })]);
    expect(address('广东省', '广州市', '不存在区').warnings).toEqual([expect.objectContaining({ code: 'district_unknown' })]);
  });

  it('says so when the province is unknown, and guesses nothing from the city', () => {
    const result = address('Narnia', '深圳市', '南山区');
    expect(result).toEqual({
      province: 'Narnia',
      city: '深圳市',
      district: '南山区',
      divisionCode: null,
      warnings: [expect.objectContaining({ code: 'province_unknown', field: 'province', value: 'Narnia' })],
    });
  });

  it('passes a foreign address through untouched and without warnings', () => {
    expect(address('California', 'San Francisco', 'Mission', { countryCode: 'US' })).toEqual({
      province: 'California',
      city: 'San Francisco',
      district: 'Mission',
      divisionCode: null,
      warnings: [],
    });
  });

  it('takes Hong Kong, Macao and Taiwan by their country codes as platforms send them', () => {
    expect(address('Kowloon', '', 'Mong Kok', { countryCode: 'HK' })).toMatchObject({ province: '香港特别行政区', city: 'Kowloon', warnings: [] });
    expect(address('Hong Kong', 'Kowloon', 'Mong Kok', { countryCode: 'hk' })).toMatchObject({ province: '香港特别行政区', city: 'Kowloon', district: 'Mong Kok' });
    expect(address('广东', '深圳', '南山', { countryCode: 'CN' })).toMatchObject({ divisionCode: '440305' });
  });

  it('reads every city and district of the data back as itself, by name and by code', () => {
    const misread: string[] = [];
    for (const province of divisionIndex().provinces.values()) {
      for (const [cityCode, districts] of province.districts) {
        const city = province.cities.get(cityCode)!;
        for (const district of districts) {
          for (const [cityText, districtText] of [
            [city.name, district.name],
            [city.code, district.code],
          ]) {
            const result = address(province.entry.name, cityText, districtText);
            if (result.divisionCode !== district.code || result.warnings.length > 0) misread.push(`${province.entry.name}${city.name}${district.name}: ${result.divisionCode}`);
          }
        }
      }
    }
    expect(misread).toEqual([]);
  });

  it('reads autonomous prefectures and leagues by their short names', () => {
    for (const [province, city, district, code] of [
      ['新疆维吾尔自治区', '伊犁哈萨克自治州', '伊宁市', '654002'],
      ['云南省', '大理白族自治州', '大理市', '532901'],
      ['吉林省', '延边朝鲜族自治州', '延吉市', '222401'],
      ['湖北省', '恩施州', '恩施市', '422801'],
      ['内蒙古', '兴安盟', '乌兰浩特市', '152201'],
    ]) {
      expect(address(province, city, district)).toMatchObject({ district, divisionCode: code, warnings: [] });
    }
  });
});
