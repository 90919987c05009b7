import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { MerchantsModule } from '@gongxiao/merchants';
import { Partnership } from './partnership.entity';
import { PartnerInvitesService } from './partner-invites.service';
import { PartnershipsService } from './partnerships.service';

@Module({
  imports: [MikroOrmModule.forFeature([Partnership]), MerchantsModule],
  providers: [PartnershipsService, PartnerInvitesService],
  exports: [PartnershipsService, PartnerInvitesService],
})
export class PartnershipsModule {}
