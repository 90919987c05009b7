import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, RequirePermissions } from '@gongxiao/core';
import { AvailableOfferResponseDto, CreateOfferDto, ListOffersQueryDto, OffersService, OwnOfferResponseDto, UpdateOfferDto } from '@gongxiao/offers';

@ApiTags('offers')
@Controller('v1')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Post('offers')
  @RequirePermissions('offers:write')
  @ApiCreatedResponse({ type: OwnOfferResponseDto })
  create(@Actor() actor: ActorContext, @Body() input: CreateOfferDto) {
    return this.offers.create(actor, input);
  }

  @Get('offers')
  @RequirePermissions('offers:read')
  listOwn(@Actor() actor: ActorContext, @Query() query: ListOffersQueryDto) {
    return this.offers.listOwn(actor, query);
  }

  @Get('offers/:offerId')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: OwnOfferResponseDto })
  getOwn(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.offers.getOwn(actor, offerId);
  }

  @Patch('offers/:offerId')
  @RequirePermissions('offers:write')
  @ApiOkResponse({ type: OwnOfferResponseDto })
  updatePrice(@Actor() actor: ActorContext, @Param('offerId') offerId: string, @Body() input: UpdateOfferDto) {
    return this.offers.updatePrice(actor, offerId, input);
  }

  @Post('offers/:offerId/withdraw')
  @RequirePermissions('offers:write')
  @HttpCode(200)
  @ApiOkResponse({ type: OwnOfferResponseDto })
  withdraw(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.offers.withdraw(actor, offerId);
  }

  @Get('available-offers')
  @RequirePermissions('offers:read')
  listAvailable(@Actor() actor: ActorContext, @Query() query: ListOffersQueryDto) {
    return this.offers.listAvailable(actor, query);
  }

  @Get('available-offers/:offerId')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: AvailableOfferResponseDto })
  getAvailable(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.offers.getAvailable(actor, offerId);
  }
}
