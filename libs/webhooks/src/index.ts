export * from './webhooks.module';
export * from './webhooks.service';
export * from './webhooks.dto';
export * from './webhooks.migration';
