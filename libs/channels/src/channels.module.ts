import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { OffersModule } from '@gongxiao/offers';
import { Listing, Shop } from './channels.entities';
import { ChannelsService } from './channels.service';
import { ShopRateLimiter } from './shop-rate-limiter';

@Module({
  imports: [MikroOrmModule.forFeature([Shop, Listing]), OffersModule, CatalogModule],
  providers: [ChannelsService, ShopRateLimiter],
  exports: [ChannelsService],
})
export class ChannelsModule {}
