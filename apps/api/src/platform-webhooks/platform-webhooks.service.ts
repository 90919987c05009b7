import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError, PushFailureThrottle, validateBody } from '@gongxiao/core';
import {
  DeferredCancellation,
  InboundCommand,
  InboundOrder,
  inboundAdapterOf,
  InboundHeaders,
  INTEGRATIONS,
  isWooCommercePing,
  PlatformDelivery,
  PlatformIntegration,
  PlatformShop,
  PlatformShopsService,
  PlatformWebhookReceipt,
  ReceiptOutcome,
  UnreadablePayloadError,
  YOUZAN_SUCCESS,
  YouzanTradeSource,
} from '@gongxiao/channels';
import { CancelOrderDto, CancelOrderService } from '@gongxiao/fulfillment';
import { OrdersService, PushOrderDto } from '@gongxiao/orders';

/** What the route answers a platform (always 200 once taken: the platform stops delivering it). */
export type PlatformWebhookAnswer = { received: true; outcome: ReceiptOutcome | 'ping'; duplicate: boolean; detail: string | null } | typeof YOUZAN_SUCCESS;

/** One delivery as the route hands it over. */
export interface PlatformWebhookRequest {
  ip: string;
  shopId: string;
  integration: string;
  headers: InboundHeaders;
  rawBody: Buffer | undefined;
}

/**
 * A platform's webhook, through its adapter, into exactly what a native push does: the order into
 * OrdersService.ingest (validated as a push), a cancellation into CancelOrderService.cancel as a shop's.
 * Each delivery id is taken once (platform_webhook_receipt): looked up first, recorded after applying,
 * so a crash midway lets the platform's retry apply it (ingest and shop cancellations are idempotent).
 */
