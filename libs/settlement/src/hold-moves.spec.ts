import { unitsToResolve } from './hold-moves';

const hold = { quantity: 5, trial_quantity: 3, posted_quantity: 0, voided_quantity: 0, posted_trial_quantity: 0, voided_trial_quantity: 0 };

describe('unitsToResolve', () => {
  it('resolves trial and regular units apart, each at most what is pending of its kind', () => {
    expect(unitsToResolve(hold, { quantity: 2, trialQuantity: 2 })).toEqual({ trial: 2, regular: 0 });
    expect(unitsToResolve({ ...hold, posted_quantity: 2, posted_trial_quantity: 2 }, { quantity: 3, trialQuantity: 1 })).toEqual({ trial: 1, regular: 2 });
    expect(unitsToResolve({ ...hold, voided_quantity: 2 }, { quantity: 5, trialQuantity: 3 })).toEqual({ trial: 3, regular: 0 });
    expect(unitsToResolve({ ...hold, trial_quantity: 0 }, { quantity: 4 })).toEqual({ trial: 0, regular: 4 });
    expect(unitsToResolve({ ...hold, posted_quantity: 5, posted_trial_quantity: 3 }, { quantity: 1, trialQuantity: 1 })).toEqual({ trial: 0, regular: 0 });
  });
});
