import { Module } from '@nestjs/common';
import { SettlementHoldsService } from './settlement-holds.service';

const EXPORTED = [SettlementHoldsService];

@Module({
  providers: [...EXPORTED],
  exports: EXPORTED,
})
export class SettlementModule {}
