import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ApiErrors, Public } from '@gongxiao/core';
import { PlatformWebhookAnswer, PlatformWebhooksService } from '../platform-webhooks/platform-webhooks.service';

/** What a platform is answered: Shopify and WooCommerce get the outcome, Youzan its own {"code":0,"msg":"success"}. */
export class PlatformWebhookAnswerDto {
  @ApiPropertyOptional({ description: 'Shopify, WooCommerce: the delivery was taken' }) received?: boolean;
  @ApiPropertyOptional({ enum: ['applied', 'ignored', 'refused', 'deferred', 'ping'] }) outcome?: string;
  @ApiPropertyOptional({ description: 'A delivery id already taken: nothing new was done' }) duplicate?: boolean;
  @ApiPropertyOptional({ nullable: true, description: 'What was done, or why it was ignored' }) detail?: string | null;
  @ApiPropertyOptional({ example: 0, description: 'Youzan: 0' }) code?: number;
  @ApiPropertyOptional({ example: 'success', description: 'Youzan: success' }) msg?: string;
}

@ApiTags('orders')
@Controller('v1')
export class PlatformWebhooksController {
  constructor(private readonly webhooks: PlatformWebhooksService) {}

  @Post('shops/:shopId/webhooks/:integration')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: "A shop's platform delivers a webhook in its own format (Shopify, WooCommerce, Youzan)",
    description:
      'Point the platform at /v1/shops/{shopId}/webhooks/{shopify|woocommerce|youzan}. Shopify: orders/create, orders/updated, orders/paid, orders/cancelled, refunds/create, ' +
      'signed X-Shopify-Hmac-Sha256. WooCommerce: order.created, order.updated, signed X-WC-Webhook-Signature (its ping is answered 200). Youzan: trade_TradePaid, trade_TradeBuyerPay, ' +
      'trade_TradeCreate (once paid), trade_TradeClose, signed sign / Event-Sign; answered {"code":0,"msg":"success"}. Each delivery id is taken once; other topics are answered 200 and recorded as ignored. A signed delivery that cannot become a valid order is answered 200 and recorded as refused (GET /v1/shops/{shopId}/platform-deliveries says why); a cancellation before its order is deferred and applied when the order comes.',
  })
  @ApiOkResponse({ type: PlatformWebhookAnswerDto, description: 'Taken (applied, ignored, or a repeat of a delivery already taken)' })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415, 429)
  receive(@Param('shopId') shopId: string, @Param('integration') integration: string, @Req() request: FastifyRequest & { rawBody?: Buffer }): Promise<PlatformWebhookAnswer> {
    return this.webhooks.receive({ ip: request.ip, shopId, integration, headers: request.headers, rawBody: request.rawBody });
  }
}
