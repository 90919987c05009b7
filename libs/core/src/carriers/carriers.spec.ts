import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CARRIERS, carrierCodeFor, IsCarrier, resolveCarrier } from './carriers';

class Parcel {
  @IsCarrier() carrierCode!: string;
}

describe('carrier dictionary', () => {
  it.each([
    ['SF', 'SF'],
    ['sf', 'SF'],
    ['ＳＦ', 'SF'],
    ['顺丰', 'SF'],
    ['顺丰速运', 'SF'],
    [' 顺丰 速运 ', 'SF'],
    ['shunfeng', 'SF'],
    ['中通', 'ZTO'],
    ['圆通', 'YTO'],
    ['申通', 'STO'],
    ['韵达', 'YUNDA'],
    ['极兔', 'JTSD'],
    ['JTSD', 'JTSD'],
    ['jtexpress', 'JTSD'],
    ['京东', 'JD'],
    ['EMS', 'EMS'],
    ['邮政', 'POSTB'],
    ['德邦', 'DBKD'],
    ['DBKD', 'DBKD'],
    ['debangwuliu', 'DBKD'],
    ['其他', 'OTHER'],
  ])('reads %s as %s', (spelling, code) => {
    expect(resolveCarrier(spelling)?.code).toBe(code);
  });

  it('knows nothing of made-up carriers', () => {
    expect(resolveCarrier('NOSUCHCARRIER')).toBeNull();
    expect(resolveCarrier('')).toBeNull();
    expect(resolveCarrier('-SF')).toBeNull();
  });

  it('gives each spelling to one carrier only', () => {
    const owners = new Map<string, string>();
    const clashes: string[] = [];
    for (const carrier of CARRIERS) {
      for (const spelling of [carrier.code, carrier.name['zh-CN'], carrier.name.en, ...carrier.aliases, ...Object.values(carrier.platformCodes)]) {
        const key = spelling.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
        const owner = owners.get(key);
        if (owner && owner !== carrier.code) clashes.push(`${spelling}: ${owner} and ${carrier.code}`);
        owners.set(key, carrier.code);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("translates to a platform's code and back", () => {
    expect(carrierCodeFor('kuaidi100', 'JTSD')).toBe('jtexpress');
    expect(carrierCodeFor('wechat_shop', '极兔')).toBe('JTSD');
    expect(carrierCodeFor('kuaidi100', 'DBKD')).toBe('debangwuliu');
    for (const carrier of CARRIERS) {
      for (const code of Object.values(carrier.platformCodes)) expect(resolveCarrier(code)?.code).toBe(carrier.code);
    }
  });

  it('stores the code of whatever spelling a DTO receives, and refuses an unknown carrier by field', () => {
    const parcel = plainToInstance(Parcel, { carrierCode: '顺丰' });
    expect(validateSync(parcel)).toEqual([]);
    expect(parcel.carrierCode).toBe('SF');
    const unknown = validateSync(plainToInstance(Parcel, { carrierCode: 'NOSUCHCARRIER' }));
    expect(unknown.map((error) => error.property)).toEqual(['carrierCode']);
    expect(Object.values(unknown[0].constraints ?? {})[0]).toContain('known carrier');
  });
});
