import { Module } from '@nestjs/common';
import { ChannelsModule } from '@gongxiao/channels';
import { BulkOrdersHandler } from './bulk-orders.handler';
import { OrdersService } from './orders.service';
import { LineCustomizationService } from './line-customization.service';

@Module({ imports: [ChannelsModule], providers: [OrdersService, BulkOrdersHandler, LineCustomizationService], exports: [OrdersService, BulkOrdersHandler, LineCustomizationService] })
export class OrdersModule {}
