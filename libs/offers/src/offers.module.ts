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

@Module({
  imports: [MikroOrmModule.forFeature([Offer]), CatalogModule, PartnershipsModule, MerchantsModule],
  providers: [OffersService, AvailableOffersByCodeService, OfferTrialsService, OfferCustomizationsService],
  exports: [OffersService, AvailableOffersByCodeService, OfferTrialsService, OfferCustomizationsService],
})
export class OffersModule {}
