import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiPageResponse, CARRIERS, CarrierResponseDto, RequirePermissions } from '@gongxiao/core';

@ApiTags('fulfillment')
@Controller('v1')
export class CarriersController {
  @Get('carriers')
  @RequirePermissions()
  @ApiOperation({ summary: 'The carriers Gongxiao knows: codes, Chinese and English names, accepted spellings, platform codes (one page)' })
  @ApiPageResponse(CarrierResponseDto)
  @ApiErrors(401)
  list(): { data: CarrierResponseDto[]; nextCursor: null } {
    return { data: CARRIERS.map((carrier) => ({ ...carrier, aliases: [...carrier.aliases], platformCodes: { ...carrier.platformCodes } })), nextCursor: null };
  }
}
