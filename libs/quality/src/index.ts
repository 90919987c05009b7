export * from './quality.module';
export * from './quality.migration';
export * from './quality.dto';
export * from './push-review.service';
export * from './quality-settings.service';
export * from './scorecards.service';
export * from './review-received.job';
