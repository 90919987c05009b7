import { Module } from '@nestjs/common';
import { ChannelsModule } from '@gongxiao/channels';
import { BulkOrdersHandler } from './bulk-orders.handler';
import { OrdersService } from './orders.service';

@Module({ imports: [ChannelsModule], providers: [OrdersService, BulkOrdersHandler], exports: [OrdersService, BulkOrdersHandler] })
export class OrdersModule {}
