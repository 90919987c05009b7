import fc from 'fast-check';
import { ConsigneeFields, consigneeKey } from './consignee-key';

const consignee = (overrides: Partial<ConsigneeFields> = {}): ConsigneeFields => ({
  consignee_name: '张三',
  consignee_phone: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  address: '文三路 100 号',
  ...overrides,
});

describe('consigneeKey', () => {
  it('is the same however case, white space and phone punctuation are written', () => {
    expect(consigneeKey(consignee({ consignee_phone: '138-0013-8000', address: ' 文三路100号 ' }))).toBe(consigneeKey(consignee()));
    expect(consigneeKey(consignee({ consignee_name: 'Zhang San' }))).toBe(consigneeKey(consignee({ consignee_name: ' zhang  SAN' })));
  });

  it('differs when any part of who receives the parcel differs', () => {
    const base = consigneeKey(consignee());
    for (const overrides of [{ consignee_name: '李四' }, { consignee_phone: '13900139000' }, { province: '广东省' }, { city: '宁波市' }, { district: '上城区' }, { address: '文三路 101 号' }]) {
      expect(consigneeKey(consignee(overrides))).not.toBe(base);
    }
  });

  it('does not let one part run into the next (the parts stay apart)', () => {
    expect(consigneeKey(consignee({ city: '杭州', district: '市西湖区' }))).not.toBe(consigneeKey(consignee({ city: '杭州市', district: '西湖区' })));
  });

  it('is a hex SHA-256, never the contact data itself', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, address) => {
        const key = consigneeKey(consignee({ consignee_name: name, address }));
        expect(key).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });
});
