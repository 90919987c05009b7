import { ValidationFailedError } from '@gongxiao/core';
import { UpdateOfferDto } from './offers.dto';

/** A change must change something. */
export function assertSomethingToChange(input: UpdateOfferDto): void {
  const fields = [input.price, input.shippingFee, input.returnWindowDays, input.returnDecisionHours, input.shipWithinHours, input.trial];
  if (fields.every((field) => field === undefined)) {
    throw new ValidationFailedError('Give price, shippingFee, returnWindowDays, returnDecisionHours, shipWithinHours or trial.', [
      { field: 'price', reason: 'price, shippingFee, returnWindowDays, returnDecisionHours, shipWithinHours or trial is required' },
    ]);
  }
}

/** Return cases are the origin supplier's to decide: a re-share cannot set their deadline. */
export function assertOriginDecides(hours: number | undefined): void {
  if (hours !== undefined) throw ValidationFailedError.field('returnDecisionHours', "is the origin supplier's to set: its offer decides how long return cases may wait");
}
