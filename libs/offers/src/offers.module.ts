import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { MerchantsModule } from '@gongxiao/merchants';
import { PartnershipsModule } from '@gongxiao/partnerships';
import { Offer } from './offer.entity';
import { OffersService } from './offers.service';
import { AvailableOffersByCodeService } from './available-offers-by-code.service';
import { OfferTrialsService } from './offer-trials.service';
import { OfferCustomizationsService } from './offer-customizations.service';
import { OfferMadeToOrderService } from './offer-made-to-order.service';

@Module({
  imports: [MikroOrmModule.forFeature([Offer]), CatalogModule, PartnershipsModule, MerchantsModule],
  providers: [OffersService, AvailableOffersByCodeService, OfferTrialsService, OfferCustomizationsService, OfferMadeToOrderService],
  exports: [OffersService, AvailableOffersByCodeService, OfferTrialsService, OfferCustomizationsService, OfferMadeToOrderService],
})
export class OffersModule {}
