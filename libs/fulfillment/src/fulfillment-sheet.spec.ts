import { localTime } from './fulfillment-sheet';

describe('localTime', () => {
  it('writes the Shanghai wall clock by default', () => {
    expect(localTime(new Date('2026-03-31T16:05:00Z'))).toBe('2026-04-01 00:05');
  });

  it('takes another time zone', () => {
    expect(localTime('2026-07-01T12:30:00Z', 'Europe/Berlin')).toBe('2026-07-01 14:30');
  });

  it('writes nothing for no time', () => {
    expect(localTime(null)).toBe('');
  });
});
