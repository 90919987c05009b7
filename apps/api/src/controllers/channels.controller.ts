import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, PageQueryDto, RequirePermissions } from '@gongxiao/core';
import {
  ChannelsService,
  CreateListingDto,
  CreateShopDto,
  ListingResponseDto,
  ListListingsQueryDto,
  ListPlatformCallsQueryDto,
  ListPlatformDeliveriesQueryDto,
  PlatformCallResponseDto,
  PlatformCallsService,
  PlatformDeliveryResponseDto,
  PlatformShopsService,
  ShopResponseDto,
  UpdateListingDto,
  UpdateShopDto,
} from '@gongxiao/channels';

@ApiTags('shops')
@Controller('v1')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly platformCalls: PlatformCallsService,
    private readonly platformShops: PlatformShopsService,
  ) {}

  @Post('shops')
  @RequirePermissions('shops:manage')
  @ApiCreatedResponse({ type: ShopResponseDto, description: 'The webhook secret is in this response only' })
  @ApiOperation({ summary: 'Connect a shop (its push webhook secret is answered once)' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409)
  createShop(@Actor() actor: ActorContext, @Body() input: CreateShopDto) {
    return this.channels.createShop(actor, input);
  }

  @Get('shops')
  @RequirePermissions('shops:manage')
  @ApiOperation({ summary: 'Your shops, oldest first' })
  @ApiPageResponse(ShopResponseDto)
  @ApiErrors(400)
  listShops(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.channels.listShops(actor, query);
  }

  @Get('shops/:shopId')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: ShopResponseDto })
  @ApiOperation({ summary: 'A shop' })
  @ApiErrors(404)
  getShop(@Actor() actor: ActorContext, @Param('shopId') shopId: string) {
    return this.channels.getShop(actor, shopId);
  }

  @Patch('shops/:shopId')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: ShopResponseDto })
  @ApiOperation({ summary: 'Change a shop' })
  @ApiErrors(400, 404)
  updateShop(@Actor() actor: ActorContext, @Param('shopId') shopId: string, @Body() input: UpdateShopDto) {
    return this.channels.updateShop(actor, shopId, input);
  }

  @Get('shops/:shopId/platform-calls')
  @RequirePermissions('shops:manage')
  @ApiOperation({ summary: "The calls Gongxiao made to a platform shop's platform (shipments, stock), newest first, with the platform's last answer" })
  @ApiPageResponse(PlatformCallResponseDto)
  @ApiErrors(400, 404)
  listPlatformCalls(@Actor() actor: ActorContext, @Param('shopId') shopId: string, @Query() query: ListPlatformCallsQueryDto) {
    return this.platformCalls.list(actor, shopId, query);
  }

  @Get('shops/:shopId/platform-deliveries')
  @RequirePermissions('shops:manage')
  @ApiOperation({
    summary: "The deliveries a platform shop's platform sent, newest first: what each came to (refused ones say why: nothing was created, the platform was answered 200)",
  })
  @ApiPageResponse(PlatformDeliveryResponseDto)
  @ApiErrors(400, 404)
  listPlatformDeliveries(@Actor() actor: ActorContext, @Param('shopId') shopId: string, @Query() query: ListPlatformDeliveriesQueryDto) {
    return this.platformShops.listDeliveries(actor, shopId, query);
  }

  @Post('shops/:shopId/rotate-secret')
  @RequirePermissions('shops:manage')
  @HttpCode(200)
  @ApiOkResponse({ type: ShopResponseDto, description: 'New secret; the previous one is accepted for 24 hours more' })
  @ApiOperation({ summary: 'New webhook secret for a shop' })
  @ApiErrors(404, 409)
  rotateSecret(@Actor() actor: ActorContext, @Param('shopId') shopId: string) {
    return this.channels.rotateSecret(actor, shopId);
  }

  @Post('listings')
  @RequirePermissions('shops:manage')
  @ApiCreatedResponse({ type: ListingResponseDto })
  @ApiOperation({ summary: 'List an offer in one of your shops' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 404, 409, 422)
  createListing(@Actor() actor: ActorContext, @Body() input: CreateListingDto) {
    return this.channels.createListing(actor, input);
  }

  @Get('listings')
  @RequirePermissions('shops:manage')
  @ApiOperation({ summary: 'Your listings' })
  @ApiPageResponse(ListingResponseDto)
  @ApiErrors(400, 404)
  listListings(@Actor() actor: ActorContext, @Query() query: ListListingsQueryDto) {
    return this.channels.listListings(actor, query);
  }

  @Get('listings/:listingId')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: ListingResponseDto })
  @ApiOperation({ summary: 'A listing' })
  @ApiErrors(404)
  getListing(@Actor() actor: ActorContext, @Param('listingId') listingId: string) {
    return this.channels.getListing(actor, listingId);
  }

  @Patch('listings/:listingId')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: ListingResponseDto })
  @ApiOperation({ summary: 'Change a listing' })
  @ApiErrors(400, 404, 422)
  updateListing(@Actor() actor: ActorContext, @Param('listingId') listingId: string, @Body() input: UpdateListingDto) {
    return this.channels.updateListing(actor, listingId, input);
  }

  @Delete('listings/:listingId')
  @RequirePermissions('shops:manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a listing' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(404)
  async deleteListing(@Actor() actor: ActorContext, @Param('listingId') listingId: string) {
    await this.channels.deleteListing(actor, listingId);
  }
}
