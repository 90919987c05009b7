import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { MerchantsModule } from '@gongxiao/merchants';
import { Partnership } from './partnership.entity';
import { PartnershipsService } from './partnerships.service';

@Module({
  imports: [MikroOrmModule.forFeature([Partnership]), MerchantsModule],
  providers: [PartnershipsService],
  exports: [PartnershipsService],
})
export class PartnershipsModule {}
