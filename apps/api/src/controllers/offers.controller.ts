import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TrialFiguresService } from '@gongxiao/aftersales';
import { AvailabilityService } from '@gongxiao/availability';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, RequirePermissions } from '@gongxiao/core';
import { AvailableOfferResponseDto, CreateOfferDto, ListOffersQueryDto, OffersService, OwnOfferResponseDto, TrialFiguresResponseDto, UpdateOfferDto } from '@gongxiao/offers';

@ApiTags('offers')
@Controller('v1')
export class OffersController {
  constructor(
    private readonly offers: OffersService,
    private readonly availability: AvailabilityService,
    private readonly trialFigures: TrialFiguresService,
  ) {}

  @Post('offers')
  @RequirePermissions('offers:write')
  @ApiCreatedResponse({ type: OwnOfferResponseDto })
  @ApiOperation({ summary: 'Offer SKUs to your downstream partners at a price' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  create(@Actor() actor: ActorContext, @Body() input: CreateOfferDto) {
    return this.offers.create(actor, input);
  }

  @Get('offers')
  @RequirePermissions('offers:read')
  @ApiOperation({ summary: 'Offers you made' })
  @ApiPageResponse(OwnOfferResponseDto)
  @ApiErrors(400)
  listOwn(@Actor() actor: ActorContext, @Query() query: ListOffersQueryDto) {
    return this.offers.listOwn(actor, query);
  }

  @Get('offers/:offerId')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: OwnOfferResponseDto })
  @ApiOperation({ summary: 'An offer you made' })
  @ApiErrors(404)
  getOwn(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.offers.getOwn(actor, offerId);
  }

  @Patch('offers/:offerId')
  @RequirePermissions('offers:write')
  @ApiOkResponse({ type: OwnOfferResponseDto })
  @ApiOperation({ summary: 'Change an offer you made' })
  @ApiErrors(400, 404, 409)
  update(@Actor() actor: ActorContext, @Param('offerId') offerId: string, @Body() input: UpdateOfferDto) {
    return this.offers.update(actor, offerId, input);
  }

  @Post('offers/:offerId/withdraw')
  @RequirePermissions('offers:write')
  @HttpCode(200)
  @ApiOkResponse({ type: OwnOfferResponseDto })
  @ApiOperation({ summary: 'Withdraw an offer: listings of it stop selling' })
  @ApiErrors(404, 409)
  withdraw(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.offers.withdraw(actor, offerId);
  }

  @Get('available-offers')
  @RequirePermissions('offers:read')
  @ApiOperation({ summary: 'Offers you can buy, with the price you pay and how many units you may sell now (the minimum along the chain)' })
  @ApiPageResponse(AvailableOfferResponseDto)
  @ApiErrors(400)
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
  @ApiOperation({ summary: 'An offer you can buy, with your price and what you may sell now' })
  @ApiErrors(404)
  async getAvailable(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    const offer = await this.offers.getAvailable(actor, offerId);
    const available = await this.availability.availableForOffers(actor.merchantId, [offer.id]);
    return { ...offer, available: available.get(offer.id) ?? 0 };
  }

  @Get('available-offers/:offerId/trial')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: TrialFiguresResponseDto })
  @ApiOperation({ summary: 'Your trial (试销) of an offer: units at the trial price, shipped, returned, bad reviews' })
  @ApiErrors(404)
  trial(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.trialFigures.figures(actor, offerId);
  }
}
