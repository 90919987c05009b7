export * from './webhooks.module';
export * from './webhooks.service';
export * from './webhooks.dto';
export * from './webhooks.migration';
export * from './subscriptions.dto';
export * from './subscriptions.migration';
export * from './delivery-ordering.migration';
export * from './webhook-delivery-created.job';
