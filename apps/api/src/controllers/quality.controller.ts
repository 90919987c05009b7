import { Body, Controller, Get, Headers, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Actor, ActorContext, ApiErrors, ApiSignedPush, Public, PushFailureThrottle, RequirePermissions, validateBody } from '@gongxiao/core';
import { ChannelsService } from '@gongxiao/channels';
import {
  PushReviewDto,
  PushReviewService,
  QualitySettingsDto,
  QualitySettingsResponseDto,
  QualitySettingsService,
  ReviewReceiptDto,
  ScorecardQueryDto,
  ScorecardResponseDto,
  ScorecardsService,
} from '@gongxiao/quality';
import { verifiedShopPush } from './json-body';

@ApiTags('quality')
@Controller('v1')
export class QualityController {
  constructor(
    private readonly reviews: PushReviewService,
    private readonly settings: QualitySettingsService,
    private readonly scorecards: ScorecardsService,
    private readonly channels: ChannelsService,
    private readonly pushFailures: PushFailureThrottle,
  ) {}

  @Post('shops/:shopId/reviews')
  @Public()
  @ApiOperation({
    summary: "A shop pushes a consumer's review of an order line (signed like order pushes)",
    description:
      'Same signature and headers as POST /v1/shops/:shopId/orders. Name the line by externalLineId, lineNo or shopSkuCode. ' +
      'Idempotent on externalReviewId: 201 on first receipt, 200 when pushed again with the same content, 409 with other content. An unknown order or line is a 422 naming it.',
  })
  @ApiBody({ type: PushReviewDto })
  @ApiSignedPush()
  @ApiCreatedResponse({ type: ReviewReceiptDto })
  @ApiOkResponse({ type: ReviewReceiptDto, description: 'Pushed before with the same content: nothing changed' })
  @ApiErrors(400, 401, 404, 409, 413, 415, 422, 429)
  async push(
    @Param('shopId') shopId: string,
    @Headers('x-gongxiao-timestamp') timestamp: string | undefined,
    @Headers('x-gongxiao-signature') signature: string | undefined,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: Record<string, unknown>,
  ): Promise<ReviewReceiptDto> {
    const shop = await verifiedShopPush(this.channels, this.pushFailures, { request, shopId, timestamp, signature }, 'review');
    const input = await validateBody(PushReviewDto, body);
    const result = await this.reviews.push({ id: shop.id, merchantId: shop.merchantId }, input);
    void reply.status(result.created ? 201 : 200);
    return result.receipt;
  }

  @Get('quality/settings')
  @RequirePermissions('offers:read')
  @ApiOperation({ summary: 'Your quality settings for the goods you supply (what counts as a bad review)' })
  @ApiOkResponse({ type: QualitySettingsResponseDto })
  getSettings(@Actor() actor: ActorContext) {
    return this.settings.get(actor);
  }

  @Put('quality/settings')
  @RequirePermissions('offers:write')
  @ApiOperation({
    summary: 'Set what counts as a bad review of the goods you supply',
    description: 'A review of your goods with badReviewMaxRating stars or fewer is bad (default 2), whoever sells them.',
  })
  @ApiOkResponse({ type: QualitySettingsResponseDto })
  @ApiErrors(400)
  putSettings(@Actor() actor: ActorContext, @Body() input: QualitySettingsDto) {
    return this.settings.put(actor, input);
  }

  @Get('quality/scorecards')
  @RequirePermissions('orders:read')
  @ApiOperation({
    summary: 'Service-standard scorecard (服务指标) per supplier, warehouse or SKU over 7, 30 or 90 days',
    description: "Over the lines you sell: a supplier its own goods, a distributor its shops' orders, a broker the hops it sells on; never another seller's sales.",
  })
  @ApiOkResponse({ type: ScorecardResponseDto })
  @ApiErrors(400)
  scorecard(@Actor() actor: ActorContext, @Query() query: ScorecardQueryDto) {
    return this.scorecards.scorecard(actor, query);
  }
}
