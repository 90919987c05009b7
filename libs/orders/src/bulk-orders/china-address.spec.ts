import fc from 'fast-check';
import { provinceOf, splitChineseAddress } from './china-address';

describe('splitChineseAddress', () => {
  it.each([
    // Provinces, prefecture-level cities, districts.
    ['浙江省杭州市西湖区文三路90号', '浙江省', '杭州市', '西湖区', '文三路90号'],
    ['广东省深圳市南山区科技园南区深南大道10000号', '广东省', '深圳市', '南山区', '科技园南区深南大道10000号'],
    ['江苏省苏州市工业园区星湖街328号', '江苏省', '苏州市', '工业园区', '星湖街328号'],
    // Short province names are written out in full (routing compares provinces).
    ['浙江杭州市西湖区文三路90号', '浙江省', '杭州市', '西湖区', '文三路90号'],
    ['黑龙江哈尔滨市道里区中央大街1号', '黑龙江省', '哈尔滨市', '道里区', '中央大街1号'],
    // Municipalities: the city is the municipality itself.
    ['上海市浦东新区张江路88号', '上海市', '上海市', '浦东新区', '张江路88号'],
    ['上海浦东新区张江路88号', '上海市', '上海市', '浦东新区', '张江路88号'],
    ['上海市上海市黄浦区南京东路1号', '上海市', '上海市', '黄浦区', '南京东路1号'],
    ['北京市市辖区东城区东长安街1号', '北京市', '北京市', '东城区', '东长安街1号'],
    ['北京市朝阳区建国路93号', '北京市', '北京市', '朝阳区', '建国路93号'],
    ['天津市和平区南京路219号', '天津市', '天津市', '和平区', '南京路219号'],
    ['重庆市渝中区解放碑邹容路100号', '重庆市', '重庆市', '渝中区', '解放碑邹容路100号'],
    ['重庆市城口县葛城街道北大街1号', '重庆市', '重庆市', '城口县', '葛城街道北大街1号'],
    ['重庆秀山土家族苗族自治县中和街道1号', '重庆市', '重庆市', '秀山土家族苗族自治县', '中和街道1号'],
    // Autonomous regions, prefectures (地区), autonomous prefectures (自治州), leagues (盟), banners (旗).
    ['广西壮族自治区南宁市青秀区民族大道1号', '广西壮族自治区', '南宁市', '青秀区', '民族大道1号'],
    ['广西南宁市青秀区民族大道1号', '广西壮族自治区', '南宁市', '青秀区', '民族大道1号'],
    ['新疆维吾尔自治区喀什地区喀什市人民东路1号', '新疆维吾尔自治区', '喀什地区', '喀什市', '人民东路1号'],
    ['新疆乌鲁木齐市新市区北京南路1号', '新疆维吾尔自治区', '乌鲁木齐市', '新市区', '北京南路1号'],
    ['西藏自治区阿里地区噶尔县狮泉河镇1号', '西藏自治区', '阿里地区', '噶尔县', '狮泉河镇1号'],
    ['内蒙古自治区锡林郭勒盟锡林浩特市额尔敦路1号', '内蒙古自治区', '锡林郭勒盟', '锡林浩特市', '额尔敦路1号'],
    ['内蒙古鄂尔多斯市达拉特旗树林召镇1号', '内蒙古自治区', '鄂尔多斯市', '达拉特旗', '树林召镇1号'],
    ['宁夏银川市兴庆区解放西街1号', '宁夏回族自治区', '银川市', '兴庆区', '解放西街1号'],
    ['吉林省延边朝鲜族自治州延吉市光明街1号', '吉林省', '延边朝鲜族自治州', '延吉市', '光明街1号'],
    ['湖北省恩施土家族苗族自治州恩施市舞阳大街1号', '湖北省', '恩施土家族苗族自治州', '恩施市', '舞阳大街1号'],
    ['贵州省黔东南苗族侗族自治州凯里市北京东路1号', '贵州省', '黔东南苗族侗族自治州', '凯里市', '北京东路1号'],
    ['湖北省宜昌市长阳土家族自治县龙舟坪镇1号', '湖北省', '宜昌市', '长阳土家族自治县', '龙舟坪镇1号'],
    // County-level cities and counties.
    ['浙江省金华市义乌市稠城街道工人北路1号', '浙江省', '金华市', '义乌市', '稠城街道工人北路1号'],
    ['湖南省长沙市宁乡市玉潭街道1号', '湖南省', '长沙市', '宁乡市', '玉潭街道1号'],
    ['河北省保定市涞源县城关1号', '河北省', '保定市', '涞源县', '城关1号'],
    ['湖北省荆州市沙市区北京中路1号', '湖北省', '荆州市', '沙市区', '北京中路1号'],
    ['山东省济南市市中区经四路1号', '山东省', '济南市', '市中区', '经四路1号'],
    ['吉林省吉林市船营区解放大路1号', '吉林省', '吉林市', '船营区', '解放大路1号'],
    ['河北省石家庄市市辖区长安区中山东路1号', '河北省', '石家庄市', '长安区', '中山东路1号'],
    // Cities without districts: the town is the third part.
    ['广东省东莞市长安镇沙头村1号', '广东省', '东莞市', '长安镇', '沙头村1号'],
    ['广东省中山市石岐街道孙文中路1号', '广东省', '中山市', '石岐街道', '孙文中路1号'],
    ['湖北省仙桃市沙嘴街道1号', '湖北省', '仙桃市', '沙嘴街道', '1号'],
    // Separators and spacing people type.
    ['浙江省 杭州市 西湖区 文三路 90 号', '浙江省', '杭州市', '西湖区', '文三路 90 号'],
    ['浙江省,杭州市,西湖区,文三路90号', '浙江省', '杭州市', '西湖区', '文三路90号'],
    ['  浙江省/杭州市/西湖区/文三路90号 ', '浙江省', '杭州市', '西湖区', '文三路90号'],
    // Full-width digits are folded.
    ['浙江省杭州市西湖区文三路９０号', '浙江省', '杭州市', '西湖区', '文三路90号'],
  ])('%s', (text, province, city, district, street) => {
    expect(splitChineseAddress(text)).toEqual({ province, city, district, street });
  });

  it.each([
    ['no region at all', '文三路90号'],
    ['a city without its province', '杭州市西湖区文三路90号'],
    ['no district', '浙江省杭州市文三路90号'],
    ['a housing estate where the district would be', '浙江省杭州市华星小区3栋'],
    ['a street where the district would be', '浙江省杭州市中山路华星小区3栋'],
    ['nothing after the district', '浙江省杭州市西湖区'],
    ['a province and a street only', '浙江省文三路90号'],
    ['an English address', 'No. 90 Wensan Road, Hangzhou'],
    ['empty', ''],
  ])('cannot split %s', (_case, text) => {
    expect(splitChineseAddress(text)).toBeNull();
  });
});

