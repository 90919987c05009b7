import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { OffersModule } from '@gongxiao/offers';
import { Listing, Shop } from './channels.entities';
import { ChannelsService } from './channels.service';
import { ShopRateLimiter } from './shop-rate-limiter';
import { PlatformShopsService } from './platforms/platform-shops.service';
import { YouzanOpenApiTradeSource, YouzanTradeSource } from './platforms/youzan/youzan-trade-source';

@Module({
  imports: [MikroOrmModule.forFeature([Shop, Listing]), OffersModule, CatalogModule],
  providers: [ChannelsService, ShopRateLimiter, PlatformShopsService, { provide: YouzanTradeSource, useClass: YouzanOpenApiTradeSource }],
  exports: [ChannelsService, PlatformShopsService, YouzanTradeSource],
})
export class ChannelsModule {}
