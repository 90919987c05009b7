import { safeCellText } from './safe-cell';

describe('safeCellText', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ['+8613800000000', "'+8613800000000"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['\n=1+1', "'\n=1+1"],
  ])('neutralises %j', (input, expected) => {
    expect(safeCellText(input)).toBe(expected);
  });

  it.each(['张三', 'SF1234567890', 'Room 1-2, 88 Nanjing Rd', 'a=b', "O'Brien", '100', ''])('leaves ordinary text %j unchanged', (input) => {
    expect(safeCellText(input)).toBe(input);
  });

  it('writes nothing for null and undefined', () => {
    expect(safeCellText(null)).toBe('');
    expect(safeCellText(undefined)).toBe('');
  });
});
