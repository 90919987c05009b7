import { firstPhone, normalizedPhone } from './inbound-support';

describe('platform phones', () => {
  it('keeps digits and a leading +, dropping punctuation, spaces and extensions', () => {
    expect(normalizedPhone('(555) 555-5555')).toBe('5555555555');
    expect(normalizedPhone('+1 (555) 555-5555 x123')).toBe('+15555555555');
    expect(normalizedPhone('555-555-5555 ext. 4')).toBe('5555555555');
    expect(normalizedPhone('555 555 5555 extension 12')).toBe('5555555555');
    expect(normalizedPhone('0571-8888 6666 转 8')).toBe('057188886666');
    expect(normalizedPhone('+86 138.0013.8000')).toBe('+8613800138000');
    expect(normalizedPhone('  ')).toBe('');
    expect(normalizedPhone('n/a')).toBe('');
    expect(normalizedPhone(undefined)).toBe('');
  });

  it('takes the first candidate that has a number', () => {
    expect(firstPhone(undefined, '--', '(555) 555-5555', '13800138000')).toBe('5555555555');
    expect(firstPhone(undefined, '')).toBe('');
  });
});
