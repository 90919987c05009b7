import { ApiProperty } from '@nestjs/swagger';
import { CARRIER_PLATFORMS } from './carriers';

export class CarrierNameDto {
  @ApiProperty({ example: '顺丰速运' }) 'zh-CN'!: string;
  @ApiProperty({ example: 'SF Express' }) en!: string;
}

export class CarrierResponseDto {
  @ApiProperty({ example: 'SF', description: 'Gongxiao’s code: send it (or any alias) as carrierCode' }) code!: string;
  @ApiProperty({ type: CarrierNameDto }) name!: CarrierNameDto;
  @ApiProperty({ type: [String], description: 'Other spellings accepted for this carrier' }) aliases!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: `The carrier's code on each platform (${CARRIER_PLATFORMS.join(', ')})`,
    example: { kuaidi100: 'shunfeng', wechat_shop: 'SF' },
  })
  platformCodes!: Record<string, string>;
}
