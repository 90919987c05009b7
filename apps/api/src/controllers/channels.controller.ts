import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, RequirePermissions } from '@gongxiao/core';
import { ChannelsService, CreateListingDto, CreateShopDto, ListingResponseDto, ListListingsQueryDto, ShopResponseDto, UpdateListingDto, UpdateShopDto } from '@gongxiao/channels';

@ApiTags('shops')
@Controller('v1')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post('shops')
  @RequirePermissions('shops:manage')
  @ApiCreatedResponse({ type: ShopResponseDto, description: 'The webhook secret is in this response only' })
  createShop(@Actor() actor: ActorContext, @Body() input: CreateShopDto) {
    return this.channels.createShop(actor, input);
  }

  @Get('shops')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: [ShopResponseDto] })
  listShops(@Actor() actor: ActorContext) {
    return this.channels.listShops(actor);
  }

  @Get('shops/:shopId')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: ShopResponseDto })
  getShop(@Actor() actor: ActorContext, @Param('shopId') shopId: string) {
    return this.channels.getShop(actor, shopId);
  }

  @Patch('shops/:shopId')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: ShopResponseDto })
  updateShop(@Actor() actor: ActorContext, @Param('shopId') shopId: string, @Body() input: UpdateShopDto) {
    return this.channels.updateShop(actor, shopId, input);
  }

  @Post('shops/:shopId/rotate-secret')
  @RequirePermissions('shops:manage')
  @HttpCode(200)
  @ApiOkResponse({ type: ShopResponseDto, description: 'New secret; the previous one is accepted for 24 hours more' })
  rotateSecret(@Actor() actor: ActorContext, @Param('shopId') shopId: string) {
    return this.channels.rotateSecret(actor, shopId);
  }

  @Post('listings')
  @RequirePermissions('shops:manage')
  @ApiCreatedResponse({ type: ListingResponseDto })
  createListing(@Actor() actor: ActorContext, @Body() input: CreateListingDto) {
    return this.channels.createListing(actor, input);
  }

  @Get('listings')
  @RequirePermissions('shops:manage')
  listListings(@Actor() actor: ActorContext, @Query() query: ListListingsQueryDto) {
    return this.channels.listListings(actor, query);
  }

  @Get('listings/:listingId')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: ListingResponseDto })
  getListing(@Actor() actor: ActorContext, @Param('listingId') listingId: string) {
    return this.channels.getListing(actor, listingId);
  }

  @Patch('listings/:listingId')
  @RequirePermissions('shops:manage')
  @ApiOkResponse({ type: ListingResponseDto })
  updateListing(@Actor() actor: ActorContext, @Param('listingId') listingId: string, @Body() input: UpdateListingDto) {
    return this.channels.updateListing(actor, listingId, input);
  }

  @Delete('listings/:listingId')
  @RequirePermissions('shops:manage')
  @HttpCode(204)
  async deleteListing(@Actor() actor: ActorContext, @Param('listingId') listingId: string) {
    await this.channels.deleteListing(actor, listingId);
  }
}
