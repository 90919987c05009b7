import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { OffersModule } from '@gongxiao/offers';
import { Listing, Shop } from './channels.entities';
import { ChannelsService } from './channels.service';
import { ShopRateLimiter } from './shop-rate-limiter';
import { PlatformShopsService } from './platforms/platform-shops.service';
import { YouzanOpenApiTradeSource, YouzanTradeSource } from './platforms/youzan/youzan-trade-source';
import { PlatformCallsService } from './platforms/platform-calls.service';
import { PlatformCallCreatedJob } from './platforms/platform-call-created.job';
import { PlatformListingsService } from './platforms/platform-listings.service';

@Module({
  imports: [MikroOrmModule.forFeature([Shop, Listing]), OffersModule, CatalogModule],
  providers: [
    ChannelsService,
    ShopRateLimiter,
    PlatformShopsService,
    PlatformCallsService,
    PlatformCallCreatedJob,
    PlatformListingsService,
    { provide: YouzanTradeSource, useClass: YouzanOpenApiTradeSource },
  ],
  exports: [ChannelsService, PlatformShopsService, PlatformCallsService, PlatformCallCreatedJob, PlatformListingsService, YouzanTradeSource],
})
export class ChannelsModule {}