describe('provinceOf', () => {
  it.each([
    ['浙江', '浙江省'],
    ['浙江省', '浙江省'],
    ['上海', '上海市'],
    ['上海市', '上海市'],
    ['广西', '广西壮族自治区'],
    ['广西壮族自治区', '广西壮族自治区'],
    ['内蒙古', '内蒙古自治区'],
    ['新疆', '新疆维吾尔自治区'],
    [' 四川省 ', '四川省'],
  ])('%s → %s', (text, full) => expect(provinceOf(text)).toBe(full));

  it('is null for a name that is no province', () => {
    expect(provinceOf('杭州')).toBeNull();
    expect(provinceOf('Zhejiang')).toBeNull();
  });
});

describe('splitChineseAddress on made-up regions', () => {
  const PROVINCES = ['浙江省', '广东省', '黑龙江省', '广西壮族自治区', '内蒙古自治区', '新疆维吾尔自治区', '上海市', '重庆市'];
  const name = fc.array(fc.constantFrom(...'东西南北中安平宁阳山江河海湖泉林源华兴隆庆'.split('')), { minLength: 1, maxLength: 4 }).map((chars) => chars.join(''));
  it('gives back the parts an address was made of', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROVINCES),
        name,
        fc.constantFrom('市', '自治州', '地区', '盟'),
        name,
        fc.constantFrom('区', '县', '市', '旗', '自治县'),
        fc.integer({ min: 1, max: 999 }),
        (province, cityName, citySuffix, districtName, districtSuffix, number) => {
          const municipality = ['上海市', '重庆市'].includes(province);
          const city = municipality ? province : `${cityName}${citySuffix}`;
          const district = `${districtName}${districtSuffix}`;
          const street = `人民路${number}号`;
          expect(splitChineseAddress(`${province}${municipality ? '' : city}${district}${street}`)).toEqual({ province, city, district, street });
        },
      ),
    );
  });
});
