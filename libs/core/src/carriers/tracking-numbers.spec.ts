import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsCarrier } from './carriers';
import { exampleTrackingNumber, IsPlausibleTrackingNumber, normalizeTrackingNumber, trackingNumberProblem, trackingNumberProblemText } from './tracking-numbers';

/** Good and bad numbers per carrier: the shapes each carrier prints today, and near misses. */
const EXAMPLES: Record<string, { good: string[]; bad: string[] }> = {
  SF: { good: ['SF1234567890123', 'SF123456789012', 'sf 1234 5678 9012 3'], bad: ['SF0001', 'SF12345678901234', '78912345678901', 'SF-1234567890123', 'SFABC4567890123'] },
  ZTO: { good: ['78912345678901', '731234567890', '543210987654321', '６１２３４５６７８９０１２'], bad: ['12345678901', '8891234567890', 'ZTO000001', '7891234567890123'] },
  YTO: { good: ['YT2263698489811', 'yt1234567890123'], bad: ['YT123456789', 'YT12345678901234', '2263698489811', 'SF1234567890123'] },
  STO: { good: ['773123456789012', '880123456789', '6612345678901'], bad: ['123456789012', '77123456789', 'STO123456789012'] },
  YUNDA: { good: ['4312345678901', '312345678901234'], bad: ['431234567890', '4312345678901234', 'YD4312345678901'] },
  JTSD: { good: ['JT0001234567890', 'JT5123456789012'], bad: ['JT123', 'JT00012345678901', '0001234567890'] },
  JD: { good: ['JDVA12345678901', 'JDX000123456789', 'JD0012345678901'], bad: ['JD123', 'VA12345678901', 'JD-12345678901'] },
  EMS: { good: ['EA123456789CN', '1123456789012', 'ea 123 456 789 cn'], bad: ['EA12345678CN', '9123456789012', 'E1123456789CN'] },
  POSTB: { good: ['9812345678901'], bad: ['1812345678901', '981234567890', 'EA123456789CN'] },
  DBKD: { good: ['DPK301234567890', '5123456789', '512345678901'], bad: ['DPK12', '5123456789012', 'DBK301234567890'] },
  OTHER: { good: ['ABCD', 'LOCAL-0001', 'X'.repeat(40)], bad: ['ABC', 'X'.repeat(41), 'A_B_C_D', '单号1234'] },
};

describe('tracking numbers: plausible per carrier', () => {
  for (const [code, { good, bad }] of Object.entries(EXAMPLES)) {
    it(`${code}: accepts ${good.length} real shapes and refuses ${bad.length} near misses`, () => {
      for (const number of good) expect([number, trackingNumberProblem(code, number)]).toEqual([number, null]);
      for (const number of bad) expect([number, trackingNumberProblem(code, number)]).toEqual([number, expect.any(String)]);
    });
  }

  it('names the shape expected, in English and in Chinese, quoting the number as normalized', () => {
    expect(trackingNumberProblem('SF', '78912345678901')).toBe('SF tracking numbers are SF followed by 12 or 13 digits');
    expect(trackingNumberProblemText('SF', ' sf0001 ', 'en')).toBe('"SF0001" is not a plausible SF Express tracking number: SF tracking numbers are SF followed by 12 or 13 digits');
    expect(trackingNumberProblemText('顺丰', 'sf0001', 'zh-CN')).toBe('“SF0001”不像顺丰速运的快递单号：顺丰单号应为 SF 加 12 或 13 位数字');
    expect(trackingNumberProblemText('ZTO', '', 'zh-CN')).toBe('快递单号为空');
    expect(trackingNumberProblemText('SF', 'SF1234567890123', 'zh-CN')).toBeNull();
  });

  it('checks a carrier given by any spelling, and an unknown carrier against the generic shape', () => {
    expect(trackingNumberProblem('中通', '78912345678901')).toBeNull();
    expect(trackingNumberProblem('shunfeng', '78912345678901')).not.toBeNull();
    expect(trackingNumberProblem('NOSUCHCARRIER', 'ABCD1234')).toBeNull();
    // Carriers without a shape of their own take any 4-40 letters, digits or -.
    expect(trackingNumberProblem('HTKY', '557123456789')).toBeNull();
  });

  it('builds plausible example numbers for every carrier from a serial', () => {
    expect(exampleTrackingNumber('SF', 42)).toBe('SF0000000000042');
    expect(exampleTrackingNumber('中通', '1234')).toBe('70000000001234');
    for (const code of [...Object.keys(EXAMPLES), 'HTKY']) expect([code, trackingNumberProblem(code, exampleTrackingNumber(code, 987654321n))]).toEqual([code, null]);
  });

  it('normalizes full-width characters, spaces and case', () => {
    expect(normalizeTrackingNumber(' ｓｆ １２３４\u30005678 9012 3 ')).toBe('SF1234567890123');
  });

  class Parcel {
    @IsCarrier() carrierCode!: string;
    @IsPlausibleTrackingNumber() trackingNumber!: string;
  }

  it('validates a DTO field against its sibling carrier and stores the normalized number', () => {
    const parcel = plainToInstance(Parcel, { carrierCode: '顺丰', trackingNumber: 'sf 1234567890123' });
    expect(validateSync(parcel)).toEqual([]);
    expect(parcel.trackingNumber).toBe('SF1234567890123');
    const wrong = validateSync(plainToInstance(Parcel, { carrierCode: 'SF', trackingNumber: '78912345678901' }));
    expect(wrong.map((error) => [error.property, Object.values(error.constraints ?? {})[0]])).toEqual([
      ['trackingNumber', 'trackingNumber is not a plausible SF tracking number: SF tracking numbers are SF followed by 12 or 13 digits'],
    ]);
    expect(validateSync(plainToInstance(Parcel, { carrierCode: 'SF', trackingNumber: 12 })).map((error) => error.property)).toEqual(['trackingNumber']);
  });
});
