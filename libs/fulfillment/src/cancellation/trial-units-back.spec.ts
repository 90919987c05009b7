import { trialUnitsGivenBack } from './trial-units-back';

describe('trialUnitsGivenBack', () => {
  it('takes cancelled units off the regular units first, trial units only once fewer live units are left', () => {
    const line = { quantity: 5, cancelled_quantity: 0 };
    expect(trialUnitsGivenBack(line, 1, 3)).toBe(0);
    expect(trialUnitsGivenBack(line, 2, 3)).toBe(0);
    expect(trialUnitsGivenBack(line, 3, 3)).toBe(1);
    expect(trialUnitsGivenBack(line, 5, 3)).toBe(3);
    expect(trialUnitsGivenBack({ quantity: 5, cancelled_quantity: 2 }, 1, 3)).toBe(1);
    expect(trialUnitsGivenBack(line, 5, 0)).toBe(0);
  });
});
