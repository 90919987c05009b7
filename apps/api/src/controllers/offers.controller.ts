import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TrialFiguresService } from '@gongxiao/aftersales';
import { AvailabilityService } from '@gongxiao/availability';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, RequirePermissions } from '@gongxiao/core';
import {
  AvailableOfferResponseDto,
  CreateOfferDto,
  ListOffersQueryDto,
  MadeToOrderResponseDto,
  OfferCustomizationResponseDto,
  OfferCustomizationsService,
  OfferMadeToOrderService,
  OffersService,
  OwnOfferResponseDto,
  presentCustomization,
  presentMadeToOrder,
  SetOfferCustomizationDto,
  TrialFiguresResponseDto,
  UpdateOfferDto,
} from '@gongxiao/offers';

@ApiTags('offers')
@Controller('v1')
export class OffersController {
  constructor(
    private readonly offers: OffersService,
    private readonly availability: AvailabilityService,
    private readonly trialFigures: TrialFiguresService,
    private readonly customizations: OfferCustomizationsService,
    private readonly madeToOrder: OfferMadeToOrderService,
  ) {}

  /** Offers with the customization options and made-to-order terms they show (their origin's), each read in one statement. */
  private async withCustomization<T extends { id: string; price: { currency: string } }>(
    offers: T[],
  ): Promise<(T & { customization: OfferCustomizationResponseDto; madeToOrder: MadeToOrderResponseDto })[]> {
    const ids = offers.map((offer) => offer.id);
    const found = await this.customizations.forOffers(ids);
    const terms = await this.madeToOrder.forOffers(ids);
    return offers.map((offer) => ({
      ...offer,
      customization: presentCustomization(offer.id, found.get(offer.id), offer.price.currency),
      madeToOrder: presentMadeToOrder(offer.id, terms.get(offer.id)),
    }));
  }

  @Post('offers')
  @RequirePermissions('offers:write')
  @ApiCreatedResponse({ type: OwnOfferResponseDto })
  @ApiOperation({ summary: 'Offer SKUs to your downstream partners at a price' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  async create(@Actor() actor: ActorContext, @Body() input: CreateOfferDto) {
    return (await this.withCustomization([await this.offers.create(actor, input)]))[0];
  }

  @Get('offers')
  @RequirePermissions('offers:read')
  @ApiOperation({ summary: 'Offers you made' })
  @ApiPageResponse(OwnOfferResponseDto)
  @ApiErrors(400)
  async listOwn(@Actor() actor: ActorContext, @Query() query: ListOffersQueryDto) {
    const page = await this.offers.listOwn(actor, query);
    return { ...page, data: await this.withCustomization(page.data) };
  }

  @Get('offers/:offerId')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: OwnOfferResponseDto })
  @ApiOperation({ summary: 'An offer you made' })
  @ApiErrors(404)
  async getOwn(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return (await this.withCustomization([await this.offers.getOwn(actor, offerId)]))[0];
  }

  @Patch('offers/:offerId')
  @RequirePermissions('offers:write')
  @ApiOkResponse({ type: OwnOfferResponseDto })
  @ApiOperation({ summary: 'Change an offer you made' })
  @ApiErrors(400, 404, 409)
  async update(@Actor() actor: ActorContext, @Param('offerId') offerId: string, @Body() input: UpdateOfferDto) {
    return (await this.withCustomization([await this.offers.update(actor, offerId, input)]))[0];
  }

  @Post('offers/:offerId/withdraw')
  @RequirePermissions('offers:write')
  @HttpCode(200)
  @ApiOkResponse({ type: OwnOfferResponseDto })
  @ApiOperation({ summary: 'Withdraw an offer: listings of it stop selling' })
  @ApiErrors(404, 409)
  async withdraw(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return (await this.withCustomization([await this.offers.withdraw(actor, offerId)]))[0];
  }

  @Put('offers/:offerId/customization')
  @RequirePermissions('offers:write')
  @ApiOkResponse({ type: OfferCustomizationResponseDto })
  @ApiOperation({ summary: 'Declare the light customization (轻定制) options of your origin offer: what buyers may set per line, and the extra price per unit' })
  @ApiErrors(400, 404, 409)
  setCustomization(@Actor() actor: ActorContext, @Param('offerId') offerId: string, @Body() input: SetOfferCustomizationDto) {
    return this.customizations.set(actor, offerId, input);
  }

  @Delete('offers/:offerId/customization')
  @RequirePermissions('offers:write')
  @ApiOkResponse({ type: OfferCustomizationResponseDto })
  @ApiOperation({ summary: 'Remove the customization options of your origin offer (lines already routed keep theirs)' })
  @ApiErrors(400, 404, 409)
  removeCustomization(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    return this.customizations.remove(actor, offerId);
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
    return { ...page, data: await this.withCustomization(page.data.map((offer) => ({ ...offer, available: available.get(offer.id) ?? 0 }))) };
  }

  @Get('available-offers/:offerId')
  @RequirePermissions('offers:read')
  @ApiOkResponse({ type: AvailableOfferResponseDto })
  @ApiOperation({ summary: 'An offer you can buy, with your price and what you may sell now' })
  @ApiErrors(404)
  async getAvailable(@Actor() actor: ActorContext, @Param('offerId') offerId: string) {
    const offer = await this.offers.getAvailable(actor, offerId);
    const available = await this.availability.availableForOffers(actor.merchantId, [offer.id]);
    return (await this.withCustomization([{ ...offer, available: available.get(offer.id) ?? 0 }]))[0];
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
