import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyDto } from '@gongxiao/core';

class MarginFiguresDto {
  @ApiProperty({ type: MoneyDto, description: 'Billed to your buyers' }) billed!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Owed to your suppliers' }) owed!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'billed − owed' }) margin!: MoneyDto;
}

export class PartnerMarginDto extends MarginFiguresDto {
  @ApiProperty() merchantId!: string;
  @ApiProperty() name!: string;
}

export class SkuMarginDto extends MarginFiguresDto {
  @ApiPropertyOptional({ type: String, nullable: true }) skuId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) skuCode!: string | null;
}

export class MarginsResponseDto {
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ type: [PartnerMarginDto] }) byPartner!: PartnerMarginDto[];
  @ApiProperty({ type: [SkuMarginDto] }) bySku!: SkuMarginDto[];
}

export class ClosedPeriodResponseDto {
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ description: 'Statements whose totals froze' }) statements!: number;
}
