import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AvailabilityService } from '@gongxiao/availability';
import { Actor, ActorContext, RequirePermissions } from '@gongxiao/core';
import { AvailableOfferResponseDto, CreateOfferDto, ListOffersQueryDto, OffersService, OwnOfferResponseDto, UpdateOfferDto } from '@gongxiao/offers';

@ApiTags('offers')
@Controller('v1')
export class OffersController {
  constructor(
    private readonly offers: OffersService,
    private readonly availability: AvailabilityService,
  ) {}

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
  update(@Actor() actor: ActorContext, @Param('offerId') offerId: string, @Body() input: UpdateOfferDto) {
    return this.offers.update(actor, offerId, input);
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
  @ApiOperation({ summary: 'Offers you can buy, with the price you pay and how many units you may sell now (the minimum along the chain)' })
  async listAvailable(@Actor() actor: ActorContext, @Query() query: ListOffersQueryDto) {
    const page = await this.offers.listAvailable(actor, query);
    const available = await this.availability.availableForOffers(
      actor.merchantId,
      page.data.map((offer) => offer.id),
    );
    return { ...page, data: page.data.map((offer) => ({ ...offer, available: available.get(offer.id) ?? 0 })) };
  }

  @Get('available-offers/:offerId')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: AvailableOfferResponseDto })
  async getAvailable(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    const offer = await this.offers.getAvailable(actor, offerId);
    const available = await this.availability.availableForOffers(actor.merchantId, [offer.id]);
    return { ...offer, available: available.get(offer.id) ?? 0 };
  }
}