@Injectable()
export class PlatformWebhooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly platformShops: PlatformShopsService,
    private readonly orders: OrdersService,
    private readonly cancellations: CancelOrderService,
    private readonly pushFailures: PushFailureThrottle,
    private readonly youzanTrades: YouzanTradeSource,
  ) {}

  async receive(request: PlatformWebhookRequest): Promise<PlatformWebhookAnswer> {
    const integration = request.integration as PlatformIntegration;
    if (!INTEGRATIONS.includes(integration) || integration === ('native' as string)) {
      throw new DomainError('not_found', 'integration_not_found', `No platform ${request.integration.slice(0, 40)}: the webhook path ends in shopify, woocommerce or youzan.`);
    }
    const { shop, delivery } = await this.pushFailures.guard(request.ip, () => this.verified(request, integration), request.shopId);
    if (!delivery) return answer(integration, { received: true, outcome: 'ping', duplicate: false, detail: 'WooCommerce ping answered' });
    let command: InboundCommand;
    try {
      command = await inboundAdapterOf(integration).translate(delivery, shop, {
        shopSkuCodesByVariant: (variantIds) => this.platformShops.shopSkuCodesByVariant(shop.id, variantIds),
        youzanTrade: (tid) => this.youzanTrades.fetchTrade(shop, tid),
      });
    } catch (error) {
      return this.refuse(integration, shop, delivery, error, null);
    }
    if (command.kind === 'order') return this.receiveOrder(integration, shop, delivery, command.order, request.rawBody!);
    const { known } = await this.platformShops.receiptAndDeferred(shop.id, delivery.deliveryId, null);
    if (known) return answer(integration, { received: true, outcome: known.outcome, duplicate: true, detail: known.detail });
    let receipt: PlatformWebhookReceipt;
    try {
      receipt = await this.apply(shop, delivery, command);
    } catch (error) {
      return this.refuse(integration, shop, delivery, error, command.externalOrderId ?? null);
    }
    await this.platformShops.recordReceipt(shop.id, delivery.deliveryId, receipt);
    return answer(integration, { received: true, outcome: receipt.outcome, duplicate: false, detail: receipt.detail });
  }

  /**
   * An order: ingested first (idempotent on the external order id, so a re-delivery creates nothing), then one
   * statement takes the delivery's receipt, says whether the delivery was taken before (then answered as the
   * repeat it is) and finds a cancellation of the order that came before it (then applied at once). Two statements
   * in all, as few as the guarantees allow: the ingest bench compares this path with a native push.
   */
  private async receiveOrder(integration: PlatformIntegration, shop: PlatformShop, delivery: PlatformDelivery, order: InboundOrder, rawBody: Buffer): Promise<PlatformWebhookAnswer> {
    const base = { topic: delivery.topic, externalOrderId: order.externalOrderId };
    let receipt: PlatformWebhookReceipt;
    let created = false;
    try {
      const input = await validateBody(PushOrderDto, order);
      const rawPayload = { integration: shop.integration, topic: delivery.topic, deliveryId: delivery.deliveryId, body: rawBody.toString('utf8') };
      const result = await this.orders.ingest({ id: shop.id, merchantId: shop.merchantId }, input, 'push', rawPayload);
      created = result.created;
      receipt = { ...base, outcome: created ? 'applied' : 'ignored', detail: created ? `order ${result.receipt.id} received` : `order ${result.receipt.id} was already received` };
    } catch (error) {
      // An order is never changed by a later delivery (orders/updated, order.updated): recorded, not refused.
      if (!(error instanceof DomainError && error.code === 'external_order_conflict')) return this.refuse(integration, shop, delivery, error, order.externalOrderId);
      receipt = { ...base, outcome: 'ignored', detail: 'the order was already received; a change other than a cancellation is not applied' };
    }
    const { known, deferred } = await this.platformShops.takeReceipt(shop.id, delivery.deliveryId, receipt, created ? order.externalOrderId : null);
    if (known) {
      // The same delivery, sent twice at once: the other copy took the receipt, this one created the order, so the cancellation that came first is this one's to apply.
      if (deferred) await this.applyDeferred(shop, order.externalOrderId, deferred);
      return answer(integration, { received: true, outcome: known.outcome, duplicate: true, detail: known.detail });
    }
    const detail = deferred ? `${receipt.detail}; ${await this.applyDeferred(shop, order.externalOrderId, deferred)}` : receipt.detail;
    return answer(integration, { received: true, outcome: receipt.outcome, duplicate: false, detail });
  }

  /**
   * A verified delivery that cannot become a valid order (no phone, no address, another currency, any
   * push validation failure) is answered 200 and recorded as refused with the reason: a 4xx would make
   * the platform retry it and then stop the shop's whole feed (Shopify deletes the subscription,
   * WooCommerce disables the webhook). Anything else (an unreadable message, a fault) is thrown.
   */
  private async refuse(integration: PlatformIntegration, shop: PlatformShop, delivery: PlatformDelivery, error: unknown, externalOrderId: string | null): Promise<PlatformWebhookAnswer> {
    if (!(error instanceof DomainError) || error instanceof UnreadablePayloadError || (error.kind !== 'invalid' && error.kind !== 'unprocessable')) throw error;
    const known = await this.platformShops.receiptOf(shop.id, delivery.deliveryId);
    if (known) return answer(integration, { received: true, outcome: known.outcome, duplicate: true, detail: known.detail });
    const fields = error.details.map((detail) => `${detail.field}: ${detail.reason}`).join('; ');
    const detail = `${error.code}: ${error.message}${fields ? ` (${fields})` : ''}`;
    await this.platformShops.recordReceipt(shop.id, delivery.deliveryId, { topic: delivery.topic, outcome: 'refused', detail, externalOrderId: externalOrderId ?? externalIdOf(delivery) });
    return answer(integration, { received: true, outcome: 'refused', duplicate: false, detail });
  }

  /** The shop (404 unknown, 4xx another platform's route, 403 disabled) and the delivery its platform signed; no delivery for a WooCommerce ping. */
  private async verified(request: PlatformWebhookRequest, integration: PlatformIntegration): Promise<{ shop: PlatformShop; delivery: PlatformDelivery | null }> {
    const found = await this.platformShops.webhookShop(request.shopId);
    if (!found) throw new DomainError('not_found', 'shop_not_found', `No shop ${request.shopId.slice(0, 40)} exists. Check the webhook URL.`);
    if (found.integration !== integration || !found.platform) {
      throw new DomainError('invalid', 'integration_mismatch', `Shop ${found.id} takes ${found.integration} deliveries, not ${integration}: use /v1/shops/${found.id}/webhooks/${found.integration}.`, [
        { field: 'integration', reason: `this shop's integration is ${found.integration}` },
      ]);
    }
    const shop = found.platform;
    if (integration === 'woocommerce' && isWooCommercePing(String(request.headers['content-type'] ?? ''), request.rawBody)) return { shop, delivery: null };
    if (!request.rawBody) throw new DomainError('invalid', 'invalid_json', 'Send the delivery as the platform does: an application/json body.');
    const delivery = inboundAdapterOf(integration).verify(request.headers, request.rawBody, shop);
    if (found.status !== 'active') throw new DomainError('forbidden', 'shop_disabled', `Shop ${found.id} is disabled: enable it to accept orders.`);
    this.platformShops.takeAllowance(shop.id);
    return { shop, delivery };
  }

  private async apply(shop: PlatformShop, delivery: PlatformDelivery, command: Exclude<InboundCommand, { kind: 'order' }>): Promise<PlatformWebhookReceipt> {
    if (command.kind === 'ignored') return { topic: delivery.topic, outcome: 'ignored', detail: command.reason, externalOrderId: command.externalOrderId ?? null };
    return this.cancel(shop, delivery.topic, command);
  }

  /** The order a cancellation came before was just created: cancelled right away, as the cancellation would have. */
  private async applyDeferred(shop: PlatformShop, externalOrderId: string, deferred: DeferredCancellation): Promise<string> {
    const reason = `${deferred.detail ?? 'cancelled on the platform'}`.replace(/^deferred: /, '').slice(0, 500);
    const done = await this.cancel(shop, deferred.topic, { kind: 'cancellation', externalOrderId, reason });
    await this.platformShops.settleDeferred(shop.id, deferred.deliveryId, done.outcome === 'applied' ? 'applied' : 'ignored', `applied when the order came: ${done.detail}`);
    return `cancelled at once: its cancellation (delivery ${deferred.deliveryId}) came first — ${done.detail}`;
  }

  private async cancel(shop: PlatformShop, topic: string, command: Extract<InboundCommand, { kind: 'cancellation' }>): Promise<PlatformWebhookReceipt> {
    const externalOrderId = command.externalOrderId;
    const ignored = (detail: string): PlatformWebhookReceipt => ({ topic, outcome: 'ignored', detail, externalOrderId });
    let channelOrderId: string;
    try {
      channelOrderId = await this.orders.idOfExternal(shop.id, externalOrderId);
    } catch (error) {
      // The cancellation came before its order (the order's delivery failed and will be retried): kept, and applied when the order comes.
      if (error instanceof NotFoundError && !command.lines) return { topic, outcome: 'deferred', detail: `deferred: ${command.reason}`, externalOrderId };
      if (error instanceof NotFoundError) return ignored('cancellation of units of an order Gongxiao never received');
      throw error;
    }
    const input: CancelOrderDto = { reason: command.reason, ...(command.cancellationId ? { cancellationId: command.cancellationId } : {}) };
    if (command.lines) {
      const lines = (await this.orders.ordersWithLinesById(this.em, [channelOrderId])).get(channelOrderId)?.lines ?? [];
      const lineNoOf = new Map(lines.filter((line) => line.external_line_id).map((line) => [line.external_line_id!, line.line_no]));
      input.lines = command.lines.flatMap((line) => (lineNoOf.has(line.externalLineId) ? [{ lineNo: lineNoOf.get(line.externalLineId)!, quantity: line.quantity }] : []));
      if (input.lines.length === 0) return ignored(`no line of order ${channelOrderId} has the platform line ids ${command.lines.map((line) => line.externalLineId).join(', ')}`);
    }
    try {
      const outcome = await this.cancellations.cancel(shop.merchantId, channelOrderId, await validateBody(CancelOrderDto, input), true);
      return { topic, outcome: 'applied', detail: `${outcome.outcome}: ${outcome.message}`, externalOrderId };
    } catch (error) {
      // A cancellation Gongxiao cannot apply (line by line before routing, more units than remain) is recorded, not retried forever.
      if (error instanceof DomainError && error.kind === 'conflict') return ignored(`not applied: ${error.message}`);
      throw error;
    }
  }
}

function answer(integration: PlatformIntegration, body: Exclude<PlatformWebhookAnswer, typeof YOUZAN_SUCCESS>): PlatformWebhookAnswer {
  return integration === 'youzan' ? YOUZAN_SUCCESS : body;
}

/** The platform's order id, when the body names one (Shopify, WooCommerce: id; Youzan: the envelope's id), for a refused delivery's receipt. */
function externalIdOf(delivery: PlatformDelivery): string | null {
  const payload = delivery.payload;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const id = payload.id;
  return typeof id === 'string' && /^[\x21-\x7e]{1,64}$/.test(id) ? id : null;
}
