import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { ChannelsModule } from '@gongxiao/channels';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [CatalogModule, ChannelsModule],
  providers: [WebhooksService],
  exports: [WebhooksService],
})
export class WebhooksModule {}
