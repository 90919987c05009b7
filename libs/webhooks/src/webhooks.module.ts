import { Module } from '@nestjs/common';
import { WebhookDeliveryCreatedJob } from './webhook-delivery-created.job';
import { WebhooksService } from './webhooks.service';

@Module({
  providers: [WebhooksService, WebhookDeliveryCreatedJob],
  exports: [WebhooksService, WebhookDeliveryCreatedJob],
})
export class WebhooksModule {}
