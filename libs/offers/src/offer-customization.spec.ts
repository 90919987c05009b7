import fc from 'fast-check';
import { ValidationFailedError } from '@gongxiao/core';
import { checkCustomization, customizationKey, CustomizationOption, declaredOptions } from './offer-customization';

const OPTIONS: CustomizationOption[] = declaredOptions([
  { key: 'engraving', label: '刻字', kind: 'text', required: true, maxLength: 10, extraPriceAmount: 500 },
  {
    key: 'packaging',
    label: '包装',
    kind: 'choice',
    choices: [
      { value: 'plain', label: '简装', extraPriceAmount: 0 },
      { value: 'gift_box', label: '礼盒', extraPriceAmount: 300 },
    ],
  },
  { key: 'logo', label: 'Logo', kind: 'file_url', extraPriceAmount: 0 },
]);

function fieldsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.details.map((detail) => detail.field);
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('declaredOptions', () => {
  it('stores every field, with defaults by kind', () => {
    expect(OPTIONS).toEqual([
      { key: 'engraving', label: '刻字', kind: 'text', required: true, maxLength: 10, choices: [], extraPriceAmount: 500 },
      {
        key: 'packaging',
        label: '包装',
        kind: 'choice',
        required: false,
        maxLength: null,
        choices: [
          { value: 'plain', label: '简装', extraPriceAmount: 0 },
          { value: 'gift_box', label: '礼盒', extraPriceAmount: 300 },
        ],
        extraPriceAmount: 0,
      },
      { key: 'logo', label: 'Logo', kind: 'file_url', required: false, maxLength: null, choices: [], extraPriceAmount: 0 },
    ]);
    expect(declaredOptions([{ key: 'note', label: 'Note', kind: 'text' }])[0].maxLength).toBe(200);
  });

  it('names the field of every declaration the fields alone cannot refuse', () => {
    expect(
      fieldsOf(() =>
        declaredOptions([
          { key: 'a', label: 'A', kind: 'text', choices: [] },
          { key: 'a', label: 'A again', kind: 'file_url', maxLength: 20 },
          {
            key: 'b',
            label: 'B',
            kind: 'choice',
            extraPriceAmount: 100,
            choices: [
              { value: 'x', label: 'X', extraPriceAmount: 0 },
              { value: 'x', label: 'X2', extraPriceAmount: 0 },
            ],
          },
          { key: 'c', label: 'C', kind: 'choice' },
        ]),
      ),
    ).toEqual(['options[0].choices', 'options[1].key', 'options[1].maxLength', 'options[2].extraPriceAmount', 'options[2].choices[1].value', 'options[3].choices']);
  });
});

describe('checkCustomization', () => {
  it('normalizes, sums the extra and words the label in the options order', () => {
    const check = checkCustomization(OPTIONS, { packaging: 'gift_box', engraving: '  生日快乐 ', logo: 'https://cdn.example.com/logo.png' });
    expect(check).toEqual({
      ok: true,
      values: { engraving: '生日快乐', logo: 'https://cdn.example.com/logo.png', packaging: 'gift_box' },
      key: 'engraving=%E7%94%9F%E6%97%A5%E5%BF%AB%E4%B9%90&logo=https%3A%2F%2Fcdn.example.com%2Flogo.png&packaging=gift_box',
      label: '刻字: 生日快乐；包装: 礼盒；Logo: https://cdn.example.com/logo.png',
      extraAmount: 800,
    });
    expect(Object.keys((check as { values: object }).values)).toEqual(['engraving', 'logo', 'packaging']);
  });

  it('names the key of every problem', () => {
    const problems = (raw: unknown) => {
      const check = checkCustomization(OPTIONS, raw);
      return check.ok ? [] : check.problems.map((problem) => problem.key);
    };
    expect(problems({ engraving: 'ok', colour: 'red' })).toEqual(['colour']);
    expect(problems({ engraving: '12345678901' })).toEqual(['engraving']);
    expect(problems({ engraving: '一二三四五六七八九十' })).toEqual([]);
    expect(problems({ engraving: 'ok', packaging: 'velvet' })).toEqual(['packaging']);
    expect(problems({ packaging: 'plain' })).toEqual(['engraving']);
    expect(problems({ engraving: '   ' })).toEqual(['engraving']);
    expect(problems({ engraving: 'a\u0007b' })).toEqual(['engraving']);
    expect(problems({ engraving: 'a\nb' })).toEqual(['engraving']);
    expect(problems({ engraving: 'ok', logo: 'javascript:alert(1)' })).toEqual(['logo']);
    expect(problems({ engraving: 'ok', logo: 'ftp://example.com/logo.png' })).toEqual(['logo']);
    expect(problems({ engraving: 'ok', logo: `https://example.com/${'a'.repeat(500)}` })).toEqual(['logo']);
    expect(problems({ engraving: 5 })).toEqual(['engraving']);
    expect(problems({ engraving: 'a\ud800b' })).toEqual(['engraving']);
    expect(problems(null)).toEqual(['engraving']);
    expect(checkCustomization([], undefined)).toEqual({ ok: true, values: {}, key: '', label: '', extraAmount: 0 });
    expect(checkCustomization([], { engraving: 'x' }).ok).toBe(false);
  });

  const text = fc.string({ maxLength: 12 });
  const raw = fc.record(
    {
      engraving: fc.oneof(text, fc.constant('  刻 ')),
      packaging: fc.constantFrom('plain', 'gift_box', ' gift_box ', 'velvet'),
      logo: fc.constantFrom('https://a.example/x.png', ' http://b.example/y ', 'nope'),
    },
    { requiredKeys: [] },
  );

  it('is idempotent: checking its own output gives the same result', () => {
    fc.assert(
      fc.property(raw, (input) => {
        const first = checkCustomization(OPTIONS, input);
        if (!first.ok) return;
        expect(checkCustomization(OPTIONS, first.values)).toEqual(first);
      }),
    );
  });

  it('gives the same canonical key whatever order the keys came in', () => {
    fc.assert(
      fc.property(raw, fc.integer(), (input, seed) => {
        const entries = Object.entries(input);
        const shuffled = Object.fromEntries(
          entries
            .map((entry, index) => [entry, Math.sin(seed + index)] as const)
            .sort((a, b) => a[1] - b[1])
            .map(([entry]) => entry),
        );
        const a = checkCustomization(OPTIONS, input);
        const b = checkCustomization(OPTIONS, shuffled);
        expect(b).toEqual(a);
        if (a.ok) expect(customizationKey(a.values)).toBe(a.key);
      }),
    );
  });

  it('gives different values different keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.string()), fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.string()), (x, y) => {
        const same = JSON.stringify(Object.entries(x).sort()) === JSON.stringify(Object.entries(y).sort());
        expect(customizationKey(x) === customizationKey(y)).toBe(same);
      }),
    );
  });
});
